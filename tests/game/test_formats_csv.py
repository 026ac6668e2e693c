"""Our CSV with a ``tipo`` column: every kind, its options and numbers, bad rows, hostile text, and
the round trip. (The CSV of before kinds is in test_bank.py.)"""

import csv
import io

import pytest

from preguntas.game.csv_files import FORMULA_STARTS
from preguntas.game.formats import Item, bank_csv, check
from tests.game.formats_helpers import SAMPLE, round_trip

HEADER = "tipo,texto,respuesta,opciones,tema,explicacion"


def read(*lines: str):
    return check(bank_csv.read("\n".join(lines).encode()))


def reasons_by_line(result) -> dict[int, list[str]]:
    return {s.where: list(s.reasons) for s in result.skipped}


def test_it_reads_every_kind_with_its_options_number_topic_and_explanation():
    result = read(
        HEADER,
        "vf,Bogotá es la capital de Colombia.,verdadero,,Capitales,Desde 1819.",
        "una,¿Qué río pasa por Zaragoza?,,*Ebro|Tajo|Duero,Ríos,",
        'varias,¿Qué países están en Sudamérica?,,"*Perú | *Chile | México",Países,',
        "encuesta,¿Qué repasamos mañana?,,Ríos|Capitales,,",
        "numero,¿Cuánto vale pi?,3.14±0.01,,Números,",
        "número,¿Cuántos países hay en Sudamérica?,12,,,",
        ",Madrid está en Portugal.,falso,,,",
    )
    assert result.error == "" and result.skipped == []
    assert result.items == [
        Item("tf", "Bogotá es la capital de Colombia.", topic="Capitales", answer=True, explanation="Desde 1819.", where=2),
        Item("choice", "¿Qué río pasa por Zaragoza?", topic="Ríos",
             options=[("Ebro", True), ("Tajo", False), ("Duero", False)], where=3),
        Item("multi", "¿Qué países están en Sudamérica?", topic="Países",
             options=[("Perú", True), ("Chile", True), ("México", False)], where=4),
        Item("poll", "¿Qué repasamos mañana?", options=[("Ríos", False), ("Capitales", False)], where=5),
        Item("number", "¿Cuánto vale pi?", topic="Números", number=3.14, tolerance=0.01, where=6),
        Item("number", "¿Cuántos países hay en Sudamérica?", number=12.0, tolerance=0.0, where=7),
        Item("tf", "Madrid está en Portugal.", answer=False, where=8),
    ]


def test_kinds_are_read_by_their_spanish_names_or_their_codes_in_any_case():
    names = ["VF", "tf", "Una", "choice", "VARIAS", "multi", "Encuesta", "poll", "Numero", "number"]
    lines = [f"{name},P{i},{'v' if name.casefold() in ('vf', 'tf') else '1±0' if 'num' in name.casefold() else ''},"
             f"{'*a|*b' if name.casefold() in ('varias', 'multi') else 'a|b' if name.casefold() in ('encuesta', 'poll') else '*a|b'},,"
             for i, name in enumerate(names)]
    result = read(HEADER, *lines)
    assert result.skipped == []
    assert [q.kind for q in result.items] == ["tf", "tf", "choice", "choice", "multi", "multi", "poll", "poll",
                                              "number", "number"]


@pytest.mark.parametrize(
    "cell, number",
    [("3.14", (3.14, 0)), ("3,14", (3.14, 0)), ("-2±0.5", (-2, 0.5)), ("100 +- 5", (100, 5)), ("1e3+/-1", (1000, 1)),
     ("0", (0, 0)), (" 7 ± 0 ", (7, 0))],
)
def test_a_number_is_written_with_its_tolerance_after_a_plus_minus(cell, number):
    result = read(HEADER, f'numero,Un número,"{cell}",,,')
    assert [(q.number, q.tolerance) for q in result.items] == [number]


@pytest.mark.parametrize(
    "cell, options",
    [
        (r"*a\|b|c", [("a|b", True), ("c", False)]),
        (r"\*a|*b", [("*a", False), ("b", True)]),
        (r"*\*a|b\\", [("*a", True), ("b\\", False)]),
        ("  * a  |  b*  ", [("a", True), ("b*", False)]),
    ],
)
def test_options_escape_the_bar_the_star_and_the_backslash(cell, options):
    assert bank_csv.split_options(cell) == options
    assert bank_csv.split_options(bank_csv.join_options(options)) == options


