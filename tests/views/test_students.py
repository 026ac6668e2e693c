"""The classroom's students page: roster by hand and from CSV, seats, extra time; the settings page."""

import pytest
from django.urls import reverse

from preguntas.game import students
from preguntas.game.errors import GameError
from preguntas.models import Alumno, Clasificacion
from tests.factories import AlumnoFactory, RespuestaFactory, RondaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, alice):
    client.force_login(alice)
    return client


def url(name, aula, *args):
    return reverse(f"preguntas:{name}", args=[aula.codigo, *args])


def upload(client, aula, body: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("importar_lista", aula), {"archivo": SimpleUploadedFile("lista.csv", body, "text/csv")})


def test_adding_a_name_puts_a_free_seat_on_the_roster(teacher_client, aula):
    response = teacher_client.post(url("alumnos", aula), {"nombre": "  Ana  García ", "numero": "S-01"})
    assert response.status_code == 302
    ana = Alumno.objects.get(aula=aula)
    assert (ana.nombre, ana.numero, ana.en_lista, ana.reclamado) == ("Ana García", "S-01", True, None)
    page = teacher_client.get(url("alumnos", aula)).content.decode()
    assert "Ana García" in page and "S-01" in page and "libre" in page
    again = teacher_client.post(url("alumnos", aula), {"nombre": "ana garcia"})
    assert again.status_code == 200 and "Ya está en la lista." in again.content.decode()


def test_importing_a_roster_adds_names_merges_walk_ins_and_reports_bad_rows(teacher_client, aula):
    walk_in = students.join(aula, "Beto Ruiz")
    body = "nombre;numero\nAna García;S-01\nbeto ruiz;S-02\n;S-03\nAna García;S-04\nCarla\x1bX;\n".encode()
    response = upload(teacher_client, aula, body)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 alumno añadido a la lista" in page and "1 que ya se había unido" in page and "3 con errores" in page
    assert "Falta el nombre." in page and "Ya está en la lista." in page and "caracteres no válidos" in page
    walk_in.refresh_from_db()
    assert walk_in.en_lista and walk_in.numero == "S-02" and walk_in.reclamado is not None  # keeps their device
    assert sorted(aula.alumnos.values_list("nombre", "en_lista")) == [("Ana García", True), ("Beto Ruiz", True)]


@pytest.mark.parametrize(
    "body, message",
    [(b"alumno,clase\nAna,1\n", "La primera línea debe ser la cabecera"), (b"\xff\xfe", "no está en UTF-8"), (b"", "")],
)
def test_a_roster_file_that_cannot_be_read_changes_nothing(teacher_client, aula, body, message):
    response = upload(teacher_client, aula, body)
    assert response.status_code == 400 and message in response.content.decode()
    assert not aula.alumnos.exists()


def test_the_roster_downloads_as_csv_and_has_a_template(teacher_client, aula):
    AlumnoFactory(aula=aula, nombre="=Ana", numero="7", en_lista=True)
    AlumnoFactory(aula=aula, nombre="Walk-in")
    body = teacher_client.get(url("lista_csv", aula)).content.decode("utf-8-sig")
    assert body.splitlines() == ['"nombre","numero"', '"\'=Ana","7"']
    template = teacher_client.get(reverse("preguntas:lista_plantilla_csv")).content.decode("utf-8-sig")
    assert template.splitlines()[0] == '"nombre","numero"'


def test_freeing_a_seat_locks_out_the_device_that_held_it(teacher_client, aula):
    seat = AlumnoFactory(aula=aula, nombre="Ana", en_lista=True, reclamado=None)
    token = students.claim(aula, seat.pk).token
    teacher_client.post(url("alumno_liberar", aula, seat.pk))
    seat.refresh_from_db()
    assert seat.reclamado is None and seat.token != token
    with pytest.raises(GameError):
        students.rejoin(aula, token)


def test_extra_time_is_set_per_student_and_only_to_the_offered_choices(teacher_client, aula):
    ana = AlumnoFactory(aula=aula)
    teacher_client.post(url("alumno_tiempo", aula, ana.pk), {"tiempo_extra": "150"})
    ana.refresh_from_db()
    assert ana.tiempo_extra == 150
    teacher_client.post(url("alumno_tiempo", aula, ana.pk), {"tiempo_extra": "1000"})
    ana.refresh_from_db()
    assert ana.tiempo_extra == 150


