"""Moodle XML: a file as Moodle exports it; types the bank has not; hostile XML; the round trip."""

import xml.etree.ElementTree as ET

import pytest

from preguntas.game.formats import Item, check, moodle_xml
from tests.game.formats_helpers import DATA, SAMPLE, round_trip


@pytest.fixture
def result():
    return check(moodle_xml.read((DATA / "moodle.xml").read_bytes()))


def test_a_single_choice_in_html_becomes_plain_text_with_its_explanation_and_category(result):
    assert result.items[0] == Item(
        "choice", "¿Qué río pasa por Zaragoza?\n\nMapa del Ebro", topic="Ríos",
        options=[("Ebro", True), ("Tajo", False), ("Duero", False)],
        explanation="El Ebro cruza Zaragoza & le da su puente de Piedra.", where=1,
    )


def test_multiple_choice_true_false_and_numbers_keep_their_answers(result):
    multi, nile, ebro = result.items[1:]
    assert multi.kind == "multi" and [right for _text, right in multi.options] == [True, True, True, False]
    assert (nile.kind, nile.answer, nile.explanation) == ("tf", False, "Desemboca en el Mediterráneo, en un gran delta.")
    assert (ebro.kind, ebro.number, ebro.tolerance, ebro.topic) == ("number", 930, 20, "Medidas")


def test_other_types_and_invalid_questions_are_listed_by_their_place_with_the_reason(result):
    assert [(s.where, s.text, s.reasons) for s in result.skipped] == [
        (5, "¿Cuál es la capital de Francia?",
         ("Las preguntas de respuesta corta no se pueden importar: aquí no hay de ese tipo.",)),
        (6, "Describe el curso del Ebro.",
         ("Las preguntas de respuesta abierta (ensayo) no se pueden importar: aquí no hay de ese tipo.",)),
        (7, "Empareja cada río con su ciudad.",
         ("Las preguntas de emparejar no se pueden importar: aquí no hay de ese tipo.",)),
        (8, "El [[1]] pasa por Zaragoza.",
         ("Las preguntas de arrastrar y soltar no se pueden importar: aquí no hay de ese tipo.",)),
        (9, "¿Qué río pasa por Sevilla?", ("Pon entre 2 y 6 opciones.",)),
    ]
    assert result.unit.name(5) == "pregunta 5"


def test_a_multiple_choice_with_no_right_answer_is_a_poll_and_an_unknown_type_is_named():
    xml = """<quiz>
      <question type="multichoice"><questiontext format="plain_text"><text>¿Qué prefieres?</text></questiontext>
        <single>true</single><answer fraction="0"><text>Playa</text></answer><answer fraction="0"><text>Monte</text></answer>
      </question>
      <question type="algo"><questiontext><text>Rara</text></questiontext></question>
    </quiz>"""
    result = moodle_xml.read(xml.encode())
    assert [(q.kind, q.options) for q in result.items] == [("poll", [("Playa", False), ("Monte", False)])]
    assert result.skipped[0].reasons == ("Las preguntas de tipo «algo» no se pueden importar: aquí no hay de ese tipo.",)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol4;</text></questiontext></question></quiz>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secreto SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secreto;</text></questiontext></question></quiz>"""


@pytest.mark.parametrize(
    "data, message",
    [
        (BILLION_LAUGHS.encode(), "El XML trae una declaración DOCTYPE o ENTITY"),
        (EXTERNAL_ENTITY.encode(), "El XML trae una declaración DOCTYPE o ENTITY"),
        (b'<!DOCTYPE quiz SYSTEM "http://example.org/quiz.dtd"><quiz/>', "El XML trae una declaración DOCTYPE o ENTITY"),
        (b"<quiz>" + b"<a>" * 100 + b"</a>" * 100 + b"</quiz>", "El XML anida demasiados elementos"),
        (b"<quiz><question type='truefalse'></quiz>", "El XML está mal formado cerca de la línea 1."),
        ("<quiz><question><text>Ca\u00f1\u00f3n</text></question></quiz>".encode("latin-1"), "no está en UTF-8"),
        (b"<rss></rss>", "No es un Moodle XML: el elemento principal debe ser <quiz>, y es <rss>."),
    ],
)
def test_hostile_or_broken_xml_is_refused_whole_with_a_clear_reason(data, message):
    result = moodle_xml.read(data)
    assert message in result.error
    assert result.items == [] and result.skipped == []


def test_the_export_is_xml_moodle_reads_and_holds_no_character_xml_cannot():
    items = SAMPLE + [Item("tf", "Escape \x1b[31m y campana \x07", answer=True)]
    data = moodle_xml.write(items)
    quiz = ET.fromstring(data)
    types = [q.get("type") for q in quiz.findall("question")]
    assert types.count("category") == 5 and "truefalse" in types and "numerical" in types
    multi = next(q for q in quiz.findall("question") if q.findtext("name/text") == "¿Qué países están en Sudamérica?")
    assert multi.findtext("single") == "false"
    assert [a.get("fraction") for a in multi.findall("answer")] == ["50", "50", "-100", "-100"]
    rivers = next(q for q in quiz.findall("question") if q.findtext("name/text") == "¿Qué ríos desembocan en el Mediterráneo?")
    assert [a.get("fraction") for a in rivers.findall("answer")][:3] == ["33.33333"] * 3
    assert b"\x1b" not in data and b"\x07" not in data
    assert "Escape [31m y campana" in [item.text for item in moodle_xml.read(data).items]


@pytest.mark.django_db
def test_round_trip_exporting_then_importing_gives_the_same_bank_but_polls(alice, bob):
    expected, got = round_trip("moodle-xml", alice, bob)
    assert got == expected and len(got) == len(SAMPLE) - 1
