"""Quizzes: ordered questions a teacher runs one after another."""

import pytest
from django.urls import reverse

from preguntas.models import Cuestionario
from tests.factories import CuestionarioFactory, PreguntaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="Capitales")
    for texto in ("Primera", "Segunda", "Tercera"):
        quiz.anadir(PreguntaFactory(propietario=alice, texto=texto))
    return quiz


def order(quiz):
    return [p.texto for p in quiz.en_orden()]


def test_questions_keep_their_order_and_can_be_moved_or_removed(quiz):
    assert order(quiz) == ["Primera", "Segunda", "Tercera"]
    tercera = quiz.preguntas.get(texto="Tercera")
    quiz.mover(tercera, -1)
    assert order(quiz) == ["Primera", "Tercera", "Segunda"]
    quiz.mover(quiz.preguntas.get(texto="Primera"), -1)  # already first: nothing moves
    assert order(quiz) == ["Primera", "Tercera", "Segunda"]
    quiz.anadir(tercera)  # already in: stays where it is
    quiz.quitar(quiz.preguntas.get(texto="Primera"))
    assert order(quiz) == ["Tercera", "Segunda"]


def test_teacher_builds_a_quiz_from_the_pages(client, alice, pregunta):
    client.force_login(alice)
    response = client.post(reverse("preguntas:cuestionarios"), {"nombre": "Repaso"})
    quiz = Cuestionario.objects.get(nombre="Repaso")
    assert response.url == reverse("preguntas:cuestionario", args=[quiz.pk])
    edit = reverse("preguntas:cuestionario_editar", args=[quiz.pk])
    client.post(edit, {"accion": "anadir", "pregunta": pregunta.pk})
    client.post(edit, {"accion": "renombrar", "nombre": "Repaso final"})
    quiz.refresh_from_db()
    assert (quiz.nombre, order(quiz)) == ("Repaso final", [pregunta.texto])
    page = client.get(reverse("preguntas:cuestionario", args=[quiz.pk]))
    assert pregunta.texto in page.content.decode()
    client.post(edit, {"accion": "borrar"})
    assert not Cuestionario.objects.exists()


def test_another_teacher_can_neither_see_nor_edit_a_quiz(client, bob, quiz):
    client.force_login(bob)
    assert client.get(reverse("preguntas:cuestionario", args=[quiz.pk])).status_code == 404
    edit = reverse("preguntas:cuestionario_editar", args=[quiz.pk])
    assert client.post(edit, {"accion": "borrar"}).status_code == 404


def test_a_quiz_takes_only_questions_the_teacher_can_see(client, alice, bob, quiz):
    client.force_login(alice)
    private = PreguntaFactory(propietario=bob)
    edit = reverse("preguntas:cuestionario_editar", args=[quiz.pk])
    assert client.post(edit, {"accion": "anadir", "pregunta": private.pk}).status_code == 404
    assert client.post(edit, {"accion": "explotar"}).status_code == 400


@pytest.mark.parametrize("value, status", [("abc", 400), ("1.5", 400), ("-1", 400), ("", 404), (str(2**63), 404)])
def test_a_question_id_that_is_no_id_is_a_bad_request_and_an_unknown_one_not_found(client, alice, quiz, value, status):
    client.force_login(alice)
    edit = reverse("preguntas:cuestionario_editar", args=[quiz.pk])
    assert client.post(edit, {"accion": "anadir", "pregunta": value}).status_code == status
    assert order(quiz) == ["Primera", "Segunda", "Tercera"]


@pytest.mark.parametrize("value, status", [("abc", 400), ("1.5", 400), ("0", 400), (str(2**63), 404)])
def test_the_panel_refuses_a_quiz_id_that_is_no_id_and_does_not_find_an_unknown_one(client, alice, aula, value, status):
    client.force_login(alice)
    assert client.get(reverse("preguntas:panel", args=[aula.codigo]), {"cuestionario": value}).status_code == status


def test_the_panel_does_not_show_another_teachers_quiz(client, alice, bob, aula):
    client.force_login(alice)
    bobs = CuestionarioFactory(propietario=bob)
    assert client.get(reverse("preguntas:panel", args=[aula.codigo]), {"cuestionario": bobs.pk}).status_code == 404


def test_the_panel_lists_a_chosen_quiz_in_its_order(client, alice, aula, quiz):
    client.force_login(alice)
    quiz.mover(quiz.preguntas.get(texto="Primera"), +1)
    response = client.get(reverse("preguntas:panel", args=[aula.codigo]), {"cuestionario": quiz.pk})
    assert [p.texto for p in response.context["preguntas"]] == ["Segunda", "Primera", "Tercera"]


def test_the_gradebook_has_a_column_per_quiz_and_counts_the_second_vote(client, alice, aula, quiz):
    from preguntas.game import rounds
    from tests.factories import AlumnoFactory, RespuestaFactory

    ana, beto = AlumnoFactory(aula=aula, nombre="Ana"), AlumnoFactory(aula=aula, nombre="Beto")
    primera, segunda = quiz.en_orden()[:2]
    r1 = rounds.push(aula, alice, primera.pk, quiz_id=quiz.pk)[1]
    RespuestaFactory(ronda=r1, alumno=ana, valor=True)
    RespuestaFactory(ronda=r1, alumno=beto, valor=False)
    _, r1b = rounds.revote(aula, r1.pk)  # Beto changes his mind: only the second vote counts
    RespuestaFactory(ronda=r1b, alumno=ana, valor=True)
    RespuestaFactory(ronda=r1b, alumno=beto, valor=True)
    r2 = rounds.push(aula, alice, segunda.pk, quiz_id=quiz.pk)[1]
    RespuestaFactory(ronda=r2, alumno=ana, valor=True)
    rounds.push(aula, alice, PreguntaFactory(propietario=alice).pk)  # ad hoc: not in the gradebook
    client.force_login(alice)
    body = client.get(reverse("preguntas:cuaderno_csv", args=[aula.codigo])).content.decode("utf-8-sig")
    assert body.splitlines() == ['"alumno","numero","Capitales"', '"Ana","","2"', '"Beto","","1"']


def test_pushing_from_someone_elses_quiz_is_refused(aula, alice, bob, pregunta):
    from preguntas.game import rounds
    from preguntas.game.errors import GameError

    bobs = CuestionarioFactory(propietario=bob)
    with pytest.raises(GameError) as error:
        rounds.push(aula, alice, pregunta.pk, quiz_id=bobs.pk)
    assert error.value.code == "not_found"
    with pytest.raises(GameError) as error:
        rounds.push(aula, alice, pregunta.pk, quiz_id="1")
    assert error.value.code == "invalid"