def test_removing_a_student_keeps_their_answers(teacher_client, aula):
    nunca, con_respuestas = AlumnoFactory(aula=aula, en_lista=True), AlumnoFactory(aula=aula, en_lista=True)
    RespuestaFactory(ronda=RondaFactory(aula=aula), alumno=con_respuestas)
    for alumno in (nunca, con_respuestas):
        teacher_client.post(url("alumno_quitar", aula, alumno.pk))
    assert list(aula.alumnos.values_list("pk", "en_lista")) == [(con_respuestas.pk, False)]
    assert con_respuestas.respuestas.count() == 1


def test_another_teacher_cannot_touch_a_classrooms_students(client, bob, aula):
    ana = AlumnoFactory(aula=aula, en_lista=True, reclamado=None)
    client.force_login(bob)
    for name in ("alumno_tiempo", "alumno_liberar", "alumno_quitar"):
        assert client.post(url(name, aula, ana.pk), {"tiempo_extra": "200"}).status_code == 404
    assert client.post(url("alumnos", aula), {"nombre": "Intrusa"}).status_code == 404
    assert Alumno.objects.filter(aula=aula).count() == 1
    ana.refresh_from_db()
    assert ana.tiempo_extra == 100


def test_the_settings_page_turns_on_speed_points_and_picks_who_sees_the_leaderboard(teacher_client, aula):
    page = teacher_client.get(url("aula_editar", aula)).content.decode()
    assert "Solo al final del cuestionario" in page
    teacher_client.post(url("aula_editar", aula), {"nombre": "3ºB", "puntos_velocidad": "on", "clasificacion": "top5"})
    aula.refresh_from_db()
    assert (aula.nombre, aula.puntos_velocidad, aula.clasificacion) == ("3ºB", True, Clasificacion.TOP5)
    assert "Mostrar clasificación" in teacher_client.get(url("panel", aula)).content.decode()


def test_a_students_history_lists_every_question_since_they_joined_by_day(teacher_client, aula):
    from datetime import timedelta

    from django.utils import timezone

    ana = AlumnoFactory(aula=aula, nombre="Ana", numero="S-01")
    ana.creado = timezone.now() - timedelta(days=10)
    ana.save()
    closed = {"cerrada": timezone.now()}
    before = RondaFactory(aula=aula, texto="Antes de unirse", correcta=True, **closed)
    before.abierta = ana.creado - timedelta(days=1)
    before.save()
    last_week = RondaFactory(aula=aula, texto="<b>Lima</b> es la capital de Perú.", correcta=True, **closed)
    last_week.abierta = timezone.now() - timedelta(days=7)
    last_week.save()
    today_right = RondaFactory(aula=aula, texto="Quito es la capital de Ecuador.", correcta=True, **closed)
    RondaFactory(aula=aula, texto="Sin responder", correcta=False)
    RespuestaFactory(ronda=last_week, alumno=ana, valor=False, seguro=True)
    RespuestaFactory(ronda=today_right, alumno=ana, valor=True, seguro=False)

    response = teacher_client.get(url("alumno_historial", aula, ana.pk))
    page = response.content.decode()
    assert [len(rows) for _, rows in response.context["days"]] == [1, 2]
    assert (response.context["asked"], response.context["answered"], response.context["right"]) == (3, 2, 1)
    assert "Antes de unirse" not in page and "&lt;b&gt;Lima&lt;/b&gt;" in page and "S-01" in page
    assert "(no seguro)" in page
    results = teacher_client.get(url("resultados", aula)).content.decode()
    assert url("alumno_historial", aula, ana.pk) in results


def test_a_full_class_list_imports_and_a_longer_one_is_refused_whole(teacher_client, aula):
    from preguntas.game.roster import MAX_ROWS

    rows = "".join(f"Alumno {i},S-{i}\n" for i in range(MAX_ROWS + 1)).encode()
    refused = upload(teacher_client, aula, b"nombre,numero\n" + rows)
    assert refused.status_code == 400 and f"más de {MAX_ROWS} alumnos" in refused.content.decode()
    assert not aula.alumnos.exists()
    upload(teacher_client, aula, b"nombre,numero\n" + rows.rsplit(b"\n", 2)[0] + b"\n")
    assert aula.alumnos.filter(en_lista=True).count() == MAX_ROWS
