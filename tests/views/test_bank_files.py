"""The bank's import page with files in every format, and the export in each one.

Personas from conftest: alice imports and exports her bank; bob's private questions never show
in her downloads.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preguntas.game import formats
from preguntas.models import Pregunta
from tests.factories import PreguntaFactory
from tests.game.formats_helpers import DATA, template_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def upload(client, data: bytes, name: str):
    return client.post(reverse("preguntas:importar"), {"archivo": SimpleUploadedFile(name, data)})


def test_the_import_page_names_every_format_and_takes_their_files(alice_client):
    body = alice_client.get(reverse("preguntas:importar")).content.decode()
    for name in ("CSV", "Moodle GIFT", "Moodle XML", "Aiken", "Kahoot"):
        assert f"<strong>{name}</strong>" in body
    assert 'accept=".csv,.txt,.gift,.xml,.xlsx"' in body
    assert "<code>{T}</code>" in body and "<code>{#3.14:0.01}</code>" in body  # braces shown, not read as template syntax
    assert reverse("preguntas:plantilla_csv") in body


@pytest.mark.parametrize(
    "name, format_name, created, skipped, heading",
    [
        ("gift_documentacion.txt", "Moodle GIFT", 15, 6, "Línea"),
        ("gift_exportado_moodle.txt", "Moodle GIFT", 4, 3, "Línea"),
        ("aiken.txt", "Aiken", 5, 3, "Línea"),
        ("moodle.xml", "Moodle XML", 4, 5, "Pregunta"),
    ],
)
def test_a_file_from_another_tool_imports_what_it_can_and_lists_the_rest(
    alice_client, alice, name, format_name, created, skipped, heading
):
    response = upload(alice_client, (DATA / name).read_bytes(), name)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{created} importadas, {skipped} sin importar" in body
    assert f"Formato del archivo: {format_name}." in body
    assert f'<th scope="col">{heading}</th>' in body
    assert Pregunta.objects.filter(propietario=alice).count() == created
    assert "Ver las preguntas importadas" in body


def test_a_kahoot_spreadsheet_imports_with_its_rows_named(alice_client, alice):
    data = template_workbook([
        ("¿Qué río pasa por Zaragoza?", "Tajo", "Ebro", None, None, 20, 2),
        ("¿Capital de Chile?", "Santiago", "Lima", None, None, 20, None),
    ])
    body = upload(alice_client, data, "Kahoot-Quiz-Spreadsheet-Template.xlsx").content.decode()
    assert "1 importada, 1 sin importar" in body
    assert '<th scope="col">Fila</th>' in body and "<td>10</td>" in body
    assert Pregunta.objects.get(propietario=alice).opciones[1] == {"id": 2, "text": "Ebro", "correct": True}


def test_the_kinds_of_the_imported_questions_are_shown(alice_client):
    body = upload(alice_client, (DATA / "moodle.xml").read_bytes(), "moodle.xml").content.decode()
    assert "Varias respuestas correctas" in body and "Número" in body and "Una respuesta entre varias" in body


def test_a_whole_file_problem_is_shown_on_the_form_and_imports_nothing(alice_client):
    response = upload(alice_client, b"Apuntes de clase, sin preguntas.", "apuntes.txt")
    assert response.context["result"] is None
    assert "No se reconoce el formato del archivo." in response.content.decode()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<quiz><question type='truefalse'><questiontext><text>&b;</text></questiontext></question></quiz>"
    )
    assert "DOCTYPE o ENTITY" in upload(alice_client, bomb.encode(), "bomba.xml").content.decode()
    assert not Pregunta.objects.exists()


def test_user_text_from_a_file_is_shown_as_text(alice_client):
    evil = "<img src=x onerror=alert(1)>"
    aiken = f"{evil} ¿sí?\nA. a\nB. b\nANSWER: Z\n\n{evil} ¿no?\nA. a\nB. b\nANSWER: A".encode()
    body = upload(alice_client, aiken, "malvado.txt").content.decode()
    assert "1 importada, 1 sin importar" in body
    assert evil not in body and body.count("&lt;img src=x onerror=alert(1)&gt;") == 2
    gift = "[html]<script>alert(2)</script><p onclick='alert(3)'>Bien</p>{T}".encode()
    body = upload(alice_client, gift, "malvado.gift").content.decode()
    assert "alert(2)" not in body and "alert(3)" not in body  # HTML in a file becomes its text
    assert "style=" not in body


def test_uploading_without_the_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert upload(client, (DATA / "aiken.txt").read_bytes(), "aiken.txt").status_code == 403
    assert not Pregunta.objects.exists()


def test_the_bank_page_offers_each_export_with_what_it_keeps(alice_client):
    body = alice_client.get(reverse("preguntas:preguntas")).content.decode()
    assert 'href="#exportar"' in body and 'id="exportar"' in body
    assert reverse("preguntas:exportar_csv") in body
    for code in ("gift", "moodle-xml", "aiken", "kahoot"):
        assert reverse("preguntas:exportar", args=[code]) in body
    assert "Todas menos las encuestas." in body


@pytest.mark.parametrize("code", list(formats.FORMATS))
def test_each_export_downloads_own_and_shared_questions_not_other_teachers(alice_client, alice, bob, code):
    PreguntaFactory(propietario=alice, texto="Pregunta de alice.")
    PreguntaFactory(propietario=None, texto="Pregunta compartida.")
    PreguntaFactory(propietario=bob, texto="Pregunta privada de Bob.")
    fmt = formats.FORMATS[code]
    url = reverse("preguntas:exportar_csv") if code == "csv" else reverse("preguntas:exportar", args=[code])
    response = alice_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == fmt.content_type
    assert response["Content-Disposition"] == f'attachment; filename="{fmt.filename}"'
    texts = [item.text for item in fmt.read(response.content).items]
    assert sorted(texts) == ["Pregunta compartida.", "Pregunta de alice."]


def test_the_kahoot_export_is_a_workbook_in_the_templates_layout(alice_client, alice):
    PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.", respuesta=True)
    response = alice_client.get(reverse("preguntas:exportar", args=["kahoot"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B8"].value.startswith("Question") and sheet["H8"].value.startswith("Correct answer(s)")
    assert [sheet.cell(9, c).value for c in range(2, 9)] == [
        "Bogotá es la capital de Colombia.", "Verdadero", "Falso", None, None, 20, 1
    ]


def test_an_unknown_export_format_is_a_404_and_exports_need_a_login(alice_client, client):
    assert alice_client.get(reverse("preguntas:exportar", args=["pdf"])).status_code == 404
    alice_client.logout()
    response = client.get(reverse("preguntas:exportar", args=["gift"]))
    assert response.status_code == 302 and response.url.startswith(reverse("usuarios:login"))
