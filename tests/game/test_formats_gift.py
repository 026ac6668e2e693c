"""Moodle GIFT: files written by hand as Moodle's documentation shows, and as Moodle's own export
writes them; what cannot be imported, with its reason; the round trip."""

import pytest

from preguntas.game.formats import Item, check, gift
from tests.game.formats_helpers import DATA, SAMPLE, round_trip


def read_file(name: str):
    return check(gift.read((DATA / name).read_bytes()))


def by_text(result) -> dict[str, Item]:
    return {item.text: item for item in result.items}


def reasons_by_line(result) -> dict[int, tuple[str, ...]]:
    return {s.where: s.reasons for s in result.skipped}


def test_the_documentation_examples_give_every_kind_with_its_answers():
    items = by_text(read_file("gift_documentacion.txt"))
    assert items["¿Quién está enterrado en la tumba de Grant?"] == Item(
        "choice", "¿Quién está enterrado en la tumba de Grant?", topic="Geografía",
        options=[("Grant", False), ("Jefferson", False), ("nadie", True)], where=8,
    )
    assert items["Grant está enterrado en la tumba de Grant."].answer is False
    assert items["El sol sale por el este."].answer is True
    assert items["¿En qué año nació Ulysses S. Grant?"].kind == "number"
    assert (items["¿En qué año nació Ulysses S. Grant?"].number, items["¿En qué año nació Ulysses S. Grant?"].tolerance) == (1822, 5)


def test_answers_in_the_middle_of_the_text_leave_a_blank_where_they_were():
    items = by_text(read_file("gift_documentacion.txt"))
    assert items["Grant está _____ en la tumba de Grant."].options == [("enterrado", False), ("sepultado", True), ("vivo", False)]
    thanksgiving = items["El día de Acción de Gracias se celebra el _____ jueves de noviembre."]
    assert thanksgiving.kind == "choice" and ("cuarto", True) in thanksgiving.options
    assert items["¿De qué país vienen los caracteres japoneses?"].options[1] == ("China", True)


def test_a_title_is_dropped_and_the_general_feedback_is_the_explanation_not_the_answer_feedback():
    amazonas = by_text(read_file("gift_documentacion.txt"))["El Amazonas es el río más caudaloso del mundo."]
    assert amazonas.kind == "tf" and amazonas.answer is True
    assert amazonas.explanation == "Lleva más agua que el Nilo, el Yangtsé y el Misisipi juntos."


def test_positive_weights_without_an_equals_make_a_multiple_choice():
    grant = by_text(read_file("gift_documentacion.txt"))["¿Qué dos personas están enterradas en la tumba de Grant?"]
    assert grant.kind == "multi"
    assert grant.options == [("Nadie", False), ("Grant", True), ("La mujer de Grant", True), ("El padre de Grant", False)]


def test_a_range_is_its_middle_and_half_its_width_and_partial_credit_numbers_are_not_the_answer():
    items = by_text(read_file("gift_documentacion.txt"))
    pi = items["¿Cuánto vale pi (con 3 decimales)?"]
    assert pi.number == pytest.approx(3.1415) and pi.tolerance == pytest.approx(0.0005)
    paises = items["¿Cuántos países hay en Sudamérica?"]
    assert (paises.number, paises.tolerance) == (12, 0)


def test_escaped_characters_are_themselves_and_html_becomes_plain_text():
    items = by_text(read_file("gift_documentacion.txt"))
    signs = items["¿Qué signo une 2 = 2 en una igualdad: { o =?"]
    assert signs.options == [("llave {", False), ("igual =", True), ("almohadilla #", False)]
    assert signs.explanation == "Se escribe = y se lee «igual»: 2 = 2."
    ebro = items["¿Qué río pasa por Zaragoza?"]
    assert ebro.options[0] == ("Ebro", True) and ebro.explanation == "El Ebro cruza Zaragoza de oeste a este."
    assert "¿Cuál es el **río más largo** de España?" in items  # [markdown] is kept as written


def test_categories_set_the_topic_from_the_last_part_of_their_path():
    items = by_text(read_file("gift_documentacion.txt"))
    assert items["El Everest es la montaña más alta de la Tierra."].topic == "Montañas"
    assert items["¿Quién está enterrado en la tumba de Grant?"].topic == "Geografía"
    assert gift.category_topic("$course$/top/Física//Química") == "Física/Química"
    assert gift.category_topic("$course$/top") == ""


