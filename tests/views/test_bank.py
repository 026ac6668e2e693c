"""The question bank: deleting (or archiving) questions, one or a selection, and copying a shared one."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from preguntas.models import Cuestionario, Pregunta
from tests.factories import PreguntaFactory, RondaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_question_never_pushed_is_deleted(alice_client, alice):
    unused = PreguntaFactory(propietario=alice, texto="Una pregunta mal importada.")
    response = alice_client.post(reverse("preguntas:preguntas_borrar"), {"pregunta": [unused.pk]})
    assert response.status_code == 302
    assert not Pregunta.objects.filter(pk=unused.pk).exists()
    assert said(response) == ["1 pregunta borrada."]


def test_a_question_used_in_a_round_is_archived_and_its_results_stay(alice_client, alice, aula):
    used = PreguntaFactory(propietario=alice, texto="Usada en clase.")
    ronda = RondaFactory(aula=aula, pregunta=used)
    quiz = Cuestionario.objects.create(nombre="Repaso", propietario=alice)
    quiz.anadir(used)
    response = alice_client.post(reverse("preguntas:preguntas_borrar"), {"pregunta": [used.pk]})
    used.refresh_from_db()
    assert used.archivada and list(used.rondas.all()) == [ronda]
    assert list(quiz.en_orden()) == []
    assert "Usada en clase." not in alice_client.get(reverse("preguntas:preguntas")).content.decode()
    assert "Usada en clase." in alice_client.get(reverse("preguntas:resultados", args=[aula.codigo])).content.decode()
    assert said(response) == [
        "1 pregunta ya se usó en rondas: sale del banco y de tus cuestionarios, y sus resultados se conservan."
    ]
    assert alice_client.get(reverse("preguntas:pregunta_editar", args=[used.pk])).status_code == 404


def test_a_selection_is_deleted_at_once_and_shared_questions_are_left_alone(alice_client, alice, aula):
    mine = [PreguntaFactory(propietario=alice) for _ in range(3)]
    shared = PreguntaFactory(propietario=None)
    RondaFactory(aula=aula, pregunta=mine[0])
    response = alice_client.post(reverse("preguntas:preguntas_borrar"), {"pregunta": [p.pk for p in mine] + [shared.pk, "x"]})
    assert list(Pregunta.objects.filter(propietario=alice).values_list("archivada", flat=True)) == [True]
    assert Pregunta.objects.filter(pk=shared.pk, archivada=False).exists()
    assert len(said(response)) == 2


def test_deleting_nothing_says_so(alice_client):
    response = alice_client.post(reverse("preguntas:preguntas_borrar"))
    assert said(response) == ["No has elegido ninguna pregunta tuya."]


def test_the_bank_asks_before_deleting_and_explains_shared_questions(alice_client, alice):
    PreguntaFactory(propietario=alice)
    PreguntaFactory(propietario=None)
    page = alice_client.get(reverse("preguntas:preguntas")).content.decode()
    assert 'id="form-borrar"' in page and "data-confirm=" in page
    assert "del banco común de todos los docentes" in page
    assert "Copiar y editar" in page


def test_copying_a_shared_question_gives_an_own_copy_to_edit_in_its_place(alice_client, alice):
    shared = PreguntaFactory(propietario=None, texto="Lima es la capital de Perú.", tema="Capitales")
    response = alice_client.post(reverse("preguntas:pregunta_copiar", args=[shared.pk]))
    copy = Pregunta.objects.get(propietario=alice)
    assert response.url == reverse("preguntas:pregunta_editar", args=[copy.pk])
    assert (copy.texto, copy.respuesta, copy.tema, copy.copiada_de) == (shared.texto, shared.respuesta, "Capitales", shared)
    assert list(Pregunta.objects.visibles_para(alice)) == [copy]
    # Saved unchanged, the copy is not a duplicate of the shared question it replaces.
    response = alice_client.post(
        reverse("preguntas:pregunta_editar", args=[copy.pk]), {"texto": copy.texto, "respuesta": "True", "tema": "Perú"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.tema == "Perú"
    # Copying again opens the same copy.
    alice_client.post(reverse("preguntas:pregunta_copiar", args=[shared.pk]))
    assert Pregunta.objects.filter(propietario=alice).count() == 1


def test_another_teacher_still_sees_the_shared_question(alice_client, alice, bob):
    shared = PreguntaFactory(propietario=None)
    alice_client.post(reverse("preguntas:pregunta_copiar", args=[shared.pk]))
    assert list(Pregunta.objects.visibles_para(bob)) == [shared]


def test_a_wrong_field_is_red_and_the_others_not_green(alice_client, alice):
    PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.")
    page = alice_client.post(
        reverse("preguntas:pregunta_nueva"), {"texto": "bogotá es la capital de colombia", "respuesta": "True", "tema": "x"}
    ).content.decode()
    assert "is-invalid" in page
    assert "is-valid" not in page.replace("is-invalid", "")
