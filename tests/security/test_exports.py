"""Every download opens in a spreadsheet as text, never as a formula: the CSV ones and the .xlsx ones.

A name, student id, question, topic or quiz name is text a student or a teacher typed. A
spreadsheet reads a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and Spanish
Excel splits a CSV at ``;``: an unquoted ``x;=2+5;`` becomes a cell ``=2+5``, and so does a
quoted one after the first cell of a line (the quotes of a ``,`` file mean nothing to a ``;``
reader past the first separator). Each CSV export is read back with both separators, and no
cell may start a formula. In an .xlsx file, a cell is a formula by its type: every text must be
typed as text.
"""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from preguntas.game import formats, roster
from preguntas.game.formats import bank_csv
from preguntas.game.csv_files import FORMULA_STARTS, text_cell
from tests.factories import AlumnoFactory, AulaFactory, CuestionarioFactory, PreguntaFactory, RespuestaFactory, RondaFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["x;=2+5;", "y,=3+4,", "=HYPERLINK(\"http://x\";\"y\")", "@SUM(1;2)", "+7", "-7", "'=A1", "z\";=9+9;\"", "#N/A"]
CSV_EXPORTS = ["resultados_csv", "cuaderno_csv", "lista_csv", "lista_plantilla_csv", "exportar_csv", "plantilla_csv"]


@pytest.fixture
def hostile_classroom(alice):
    """alice's classroom where every text a download carries is hostile: names, ids, round and quiz names."""
    aula = AulaFactory(propietario=alice, codigo="HOSTIL")
    for i, text in enumerate(HOSTILE):
        quiz = CuestionarioFactory(propietario=alice, nombre=text)
        pregunta = PreguntaFactory(propietario=alice, texto=text, tema=text, respuesta=True)
        ronda = RondaFactory(aula=aula, pregunta=pregunta, cuestionario=quiz, cerrada=timezone.now())
        alumno = AlumnoFactory(aula=aula, nombre=text, numero=text[:30], en_lista=True)
        RespuestaFactory(ronda=ronda, alumno=alumno, valor=i % 2 == 0)
    return aula


def download(client, name, aula) -> str:
    args = [aula.codigo] if name in ("resultados_csv", "cuaderno_csv", "lista_csv") else []
    response = client.get(reverse(f"preguntas:{name}", args=args))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8-sig")


def cells(body: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter) for cell in row]


def formulas(cells: list[str]) -> list[str]:
    """The cells a spreadsheet may read as a formula, also once it drops leading tabs or line breaks."""
    return [cell for cell in cells if cell.lstrip("\t\r\n")[:1] in FORMULA_STARTS]


@pytest.mark.parametrize("name", CSV_EXPORTS)
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_of_a_csv_export_starts_a_formula_whichever_the_separator(client, alice, hostile_classroom, name, delimiter):
    client.force_login(alice)
    body = download(client, name, hostile_classroom)
    assert formulas(cells(body, delimiter)) == []


@pytest.mark.parametrize("name", CSV_EXPORTS)
def test_every_cell_of_a_csv_export_is_quoted(client, alice, hostile_classroom, name):
    client.force_login(alice)
    body = download(client, name, hostile_classroom)
    lines = body.splitlines()  # no text here has a line break
    assert len(lines) >= 3
    assert [line for line in lines if not (line.startswith('"') and line.endswith('"'))] == []


@pytest.mark.parametrize("name", ["resultados_csv", "cuaderno_csv", "lista_csv", "exportar_csv"])
def test_hostile_text_comes_back_whole_in_its_own_cell(client, alice, hostile_classroom, name):
    client.force_login(alice)
    found = cells(download(client, name, hostile_classroom), ",")
    for text in HOSTILE:
        assert text_cell(text) in found, text


def test_the_roster_export_imports_back_unchanged(client, alice, hostile_classroom):
    client.force_login(alice)
    exported = download(client, "lista_csv", hostile_classroom).encode()
    copy = AulaFactory(propietario=alice)
    result = roster.import_csv(copy, exported)
    assert result.errors == [] and result.error == ""
    assert sorted(copy.alumnos.values_list("nombre", "numero")) == sorted(
        hostile_classroom.alumnos.values_list("nombre", "numero")
    )


def test_the_bank_export_imports_back_unchanged(client, alice, hostile_classroom):
    client.force_login(alice)
    result = formats.check(bank_csv.read(download(client, "exportar_csv", hostile_classroom).encode()))
    assert result.skipped == [] and result.error == ""
    assert sorted((q.text.strip(), q.topic.strip()) for q in result.items) == sorted(
        (text.strip(), text.strip()) for text in HOSTILE
    )


def test_every_text_of_the_kahoot_download_is_a_string_cell_never_a_formula(client, alice, hostile_classroom):
    client.force_login(alice)
    response = client.get(reverse("preguntas:exportar", args=["kahoot"]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml and 't="e"' not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    questions = {cell.value: cell for cell in sheet["B"][8:]}
    for text in HOSTILE:
        assert questions[text].data_type == "s", text
        assert questions[text].quotePrefix == (text[:1] in "=+-@'"), text


@pytest.mark.parametrize("name", ["resultados_xlsx", "cuaderno_xlsx"])
def test_every_text_of_a_spreadsheet_download_is_a_string_cell_never_a_formula(client, alice, hostile_classroom, name):
    client.force_login(alice)
    response = client.get(reverse(f"preguntas:{name}", args=[hostile_classroom.codigo]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml and 't="e"' not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s", "n"}
    texts = {cell.value: cell for cell in cells if cell.data_type == "s"}
    for text in HOSTILE:
        assert text in texts, text  # the text itself, with no apostrophe added
        assert texts[text].quotePrefix == (text[:1] in "=+-@'"), text  # Excel keeps it text when edited


def test_a_control_character_a_spreadsheet_cannot_hold_is_left_out_of_the_download(client, alice, aula):
    ronda = RondaFactory(aula=aula, texto="Escape \x1b[31m y campana \x07", cerrada=timezone.now())
    RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula, nombre="Ana"), valor=True)
    client.force_login(alice)
    response = client.get(reverse("preguntas:resultados_xlsx", args=[aula.codigo]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["D1"].value == "R1: Escape [31m y campana "