def test_what_cannot_be_imported_is_listed_with_its_line_and_reason():
    reasons = reasons_by_line(read_file("gift_documentacion.txt"))
    short = ("Las preguntas de respuesta corta (sin opciones incorrectas con ~) no se pueden importar: aquí no hay de ese tipo.",)
    assert reasons[34] == short and reasons[36] == short
    assert reasons[40] == ("Las preguntas de emparejar no se pueden importar: aquí no hay de ese tipo.",)
    assert reasons[87] == ("Las preguntas de respuesta abierta (ensayo) no se pueden importar: aquí no hay de ese tipo.",)
    assert reasons[89] == ("No tiene respuestas entre llaves { }: es un texto, no una pregunta.",)
    assert reasons[95] == ("Pon entre 2 y 6 opciones.",)  # seven options
    assert len(reasons) == 6


def test_a_file_as_moodle_exports_it():
    result = read_file("gift_exportado_moodle.txt")
    items = by_text(result)
    lima = items["¿Cuál es la capital de Perú?"]
    assert lima == Item(
        "choice", "¿Cuál es la capital de Perú?", topic="Capitales",
        options=[("Lima", True), ("Cuzco", False), ("Arequipa", False)],
        explanation="Lima es la capital desde 1535.", where=6,
    )
    assert items["¿Cuáles de estas ciudades son capitales de un país de Sudamérica?"].kind == "multi"
    assert items["Bogotá es la capital de Colombia."].answer is True
    la_paz = items["¿A cuántos metros sobre el nivel del mar está La Paz (aprox.)?"]
    assert (la_paz.number, la_paz.tolerance) == (3640, 50)
    assert [s.text for s in result.skipped] == [
        "La capital de Brasil es ____.", "Empareja cada capital con su país.", "Describe el centro histórico de Lima."
    ]


def test_only_tildes_make_a_poll_and_several_equals_a_multiple_choice():
    result = check(gift.read("¿Qué prefieres?{~Playa ~Montaña}\n\n¿Capitales?{=Lima =Quito ~Cuzco}".encode()))
    assert [(q.kind, q.options) for q in result.items] == [
        ("poll", [("Playa", False), ("Montaña", False)]),
        ("multi", [("Lima", True), ("Quito", True), ("Cuzco", False)]),
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("¿Año?{#mil}", "«mil» no es un número (ni número:tolerancia, ni mínimo..máximo)."),
        ("¿Año?{#=%50%1822}", "No tiene ningún número correcto con toda la nota."),
        ("¿Año?{#=1822 =1823}", "Tiene varios números correctos: aquí cabe uno (con su tolerancia)."),
        ("¿Río?{=Ebro ~Tajo", "Falta una llave: las respuestas van entre { y }."),
        ("¿Río?{=Ebro ~Tajo} y {=a ~b}", "Tiene más de un grupo de respuestas { }: aquí cabe uno por pregunta."),
    ],
)
def test_questions_that_make_no_sense_are_listed_with_the_reason(text, reason):
    result = gift.read(text.encode())
    assert [s.reasons for s in result.skipped] == [(reason,)]


def test_a_file_that_is_not_utf8_or_empty_is_refused_whole():
    assert "no está en UTF-8 (línea 2)" in gift.read("// Geografia\n¿Río de León?{=Bernesga ~Ebro}".encode("cp1252")).error
    assert gift.read(b"\n  \n").error == "El archivo está vacío."


def test_the_export_escapes_what_gift_reads_as_structure_and_marks_html_looking_text_plain():
    text = gift.write(SAMPLE).decode()
    assert "El Ebro\\: \\{100 %\\} \\= \\~sí\\~ \\#1" in text
    assert "[plain]¿Cuál es la capital de Perú? {" in text  # «<b>Cuzco</b>» is an option, not markup
    assert "\t~%50%Perú\n\t~%50%Chile\n\t~%-100%México" in text
    assert "{#12:0}" in text and "{#-212.5:0.25####A 212 °F (el signo, para probar).}" in text
    assert "¿Qué tema repasamos mañana?" not in text  # Moodle has no polls
    assert "$CATEGORY: $course$/top/Física//Química" in text


@pytest.mark.django_db
def test_round_trip_exporting_then_importing_gives_the_same_bank_but_polls(alice, bob):
    expected, got = round_trip("gift", alice, bob)
    assert got == expected and len(got) == len(SAMPLE) - 1
