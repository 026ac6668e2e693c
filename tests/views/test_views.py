"""The teacher's pages and the student's answer page."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from preguntas.game import homework
from preguntas.models import Aula, Pregunta
from tests.factories import (
    AlumnoFactory,
    AulaFactory,
    CuestionarioFactory,
    PreguntaFactory,
    RespuestaFactory,
    RondaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_the_answer_page_is_public_and_prefills_the_code(client):
    response = client.get(reverse("preguntas:alumno_codigo", args=["demo01"]))
    assert response.status_code == 200
    assert 'value="DEMO01"' in response.content.decode()
    assert 'aria-live="polite"' in response.content.decode()


def test_teacher_pages_need_a_login(client, aula):
    for url in (reverse("preguntas:aulas"), reverse("preguntas:panel", args=[aula.codigo])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("usuarios:login"))


def test_login_page_logs_the_teacher_in(client, alice):
    response = client.post(reverse("usuarios:login"), {"username": "alice", "password": "contrasena-segura"})
    assert response.status_code == 302
    assert response.url == reverse("preguntas:aulas")


def test_classroom_list_shows_only_own_classrooms(alice_client, aula, bob):
    AulaFactory(propietario=bob, nombre="Aula de Bob")
    response = alice_client.get(reverse("preguntas:aulas"))
    assert response.status_code == 200
    assert [a.nombre for a in response.context["aulas"]] == ["3ºB Geografía"]


def test_creating_a_classroom_opens_its_panel(alice_client, alice):
    response = alice_client.post(reverse("preguntas:aulas"), {"nombre": "1ºA Historia"})
    created = Aula.objects.get(nombre="1ºA Historia")
    assert created.propietario == alice
    assert len(created.codigo) == 6
    assert response.url == reverse("preguntas:panel", args=[created.codigo])


def test_rename_and_archive_a_classroom(alice_client, aula):
    settings = {"nombre": "Nuevo nombre", "clasificacion": "no"}
    alice_client.post(reverse("preguntas:aula_editar", args=[aula.codigo]), settings)
    alice_client.post(reverse("preguntas:aula_archivar", args=[aula.codigo]))
    aula.refresh_from_db()
    assert (aula.nombre, aula.archivada) == ("Nuevo nombre", True)


def test_another_teacher_gets_404_on_every_classroom_page(client, aula, bob):
    client.force_login(bob)
    for name in ("panel", "aula_editar", "resultados", "resultados_csv", "resultados_xlsx", "cuaderno_xlsx"):
        assert client.get(reverse(f"preguntas:{name}", args=[aula.codigo])).status_code == 404
    assert client.post(reverse("preguntas:aula_archivar", args=[aula.codigo])).status_code == 404


def test_panel_lists_the_bank_filtered_and_hides_answers(alice_client, aula, pregunta, bob):
    PreguntaFactory(propietario=aula.propietario, texto="El Nilo está en Asia.", tema="Ríos")
    PreguntaFactory(propietario=bob, texto="Pregunta privada de Bob")
    response = alice_client.get(reverse("preguntas:panel", args=[aula.codigo]))
    texts = [p.texto for p in response.context["preguntas"]]
    assert "Pregunta privada de Bob" not in texts
    assert set(texts) == {"Bogotá es la capital de Colombia.", "El Nilo está en Asia."}
    response = alice_client.get(reverse("preguntas:panel", args=[aula.codigo]), {"tema": "Ríos"})
    assert [p.texto for p in response.context["preguntas"]] == ["El Nilo está en Asia."]
    response = alice_client.get(reverse("preguntas:panel", args=[aula.codigo]), {"q": "bogotá"})
    assert [p.texto for p in response.context["preguntas"]] == ["Bogotá es la capital de Colombia."]


@pytest.mark.parametrize("name", ["panel", "preguntas"])
def test_a_bank_filter_with_a_nul_character_is_a_bad_request(alice_client, aula, name):
    url = reverse(f"preguntas:{name}", args=[aula.codigo] if name == "panel" else [])
    assert alice_client.get(url, {"q": "Bogotá\x00"}).status_code == 400
    assert alice_client.get(url, {"tema": "\x00"}).status_code == 400


def test_a_classroom_address_with_more_than_letters_and_digits_is_not_found(alice_client, aula):
    assert alice_client.get(f"/aulas/{aula.codigo}%00/").status_code == 404
    assert alice_client.get(f"/aulas/{aula.codigo.lower()}/").status_code == 200


def test_results_page_and_csv(alice_client, aula):
    ronda = RondaFactory(aula=aula, texto="Lima es la capital de Perú.", correcta=True)
    RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula, nombre="Ana"), valor=True)
    page = alice_client.get(reverse("preguntas:resultados", args=[aula.codigo]))
    assert page.status_code == 200
    assert page.context["results"].students[0].score == 1
    export = alice_client.get(reverse("preguntas:resultados_csv", args=[aula.codigo]))
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"alumno","numero","aciertos","R1: Lima es la capital de Perú."'
    assert lines[1] == '"Ana","","1","1"'


def sheet_of(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_results_page_links_both_downloads_of_results_and_gradebook(alice_client, aula):
    RondaFactory(aula=aula)
    body = alice_client.get(reverse("preguntas:resultados", args=[aula.codigo])).content.decode()
    for name in ("resultados_csv", "resultados_xlsx", "cuaderno_csv", "cuaderno_xlsx"):
        assert f'href="{reverse(f"preguntas:{name}", args=[aula.codigo])}" download' in body


def test_the_results_spreadsheet_holds_the_rows_of_the_csv_with_numbers_as_numbers(alice_client, aula):
    lima = RondaFactory(aula=aula, texto="Lima es la capital de Perú.", correcta=True, cerrada=timezone.now())
    nilo = RondaFactory(aula=aula, texto="El Nilo está en Asia.", correcta=False)
    ana, beto = AlumnoFactory(aula=aula, nombre="Ana", numero="007"), AlumnoFactory(aula=aula, nombre="Beto")
    RespuestaFactory(ronda=lima, alumno=ana, valor=True)
    RespuestaFactory(ronda=nilo, alumno=ana, valor=True)
    RespuestaFactory(ronda=lima, alumno=beto, valor=False)
    response = alice_client.get(reverse("preguntas:resultados_xlsx", args=[aula.codigo]))
    assert response["Content-Disposition"] == f'attachment; filename="resultados-{aula.codigo}.xlsx"'
    sheet = sheet_of(response)
    assert sheet.title == "Resultados"
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["alumno", "numero", "aciertos", "R1: Lima es la capital de Perú.", "R2: El Nilo está en Asia."],
        ["Ana", "007", 1, 1, 0],
        ["Beto", None, 0, 0, None],
        ["% aciertos", None, None, 50, 0],
    ]
    assert sheet["B2"].data_type == "s" and sheet["C2"].data_type == "n"  # the student id keeps its zeros


def test_both_results_downloads_end_with_a_column_per_homework(alice_client, aula, alice):
    ronda = RondaFactory(aula=aula, texto="Lima es la capital de Perú.", correcta=True)
    ana = AlumnoFactory(aula=aula, nombre="Ana")
    RespuestaFactory(ronda=ronda, alumno=ana, valor=True)
    quiz = CuestionarioFactory(propietario=alice, nombre="Capitales")
    quiz.anadir(PreguntaFactory(propietario=alice, respuesta=True))
    now = timezone.now()
    tarea = homework.assign(aula, quiz, abre=now - timedelta(hours=1), vence=now + timedelta(days=1))
    intento = homework.start(tarea, ana, now)
    homework.answer(intento, homework.show(intento, now).pk, True, now=now)
    export = alice_client.get(reverse("preguntas:resultados_csv", args=[aula.codigo]))
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[:2] == [
        '"alumno","numero","aciertos","R1: Lima es la capital de Perú.","Capitales (tarea)"', '"Ana","","1","1","1"',
    ]
    sheet = sheet_of(alice_client.get(reverse("preguntas:resultados_xlsx", args=[aula.codigo])))
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["alumno", "numero", "aciertos", "R1: Lima es la capital de Perú.", "Capitales (tarea)"],
        ["Ana", None, 1, 1, 1],
        ["% aciertos", None, None, 100, None],
    ]


def test_the_gradebook_spreadsheet_has_a_column_per_quiz(alice_client, aula, alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="Capitales")
    ronda = RondaFactory(aula=aula, cuestionario=quiz, correcta=True, cerrada=timezone.now())
    RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula, nombre="Ana"), valor=True)
    AlumnoFactory(aula=aula, nombre="Beto")
    response = alice_client.get(reverse("preguntas:cuaderno_xlsx", args=[aula.codigo]))
    assert response["Content-Disposition"] == f'attachment; filename="cuaderno-{aula.codigo}.xlsx"'
    sheet = sheet_of(response)
    assert sheet.title == "Cuaderno"
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["alumno", "numero", "Capitales"],
        ["Ana", None, 1],
        ["Beto", None, 0],
    ]


def test_user_text_is_escaped_in_pages(alice_client, aula):
    evil = "<img src=x onerror=alert(1)>"
    PreguntaFactory(propietario=aula.propietario, texto=evil)
    ronda = RondaFactory(aula=aula, texto=evil)
    RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula, nombre=evil))
    for name in ("panel", "resultados"):
        body = alice_client.get(reverse(f"preguntas:{name}", args=[aula.codigo])).content.decode()
        assert evil not in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_teacher_creates_and_edits_own_questions_only(alice_client, alice, bob):
    alice_client.post(
        reverse("preguntas:pregunta_nueva"), {"texto": "Quito es la capital de Ecuador.", "respuesta": "True", "tema": "Capitales"}
    )
    created = Pregunta.objects.get(texto="Quito es la capital de Ecuador.")
    assert (created.propietario, created.respuesta) == (alice, True)
    alice_client.post(
        reverse("preguntas:pregunta_editar", args=[created.pk]), {"texto": created.texto, "respuesta": "False", "tema": ""}
    )
    created.refresh_from_db()
    assert created.respuesta is False
    bobs = PreguntaFactory(propietario=bob)
    assert alice_client.get(reverse("preguntas:pregunta_editar", args=[bobs.pk])).status_code == 404


def test_projector_shows_code_and_qr_and_names_only_on_request(alice_client, aula, client, bob):
    url = reverse("preguntas:proyector", args=[aula.codigo])
    body = alice_client.get(url).content.decode()
    assert "AULA01" in body and "<svg" in body and "/unirse/AULA01/" in body
    assert 'id="alumnos"' not in body
    assert 'id="alumnos"' in alice_client.get(url, {"nombres": "1"}).content.decode()
    client.force_login(bob)
    assert client.get(url).status_code == 404
