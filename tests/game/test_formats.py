"""What every format shares: telling them apart, the whole-file limits, and saving what a file
holds into a bank (duplicates, shared questions, one transaction).

Personas from conftest: alice imports into her bank; bob's private questions are none of her
duplicates.
"""

import pytest

from preguntas.game import formats
from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import MAX_BYTES
from preguntas.game.formats import FORMATS, Item, detect
from preguntas.models import Pregunta
from tests.factories import PreguntaFactory
from tests.game.formats_helpers import DATA, SAMPLE


@pytest.mark.parametrize(
    "filename, data, code",
    [
        ("preguntas.csv", b"texto,respuesta\nUna,v\n", "csv"),
        ("export.txt", "\ufefftipo;texto;respuesta\nvf;Una;v\n".encode(), "csv"),
        ("sin-nombre", b"Texto,Respuesta,Tema\n", "csv"),
        ("moodle.txt", (DATA / "gift_documentacion.txt").read_bytes(), "gift"),
        ("preguntas.gift", b"Una pregunta sin llaves", "gift"),
        ("quiz.txt", b"Pregunta{T}", "gift"),
        ("aiken.txt", (DATA / "aiken.txt").read_bytes(), "aiken"),
        ("preguntas.xml", b"<quiz/>", "moodle-xml"),
        ("export.txt", (DATA / "moodle.xml").read_bytes(), "moodle-xml"),
        ("quiz.xlsx", b"PK\x03\x04rest", "kahoot"),
        ("renombrado.csv", b"PK\x03\x04rest", "kahoot"),
    ],
)
def test_the_format_is_told_by_the_content_or_the_name(filename, data, code):
    assert detect(filename, data) is FORMATS[code]


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("notas.txt", b"Apuntes sin preguntas.", "No se reconoce el formato del archivo."),
        ("viejo.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Es una hoja de Excel antigua (.xls)"),
    ],
)
def test_an_unknown_format_is_a_whole_file_error_that_says_what_is_read(filename, data, message):
    result = formats.read(filename, data)
    assert message in result.error and result.items == [] and result.skipped == []


@pytest.mark.parametrize("code", list(FORMATS))
def test_every_format_refuses_a_file_over_the_size_limit(code):
    data = b"x" * (MAX_BYTES + 1)
    assert FORMATS[code].read(data).error == "El archivo ocupa más de 1024 KiB."
    assert formats.read(FORMATS[code].filename, data).error == "El archivo ocupa más de 1024 KiB."


@pytest.mark.parametrize("code", ["csv", "gift", "aiken"])
def test_text_formats_refuse_a_file_that_is_not_utf8(code):
    assert "no está en UTF-8" in FORMATS[code].read("¿Río de León?{=Bernesga ~Ebro}".encode("cp1252")).error


def test_a_file_with_more_questions_than_the_limit_is_refused():
    gift = "\n\n".join(f"Pregunta {i}{{T}}" for i in range(MAX_ROWS + 1)).encode()
    assert FORMATS["gift"].read(gift).error == "El archivo tiene más de 2000 preguntas: divídelo en varios."
    aiken = "\n".join(f"Pregunta {i}\nA. a\nB. b\nANSWER: A" for i in range(MAX_ROWS + 1)).encode()
    assert FORMATS["aiken"].read(aiken).error == "El archivo tiene más de 2000 preguntas: divídelo en varios."


def test_items_are_checked_by_their_kinds_rules_and_the_banks_limits():
    assert formats.items.problems(Item("multi", "¿Cuáles?", options=[("a", False), ("b", False)])) == [
        "Marca al menos 1 opción correcta."
    ]
    assert formats.items.problems(Item("number", "x" * 301, number=1.0, topic="t" * 61)) == [
        "El texto tiene 301 caracteres (máximo 300).", "El tema tiene 61 caracteres (máximo 60)."
    ]
    assert all(formats.items.problems(item) == [] for item in SAMPLE)


@pytest.mark.django_db
def test_saving_creates_the_teachers_own_questions_of_every_kind(alice):
    result = formats.save(alice, formats.Parsed(items=list(SAMPLE)))
    assert len(result.items) == len(SAMPLE) and result.skipped == []
    saved = {p.texto: p for p in Pregunta.objects.filter(propietario=alice)}
    rivers = saved["¿Qué río pasa por Zaragoza?"]
    assert (rivers.tipo, rivers.respuesta, rivers.numero) == ("choice", None, None)
    assert rivers.opciones == [
        {"id": 1, "text": "Ebro", "correct": True}, {"id": 2, "text": "Tajo", "correct": False},
        {"id": 3, "text": "Duero", "correct": False},
    ]
    number = saved["¿A cuántos grados Fahrenheit hierve el agua?"]
    assert (number.tipo, number.numero, number.tolerancia, number.opciones) == ("number", -212.5, 0.25, [])
    assert saved["Bogotá es la capital de Colombia."].explicacion == "Lo es desde 1819."
    assert sorted(Item.of(p).kind for p in saved.values()) == sorted(item.kind for item in SAMPLE)


@pytest.mark.django_db
def test_saving_skips_duplicates_of_the_visible_bank_and_of_the_file_but_not_of_others_private_questions(alice, bob):
    PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.", tema="capitales")
    PreguntaFactory(propietario=None, texto="El Sena pasa por París.")
    PreguntaFactory(propietario=bob, texto="Quito es la capital de Ecuador.")
    parsed = formats.Parsed(unit=formats.items.QUESTION, items=[
        Item("tf", "bogotá es la capital de colombia", answer=True, where=1),
        Item("choice", "El Sena pasa por  PARÍS.", options=[("Sí", True), ("No", False)], where=2),
        Item("tf", "Quito es la capital de Ecuador.", answer=True, topic="Capitales", where=3),
        Item("number", "quito es la capital de ecuador", number=1.0, where=4),
    ])
    result = formats.save(alice, parsed)
    assert [(i.text, i.topic) for i in result.items] == [("Quito es la capital de Ecuador.", "capitales")]
    assert [(s.where, s.reasons) for s in result.skipped] == [
        (1, ("Ya está en el banco de preguntas.",)),
        (2, ("Ya está en el banco de preguntas.",)),
        (4, ("Repite la pregunta de la pregunta 3.",)),
    ]


@pytest.mark.django_db
def test_without_a_teacher_the_questions_are_shared_and_checked_against_the_shared_bank(alice):
    PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.")
    PreguntaFactory(propietario=None, texto="El Sena pasa por París.")
    parsed = formats.Parsed(items=[
        Item("tf", "Bogotá es la capital de Colombia.", answer=True, where=1),
        Item("tf", "El Sena pasa por París.", answer=True, where=2),
    ])
    result = formats.save(None, parsed)
    assert [i.where for i in result.items] == [1] and [s.where for s in result.skipped] == [2]
    assert Pregunta.objects.filter(propietario__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_file_is_saved_in_one_transaction(alice, monkeypatch):
    real = Pregunta.objects.bulk_create

    def fail_half_way(objs, *args, **kwargs):
        objs = list(objs)
        real(objs[:2])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Pregunta.objects, "bulk_create", fail_half_way)
    with pytest.raises(RuntimeError):
        formats.import_file(alice, "aiken.txt", (DATA / "aiken.txt").read_bytes())
    assert not Pregunta.objects.exists()
