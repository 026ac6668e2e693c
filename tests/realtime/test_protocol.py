"""Frames as protocol.py builds them, and the frames the server decides for each reader."""

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async

from preguntas.game import rounds, tallies
from preguntas.models import Alumno
from preguntas.realtime import protocol
from tests.factories import AlumnoFactory, RondaFactory
from tests.sockets import open_socket, receive, receive_type, send, student, teacher


@pytest.mark.django_db
def test_frames_never_carry_the_answer_before_close(aula):
    ronda = RondaFactory(aula=aula)
    AlumnoFactory(aula=aula)
    state = protocol.teacher_state(aula, ronda, tallies.tally(aula, ronda), tallies.roster(aula, ronda))
    for frame in (protocol.question(ronda), protocol.student_state(aula, ronda, None, 100), state):
        assert "correct" not in str(frame) and "right" not in str(frame)
    rounds.close(aula, ronda.pk)
    assert protocol.closed(ronda, tallies.counts(ronda))["correct"] is True


@pytest.mark.django_db
def test_the_teacher_hears_when_a_round_really_closes_and_students_their_own_deadline(aula, alice, pregunta):
    ronda = RondaFactory(aula=aula, pregunta=pregunta)
    ronda.limite = ronda.abierta + timedelta(seconds=20)
    ronda.cierre = ronda.abierta + timedelta(seconds=30)
    assert protocol.teacher_round_payload(ronda)["closes"] == ronda.cierre.isoformat()
    assert "closes" not in protocol.question(ronda) and protocol.question(ronda)["seconds"] == 20
    state = protocol.student_state(aula, ronda, None, 150)
    assert state["round"]["your_deadline"] == (ronda.abierta + timedelta(seconds=30)).isoformat()
    ronda.cierre = ronda.limite
    assert "closes" not in protocol.teacher_round_payload(ronda)


pytestmark_sockets = pytest.mark.django_db(transaction=True)


@pytestmark_sockets
async def test_a_new_round_starts_the_teachers_tally_at_zero_of_the_connected(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    first = await receive_type(teacher_socket, "question")
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": first["round"], "value": True})
    await receive_type(ana, "answered")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    second = await receive_type(teacher_socket, "question")
    tally = await receive_type(teacher_socket, "tally")
    while tally["round"] != second["round"]:
        tally = await receive_type(teacher_socket, "tally")
    assert (tally["true"], tally["false"], tally["answered"], tally["connected"]) == (0, 0, 0, 2)
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


@pytestmark_sockets
async def test_at_close_each_student_hears_their_own_result_and_the_teacher_who_was_right(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, beto_joined, _ = await student(aula.codigo, "Beto")
    carla, _, _ = await student(aula.codigo, "Carla")  # does not answer
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    for socket, value, sure in ((ana, True, False), (beto, False, True)):
        await receive_type(socket, "question")
        await send(socket, {"type": "answer", "round": question["round"], "value": value, "sure": sure})
        await receive_type(socket, "answered")
    await send(teacher_socket, {"type": "close", "round": question["round"]})
    assert await receive_type(ana, "result") == {"type": "result", "round": question["round"], "value": True, "right": True}
    assert await receive_type(beto, "result") == {"type": "result", "round": question["round"], "value": False, "right": False}
    await receive_type(carla, "closed")
    await send(carla, {"type": "ping"})
    assert await receive(carla) == {"type": "pong"}  # no result for a student who did not answer
    outcome = await receive_type(teacher_socket, "outcome")
    assert outcome == {
        "type": "outcome", "round": question["round"],
        "right": [ana_joined["student"]["id"]], "wrong": [beto_joined["student"]["id"]],
        "confidence": {"right_sure": 0, "right_unsure": 1, "wrong_sure": 1, "wrong_unsure": 0},
    }
    for socket in (teacher_socket, ana, beto, carla):
        await socket.disconnect()


@pytestmark_sockets
async def test_a_student_with_extra_time_is_told_their_own_deadline_at_the_push(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await database_sync_to_async(Alumno.objects.filter(pk=ana_joined["student"]["id"]).update)(tiempo_extra=200)
    await send(teacher_socket, {"type": "push", "question": pregunta.pk, "seconds": 30})
    question = await receive_type(ana, "question")
    own = await receive_type(ana, "deadline")
    ronda = await database_sync_to_async(lambda: aula.rondas.get(pk=question["round"]))()
    assert own == {"type": "deadline", "round": question["round"], "deadline": ronda.limite_para(200).isoformat()}
    await receive_type(beto, "question")
    await send(beto, {"type": "ping"})
    assert await receive(beto) == {"type": "pong"}  # nobody else hears of it
    rejoined = await open_socket(aula.codigo)
    await send(rejoined, {"type": "join", "token": ana_joined["token"]})
    state = await receive_type(rejoined, "state")
    assert state["round"]["your_deadline"] == own["deadline"]
    for socket in (teacher_socket, ana, beto, rejoined):
        await socket.disconnect()
    await asyncio.sleep(0)


@pytest.mark.django_db
def test_the_teachers_state_remembers_that_the_split_is_on_view(aula, pregunta):
    ronda = RondaFactory(aula=aula, pregunta=pregunta)
    assert "split_shown" not in protocol.teacher_round_payload(ronda)
    rounds.show_split(aula, ronda.pk)
    ronda.refresh_from_db()
    assert protocol.teacher_round_payload(ronda)["split_shown"] is True
    assert "split_shown" not in protocol.question(ronda)
