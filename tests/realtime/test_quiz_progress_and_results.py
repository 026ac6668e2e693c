"""What the socket says beyond the round itself: where a round sits in its quiz, a student's result
after a reload, and that a classroom is archived."""

import pytest
from channels.db import database_sync_to_async

from tests.factories import CuestionarioFactory, PreguntaFactory
from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quiz(alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="Capitales")
    questions = [PreguntaFactory(propietario=alice) for _ in range(3)]
    for pregunta in questions:
        quiz.anadir(pregunta)
    return quiz, questions


async def test_each_round_of_a_quiz_says_its_place_and_the_last_close_ends_it(aula, alice, quiz):
    cuestionario, questions = quiz
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    await send(panel, {"type": "push", "question": questions[1].pk, "quiz": cuestionario.pk})
    second = await receive_type(panel, "question")
    assert second["quiz"] == {"position": 2, "of": 3}
    assert (await receive_type(ana, "question"))["quiz"] == {"position": 2, "of": 3}

    # A student who comes back, and a panel that reloads, are told the same.
    late, _, state = await student(aula.codigo, "Beto")
    assert state["round"]["quiz"] == {"position": 2, "of": 3}
    reloaded, teacher_state = await teacher(aula.codigo, alice)
    assert teacher_state["round"]["quiz"] == {"position": 2, "of": 3}

    await send(panel, {"type": "close", "round": second["round"]})
    assert (await receive_type(panel, "closed"))["quiz"] == {"position": 2, "of": 3}

    await send(panel, {"type": "push", "question": questions[2].pk, "quiz": cuestionario.pk})
    last = await receive_type(panel, "question")
    await send(panel, {"type": "close", "round": last["round"]})
    assert (await receive_type(panel, "closed"))["quiz"] == {"position": 3, "of": 3}
    for socket in (panel, ana, late, reloaded):
        await socket.disconnect()


async def test_a_question_pushed_without_a_quiz_says_nothing_of_one(aula, alice, pregunta):
    panel, _ = await teacher(aula.codigo, alice)
    await send(panel, {"type": "push", "question": pregunta.pk})
    question = await receive_type(panel, "question")
    assert "quiz" not in question
    await send(panel, {"type": "close", "round": question["round"]})
    assert "quiz" not in await receive_type(panel, "closed")
    await panel.disconnect()


async def test_a_student_who_rejoins_just_after_the_close_gets_their_result_back(aula, alice, pregunta):
    panel, _ = await teacher(aula.codigo, alice)
    ana, joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await send(panel, {"type": "push", "question": pregunta.pk})
    question = await receive_type(panel, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": False})
    await receive_type(ana, "answered")
    await send(panel, {"type": "close", "round": question["round"]})
    await receive_type(panel, "closed")

    again = await open_socket(aula.codigo)
    await send(again, {"type": "join", "token": joined["token"]})
    state = await receive_type(again, "state")
    assert state["round"] is None
    assert state["result"] == {
        "round": question["round"], "question": {"id": pregunta.pk, "text": pregunta.texto},
        "kind": "tf", "image": None, "right_options": ["true"], "correct": True, "explanation": None,
            "value": False, "right": False,
    }
    _, _, beto_state = await student(aula.codigo, "Carla")
    assert beto_state["result"]["value"] is None and beto_state["result"]["right"] is None
    for socket in (panel, ana, beto, again):
        await socket.disconnect()


async def test_an_archived_classroom_says_it_is_not_active_before_closing(aula):
    aula.archivada = True
    await database_sync_to_async(aula.save)()
    communicator = await open_socket(aula.codigo)
    assert await receive(communicator) == {
        "type": "error", "code": "archived", "detail": "Esta aula no está activa: tu docente la ha archivado.",
    }
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4404}
