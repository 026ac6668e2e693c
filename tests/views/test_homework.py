"""Homework pages: the teacher assigns and follows a quiz; students do it over plain forms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preguntas.game import homework
from preguntas.models import Alumno, Intento, RespuestaTarea, Tarea
from tests.factories import AlumnoFactory, AulaFactory, ChoiceFactory, CuestionarioFactory, MultiFactory, NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="Ríos de España")
    quiz.anadir(ChoiceFactory(propietario=alice, texto="¿Río más largo?"))
    quiz.anadir(MultiFactory(propietario=alice, texto="¿Cuáles al Atlántico?"))
    quiz.anadir(NumberFactory(propietario=alice, texto="¿Km del Tajo?"))
    return quiz


@pytest.fixture
def tarea(aula, quiz):
    now = timezone.now()
    return homework.assign(aula, quiz, abre=now - timedelta(hours=1), vence=now + timedelta(days=1))


@pytest.fixture
def teacher_client(client, alice):
    client.force_login(alice)
    return client


def student_url(name, tarea):
    return reverse(f"preguntas:{name}", args=[tarea.aula.codigo, tarea.pk])


def joined(tarea, name="Ana") -> Client:
    client = Client()
    response = client.post(student_url("tarea_unirse", tarea), {"nombre": name})
    assert response.status_code == 302
    return client


def form_data(tarea, valid):
    local = lambda d: timezone.localtime(d).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    now = timezone.now()
    return {
        "cuestionario": valid.pk, "abre": local(now), "vence": local(now + timedelta(days=2)), "revelar": "al_vencer",
        "intentos": "2", "cuenta": "ultimo", "segundos": "30", "barajar": "on",
    }


def test_the_teacher_assigns_a_quiz_and_lands_on_its_progress_page(teacher_client, aula, quiz):
    response = teacher_client.post(reverse("preguntas:tareas", args=[aula.codigo]), form_data(None, quiz))
    tarea = Tarea.objects.get()
    assert response.status_code == 302 and response.url == reverse("preguntas:tarea", args=[aula.codigo, tarea.pk])
    assert (tarea.revelar, tarea.intentos, tarea.cuenta, tarea.segundos, tarea.barajar) == ("al_vencer", 2, "ultimo", 30, True)
    assert [p.texto for p in tarea.preguntas.all()] == ["¿Río más largo?", "¿Cuáles al Atlántico?", "¿Km del Tajo?"]
    page = teacher_client.get(response.url).content.decode()
    assert "Ríos de España" in page and "Los alumnos aparecerán aquí al empezar la tarea." in page


@pytest.mark.parametrize("change, field", [
    ({"vence": "2020-01-01T10:00"}, "vence"),
    ({"intentos": "0"}, "intentos"),
    ({"intentos": "99"}, "intentos"),
    ({"segundos": "1"}, "segundos"),
    ({"revelar": "nunca"}, "revelar"),
])
def test_assigning_refuses_what_makes_no_sense(teacher_client, aula, quiz, change, field):
    response = teacher_client.post(reverse("preguntas:tareas", args=[aula.codigo]), {**form_data(None, quiz), **change})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Tarea.objects.exists()


def test_an_empty_quiz_or_another_teachers_quiz_cannot_be_assigned(teacher_client, aula, alice, bob):
    empty = CuestionarioFactory(propietario=alice)
    theirs = CuestionarioFactory(propietario=bob)
    theirs.anadir(ChoiceFactory(propietario=bob))
    for quiz in (empty, theirs):
        response = teacher_client.post(reverse("preguntas:tareas", args=[aula.codigo]), form_data(None, quiz))
        assert response.status_code == 400 and "cuestionario" in response.context["form"].errors
    assert not Tarea.objects.exists()


def test_only_the_classrooms_teacher_sees_or_follows_its_homework(client, bob, tarea):
    client.force_login(bob)
    for name in ("tareas", "tarea", "tarea_progreso"):
        args = [tarea.aula.codigo] + ([tarea.pk] if name != "tareas" else [])
        assert client.get(reverse(f"preguntas:{name}", args=args)).status_code == 404
    assert client.post(reverse("preguntas:tareas", args=[tarea.aula.codigo]), {}).status_code == 404


def test_a_student_joins_answers_every_kind_and_the_teacher_sees_it(teacher_client, tarea):
    ana = joined(tarea)
    assert ana.post(student_url("tarea_empezar", tarea)).status_code == 302
    page = ana.get(student_url("tarea_alumno", tarea)).content.decode()
    assert "Pregunta 1 de 3" in page and "¿Río más largo?" in page and 'type="radio"' in page
    first, second, third = tarea.preguntas.all()
    response = ana.post(student_url("tarea_responder", tarea), {"pregunta": first.pk, "opcion": "1"})
    assert response.url.endswith(f"?tras={first.pk}")
    shown = ana.get(response.url).content.decode()
    assert "¡Correcto!" in shown and "Tajo" in shown
    ana.post(student_url("tarea_responder", tarea), {"pregunta": second.pk, "opcion": ["1", "3"], "no_seguro": "1"})
    assert 'name="numero"' in ana.get(student_url("tarea_alumno", tarea)).content.decode()
    ana.post(student_url("tarea_responder", tarea), {"pregunta": third.pk, "numero": "1.000,5".replace(".", "")})
    answers = list(RespuestaTarea.objects.order_by("pk").values_list("valor", "correcta", "seguro"))
    assert answers == [(1, True, None), ([1, 3], True, False), (1000.5, True, None)]
    done = ana.get(student_url("tarea_alumno", tarea)).content.decode()
    assert "3 de 3 aciertos" in done
    progress = teacher_client.get(reverse("preguntas:tarea_progreso", args=[tarea.aula.codigo, tarea.pk])).json()
    assert progress["started"] == 1 and progress["finished"] == 1
    assert progress["students"][0] | {"id": None} == {
        "id": None, "name": "Ana", "attempts": 1, "answered": 3, "score": 3, "started": True, "finished": True
    }


def test_a_reload_continues_with_the_same_question(tarea):
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    first = tarea.preguntas.first()
    ana.post(student_url("tarea_responder", tarea), {"pregunta": first.pk, "opcion": "2"})
    for _ in range(2):
        page = ana.get(student_url("tarea_alumno", tarea)).content.decode()
        assert "Pregunta 2 de 3" in page
    assert Intento.objects.count() == 1


def test_an_answer_to_another_question_or_without_a_value_is_refused(tarea):
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    first, second, _third = tarea.preguntas.all()
    for data in ({"pregunta": second.pk, "opcion": "1"}, {"pregunta": first.pk}, {"pregunta": first.pk, "opcion": "99"},
                 {"pregunta": "x", "opcion": "1"}):
        response = ana.post(student_url("tarea_responder", tarea), data, follow=True)
        assert response.status_code == 200
    assert not RespuestaTarea.objects.exists()


def test_after_the_due_time_answers_are_refused_with_a_clear_message(tarea):
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    Tarea.objects.filter(pk=tarea.pk).update(vence=timezone.now() - timedelta(minutes=1))
    first = tarea.preguntas.first()
    response = ana.post(student_url("tarea_responder", tarea), {"pregunta": first.pk, "opcion": "1"}, follow=True)
    assert "El plazo de esta tarea ya venció" in response.content.decode()
    assert not RespuestaTarea.objects.exists()
    late = Client().get(student_url("tarea_alumno", tarea)).content.decode()
    assert "El plazo de esta tarea ya venció" in late and 'name="nombre"' not in late


def test_the_right_answer_stays_hidden_until_the_due_time_when_the_teacher_says_so(tarea):
    Tarea.objects.filter(pk=tarea.pk).update(revelar="al_vencer")
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    first = tarea.preguntas.first()
    response = ana.post(student_url("tarea_responder", tarea), {"pregunta": first.pk, "opcion": "2"}, follow=True)
    page = response.content.decode()
    assert "Respuesta guardada" in page and "Tajo" not in page and "Incorrecto" not in page


def test_a_student_of_another_classroom_cannot_answer(tarea, alice):
    other = AulaFactory(propietario=alice, codigo="OTRA01")
    stranger = AlumnoFactory(aula=other, nombre="Zoe")
    client = Client()
    client.cookies["qrt-tarea-OTRA01"] = stranger.token
    client.cookies[f"qrt-tarea-{tarea.aula.codigo}"] = stranger.token  # a token of another classroom
    page = client.get(student_url("tarea_alumno", tarea)).content.decode()
    assert 'name="nombre"' in page  # not known here: asked to join
    client.post(student_url("tarea_empezar", tarea))
    client.post(student_url("tarea_responder", tarea), {"pregunta": tarea.preguntas.first().pk, "opcion": "1"})
    assert not Intento.objects.exists() and not RespuestaTarea.objects.exists()


def test_a_roster_classroom_takes_a_seat_not_a_new_name(tarea):
    seat = AlumnoFactory(aula=tarea.aula, nombre="Beto Ruiz", en_lista=True, reclamado=None)
    refused = Client().post(student_url("tarea_unirse", tarea), {"nombre": "Intruso"})
    assert refused.status_code == 400 and not Alumno.objects.filter(nombre="Intruso").exists()
    client = Client()
    assert client.post(student_url("tarea_unirse", tarea), {"puesto": seat.pk}).status_code == 302
    page = client.get(student_url("tarea_alumno", tarea)).content.decode()
    assert "Beto Ruiz" in page and "Empezar" in page
    taken = Client().post(student_url("tarea_unirse", tarea), {"puesto": seat.pk})
    assert taken.status_code == 400 and "ya está en uso" in taken.content.decode()


def test_the_live_token_of_this_device_continues_as_the_same_student(tarea):
    ana = AlumnoFactory(aula=tarea.aula, nombre="Ana")
    client = Client()
    client.post(student_url("tarea_unirse", tarea), {"token": ana.token, "nombre": ""})
    assert "Ana" in client.get(student_url("tarea_alumno", tarea)).content.decode()
    assert Alumno.objects.count() == 1


def test_every_student_form_needs_the_csrf_token(tarea):
    client = Client(enforce_csrf_checks=True)
    for name in ("tarea_unirse", "tarea_empezar", "tarea_responder"):
        assert client.post(student_url(name, tarea), {"nombre": "Ana"}).status_code == 403
    assert not Alumno.objects.exists()


def test_the_answer_page_offers_open_homework_while_no_round_is_live(tarea):
    page = Client().get(reverse("preguntas:alumno_codigo", args=[tarea.aula.codigo])).content.decode()
    assert student_url("tarea_alumno", tarea) in page
    Tarea.objects.filter(pk=tarea.pk).update(abre=timezone.now() + timedelta(hours=1))
    page = Client().get(reverse("preguntas:alumno_codigo", args=[tarea.aula.codigo])).content.decode()
    assert student_url("tarea_alumno", tarea) not in page


def test_results_history_and_gradebook_show_homework_apart_from_live_rounds(teacher_client, tarea):
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    ana.post(student_url("tarea_responder", tarea), {"pregunta": tarea.preguntas.first().pk, "opcion": "1"})
    code = tarea.aula.codigo
    results = teacher_client.get(reverse("preguntas:resultados", args=[code])).content.decode()
    assert "Ríos de España" in results and "Todavía no se ha lanzado ninguna pregunta" in results
    alumno = Alumno.objects.get(nombre="Ana")
    history = teacher_client.get(reverse("preguntas:alumno_historial", args=[code, alumno.pk])).content.decode()
    assert "¿Río más largo?" in history and "Aciertos: 0" in history
    gradebook = teacher_client.get(reverse("preguntas:cuaderno_csv", args=[code])).content.decode("utf-8-sig")
    lines = gradebook.splitlines()
    assert lines[0] == '"alumno","numero","Ríos de España (tarea)"' and lines[1] == '"Ana","","1"'


def test_the_panel_links_to_the_open_homework(teacher_client, tarea):
    page = teacher_client.get(reverse("preguntas:panel", args=[tarea.aula.codigo])).content.decode()
    assert reverse("preguntas:tarea", args=[tarea.aula.codigo, tarea.pk]) in page
    assert reverse("preguntas:tareas", args=[tarea.aula.codigo]) in page


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_teacher_extends_or_shortens_the_due_time_but_never_to_before_the_opening(teacher_client, tarea):
    url = reverse("preguntas:tarea_plazo", args=[tarea.aula.codigo, tarea.pk])
    page = teacher_client.get(reverse("preguntas:tarea", args=[tarea.aula.codigo, tarea.pk])).content.decode()
    assert f'action="{url}"' in page and f'value="{local(tarea.vence)}"' in page
    later = (tarea.vence + timedelta(days=3)).replace(second=0, microsecond=0)
    response = teacher_client.post(url, {"vence": local(later)})
    assert response.status_code == 302 and response.url == reverse("preguntas:tarea", args=[tarea.aula.codigo, tarea.pk])
    tarea.refresh_from_db()
    assert tarea.vence == later
    sooner = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    teacher_client.post(url, {"vence": local(sooner)})
    tarea.refresh_from_db()
    assert tarea.vence == sooner and homework.is_due(tarea)
    for refused in (local(tarea.abre - timedelta(minutes=5)), "mañana", ""):
        response = teacher_client.post(url, {"vence": refused}, follow=True)
        assert list(response.context["messages"])[-1].level_tag == "warning"
        tarea.refresh_from_db()
        assert tarea.vence == sooner


def test_deleting_a_homework_deletes_its_attempts_and_answers_after_a_confirmation(teacher_client, tarea):
    ana = joined(tarea)
    ana.post(student_url("tarea_empezar", tarea))
    ana.post(student_url("tarea_responder", tarea), {"pregunta": tarea.preguntas.first().pk, "opcion": "1"})
    url = reverse("preguntas:tarea_borrar", args=[tarea.aula.codigo, tarea.pk])
    page = teacher_client.get(reverse("preguntas:tarea", args=[tarea.aula.codigo, tarea.pk])).content.decode()
    form = page[page.index(f'action="{url}"'):]
    assert "data-confirm=\"¿Borrar la tarea «Ríos de España»? Se borra también 1 intento, con las respuestas del alumno" in form
    assert teacher_client.get(url).status_code == 405
    response = teacher_client.post(url)
    assert response.status_code == 302 and response.url == reverse("preguntas:tareas", args=[tarea.aula.codigo])
    assert (Tarea.objects.count(), Intento.objects.count(), RespuestaTarea.objects.count()) == (0, 0, 0)
    assert Alumno.objects.filter(nombre="Ana").exists()  # the student stays in the classroom


def test_only_the_classrooms_teacher_changes_or_deletes_its_homework(client, bob, tarea):
    vence = tarea.vence
    client.force_login(bob)
    url = reverse("preguntas:tarea_plazo", args=[tarea.aula.codigo, tarea.pk])
    assert client.post(url, {"vence": local(vence + timedelta(days=9))}).status_code == 404
    assert client.post(reverse("preguntas:tarea_borrar", args=[tarea.aula.codigo, tarea.pk])).status_code == 404
    other = AulaFactory(propietario=bob)
    assert client.post(reverse("preguntas:tarea_borrar", args=[other.codigo, tarea.pk])).status_code == 404
    tarea.refresh_from_db()
    assert tarea.vence == vence


def test_changing_or_deleting_a_homework_needs_the_csrf_token(alice, tarea):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for name in ("tarea_plazo", "tarea_borrar"):
        assert client.post(reverse(f"preguntas:{name}", args=[tarea.aula.codigo, tarea.pk])).status_code == 403
    assert Tarea.objects.filter(pk=tarea.pk).exists()
