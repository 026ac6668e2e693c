"""Kahoot's quiz spreadsheet template: a sheet laid out as Kahoot's own template, rows it cannot
import, hostile workbooks, the export's layout and formulas, the round trip."""

import io
import re
import time
import zipfile

import openpyxl
import pytest

from preguntas.game.formats import Item, check, kahoot
from tests.game.formats_helpers import SAMPLE, round_trip, template_workbook


ROWS = [
    ("¿Qué río pasa por Zaragoza?", "Tajo", "Ebro", "Duero", "Miño", 20, 2),
    ("¿Qué países están en Sudamérica?", "Perú", "México", "Chile", None, 30, "1,3"),
    ("El Nilo desemboca en el Atlántico.", "True", "False", None, None, 10, "2"),
    ("¿En qué año llegó Colón a América?", 1492, 1498, 1500, None, 20, 1),
    (None, None, None, None, None, None, None),
    ("¿Capital de Chile?", "Santiago", "Lima", None, None, 20, None),
    ("¿Capital de Bolivia?", "Sucre", "Quito", None, None, 20, "5"),
    ("¿Capital de Perú?", "Lima", "Quito", None, None, 20, "3"),
    ("¿Capital de Ecuador?", "Quito", "Lima", None, None, 20, "uno"),
]


@pytest.fixture
def result():
    return check(kahoot.read(template_workbook(ROWS)))


def test_rows_of_the_template_become_questions_by_how_many_answers_are_right(result):
    assert result.items == [
        Item("choice", "¿Qué río pasa por Zaragoza?",
             options=[("Tajo", False), ("Ebro", True), ("Duero", False), ("Miño", False)], where=9),
        Item("multi", "¿Qué países están en Sudamérica?", options=[("Perú", True), ("México", False), ("Chile", True)], where=10),
        Item("tf", "El Nilo desemboca en el Atlántico.", answer=False, where=11),
        Item("choice", "¿En qué año llegó Colón a América?",
             options=[("1492", True), ("1498", False), ("1500", False)], where=12),
    ]


def test_rows_without_a_usable_right_answer_are_listed_by_their_row(result):
    assert [(s.where, s.text, s.reasons) for s in result.skipped] == [
        (14, "¿Capital de Chile?",
         ("Falta la respuesta correcta (columna «Correct answer(s)»: 1, 2, 3 o 4; varias con comas).",)),
        (15, "¿Capital de Bolivia?", ("«5» en «Correct answer(s)» no es el número de una respuesta (de 1 a 4).",)),
        (16, "¿Capital de Perú?", ("La respuesta correcta 3 está vacía.",)),
        (17, "¿Capital de Ecuador?", ("«uno» en «Correct answer(s)» no es el número de una respuesta (de 1 a 4).",)),
    ]
    assert result.unit.name(14) == "fila 14"


def test_the_header_is_found_wherever_it_is_and_by_its_short_names():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Question", "Answer 1", "Answer 2", "Time limit", "Correct answer(s)"])
    workbook.active.append(["¿Río de Sevilla?", "Guadalquivir", "Ebro", 20, 1])
    out = io.BytesIO()
    workbook.save(out)
    assert [(q.text, q.where) for q in kahoot.read(out.getvalue()).items] == [("¿Río de Sevilla?", 2)]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_part(data: bytes, name: str, transform) -> bytes:
    """The workbook with one of its parts changed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = transform(members[name])
    return zip_bytes(members)


def empty_workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: b"texto,respuesta\nUna,v\n", "El archivo no es una hoja de cálculo .xlsx válida."),
        (lambda: b"PK\x03\x04" + b"\x00" * 100, "El archivo no es una hoja de cálculo .xlsx válida."),
        (lambda: zip_bytes({"xl/worksheets/sheet1.xml": b"\x00" * (20 * 1024 * 1024)}), "demasiado una vez descomprimida"),
        (lambda: zip_bytes({"[Content_Types].xml": b"<Types/>"}), "El archivo no es una hoja de cálculo .xlsx válida."),
        (lambda: with_part(template_workbook(ROWS), "xl/worksheets/sheet1.xml",
                           lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml), "DOCTYPE o ENTITY"),
        (empty_workbook, "No se encuentra la cabecera de la plantilla de Kahoot"),
    ],
)
def test_hostile_or_broken_workbooks_are_refused_whole_with_a_clear_reason(make, message):
    result = kahoot.read(make())
    assert message in result.error
    assert result.items == [] and result.skipped == []


def test_a_sheet_that_claims_a_million_rows_is_read_only_as_far_as_a_bank_file_goes():
    data = with_part(template_workbook(ROWS[:1]), "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', xml
    ).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>lejos</t></is></c></row></sheetData>'))
    claimed = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert (claimed.max_row, claimed.max_column) == (1048576, 16384)
    start = time.monotonic()
    result = kahoot.read(data)
    assert time.monotonic() - start < 5
    assert [q.text for q in result.items] == ["¿Qué río pasa por Zaragoza?"]


def test_too_many_questions_are_refused():
    rows = [(f"Pregunta {i}", "a", "b", None, None, 20, 1) for i in range(kahoot.MAX_ROWS + 1)]
    assert kahoot.read(template_workbook(rows)).error == "El archivo tiene más de 2000 preguntas: divídelo en varios."


def test_the_export_has_the_templates_layout_and_leaves_out_what_it_cannot_hold():
    sheet = openpyxl.load_workbook(io.BytesIO(kahoot.write(SAMPLE))).active
    assert [sheet.cell(8, c).value for c in range(2, 9)] == kahoot.HEADERS
    rows = {sheet.cell(r, 2).value: [sheet.cell(r, c).value for c in range(1, 9)] for r in range(9, sheet.max_row + 1)}
    assert rows["¿Qué río pasa por Zaragoza?"] == [3, "¿Qué río pasa por Zaragoza?", "Ebro", "Tajo", "Duero", None, 20, 1]
    assert rows["¿Qué países están en Sudamérica?"][2:] == ["Perú", "Chile", "México", "Cuba", 20, "1,2"]
    assert rows["Bogotá es la capital de Colombia."][2:4] == ["Verdadero", "Falso"]
    assert len(rows) == 6  # not the number, poll, nor six-option questions
    assert kahoot.leaves_out(SAMPLE[5]) == "Tiene 6 opciones; la plantilla de Kahoot admite 4."


def test_no_text_of_the_export_is_a_formula():
    hostile = ["=HYPERLINK(\"http://x\";\"y\")", "@SUM(1;2)", "+7", "-7", "#N/A"]
    items = [Item("choice", text, options=[(text, True), (f"{text}!", False)]) for text in hostile]
    data = kahoot.write(items)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for r, text in enumerate(hostile, 9):
        assert (sheet.cell(r, 2).value, sheet.cell(r, 2).data_type, sheet.cell(r, 3).value) == (text, "s", text)
    assert [q.text for q in kahoot.read(data).items] == hostile


@pytest.mark.django_db
def test_round_trip_gives_back_what_the_template_holds(alice, bob):
    expected, got = round_trip("kahoot", alice, bob, topic=False, explanation=False)
    assert got == expected and {kind for kind, *_rest in got} == {"tf", "choice", "multi"}