def test_bad_rows_come_back_with_every_reason_and_the_good_ones_import():
    result = read(
        HEADER,
        "una,Sin correcta,,Ebro|Tajo,,",
        "una,Dos correctas,,*Ebro|*Tajo,,",
        "una,Una opción,,*Ebro,,",
        "varias,Siete opciones,,*a|b|c|d|e|f|g,,",
        "encuesta,Con correcta,,*Sí|No,,",
        "una,Opciones repetidas,,*Ebro|ebro,,",
        "numero,Sin número,,,,",
        "numero,Número raro,tres,,,",
        "numero,Tolerancia negativa,3±-1,,,",
        "pregunta,Tipo raro,v,,,",
        ",,quizás,,,",
        "vf,Explicación larga,v,,," + "e" * 1001,
        "vf,Buena,v,,,",
    )
    assert [q.text for q in result.items] == ["Buena"]
    assert reasons_by_line(result) == {
        2: ["Marca una opción correcta, solo una."],
        3: ["Marca una opción correcta, solo una."],
        4: ["Pon entre 2 y 6 opciones."],
        5: ["Pon entre 2 y 6 opciones."],
        6: ["Una encuesta no tiene respuesta correcta."],
        7: ["Hay dos opciones iguales."],
        8: ["Falta el número correcto (en la columna respuesta)."],
        9: ["Respuesta «tres» no válida: escribe un número, como 3.14 o 3.14±0.01."],
        10: ["La tolerancia es un número, 0 o más."],
        11: ["Tipo «pregunta» no válido: usa vf, una, varias, encuesta o numero."],
        12: ["Falta el texto de la pregunta.", "Respuesta «quizás» no válida: usa verdadero o falso."],
        13: ["La explicación tiene 1001 caracteres (máximo 1000)."],
    }


def test_a_header_with_tipo_needs_only_texto_and_an_unknown_column_is_refused():
    assert read("texto,tipo,opciones", "¿Río de Zaragoza?,una,*Ebro|Tajo").items[0].options == [("Ebro", True), ("Tajo", False)]
    assert "La primera línea debe ser la cabecera «tipo,texto" in read("tipo,texto,pista", "vf,Una,x").error
    assert "La primera línea debe ser la cabecera" in read("tipo,opciones", "una,*a|b").error


def test_duplicates_count_across_kinds_and_topics_take_the_banks_spelling():
    result = check(
        bank_csv.read("\n".join([
            HEADER,
            "una,¿Qué río pasa por Zaragoza?,,*Ebro|Tajo,ríos,",
            "vf,¿qué río pasa por  ZARAGOZA?,v,,,",
            "numero,Bogotá es la capital de Colombia,1,,,",
        ]).encode()),
        bank_texts=["Bogotá es la capital de Colombia."],
        bank_topics=["Ríos"],
    )
    assert [(q.where, q.topic) for q in result.items] == [(2, "Ríos")]
    assert reasons_by_line(result) == {3: ["Repite la pregunta de la línea 2."], 4: ["Ya está en el banco de preguntas."]}


def test_the_export_writes_each_kind_in_the_documented_columns():
    rows = list(csv.reader(io.StringIO(bank_csv.write(SAMPLE[:9]).decode("utf-8-sig"))))
    assert rows[0] == HEADER.split(",")
    by_text = {row[1]: row for row in rows[1:]}
    assert by_text["¿Qué río pasa por Zaragoza?"][:4] == ["una", "¿Qué río pasa por Zaragoza?", "", "*Ebro|Tajo|Duero"]
    assert by_text["¿Cuál es la capital de Perú?"][3] == r"*Lima|<b>Cuzco</b>|Arequipa \| Trujillo|\*Callao"
    assert by_text["¿Qué países están en Sudamérica?"][3] == "*Perú|*Chile|México|Cuba"
    assert by_text["¿Cuántos países hay en Sudamérica?"][2] == "12±0"  # never a bare 3.14 that a sheet takes for a date
    assert by_text["¿A cuántos grados Fahrenheit hierve el agua?"][2] == "'-212.5±0.25"
    assert by_text["El Nilo desemboca en el océano Atlántico."][5] == "Desemboca en el Mediterráneo.\nEn un gran delta."


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_of_the_export_starts_a_formula_and_it_reads_back_unchanged(delimiter):
    hostile = ["=1+1", "+7", "-7", "@SUM(1;2)", "x;=2+5;", "y,=3+4,"]
    items = [
        Item("choice", f"Pregunta {text}", topic=text, explanation=text, options=[(text, True), (f"{text} b", False)])
        for text in hostile
    ]
    body = bank_csv.write(items).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter) for cell in row]
    assert [cell for cell in cells if cell.lstrip("\t\r\n")[:1] in FORMULA_STARTS] == []
    again = check(bank_csv.read(body.encode()))
    assert again.items == [Item(i.kind, i.text, topic=i.topic, explanation=i.explanation, options=i.options, where=n)
                           for n, i in enumerate(items, 2)]


@pytest.mark.django_db
def test_round_trip_exporting_then_importing_gives_the_same_bank(alice, bob):
    expected, got = round_trip("csv", alice, bob)
    assert got == expected and len(got) == len(SAMPLE)
