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


def test_the_panel_lists_a_chosen_quiz_in_its_order(client, alice, aula, quiz):
    client.force_login(alice)
    quiz.mover(quiz.preguntas.get(texto="Primera"), +1)
    response = client.get(reverse("preguntas:panel", args=[aula.codigo]), {"cuestionario": quiz.pk})
    assert [p.texto for p in response.context["preguntas"]] == ["Segunda", "Primera", "Tercera"]
