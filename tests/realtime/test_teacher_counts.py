"""A teacher's socket counts the answers and the connected students in memory, and the database stays the truth."""

import pytest
from channels.db import database_sync_to_async

from preguntas.game import rounds
from preguntas.models import Conexion
from preguntas.realtime.presence import PROCESS_ID
from tests.factories import AlumnoFactory, RespuestaFactory
from tests.sockets import receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


async def tally_of(socket, round_id: int, answered: int, timeout: float = 5) -> dict:
    """The first tally of a round that counts ``answered`` answers (earlier ones are skipped)."""
    while True:
        frame = await receive_type(socket, "tally", timeout)
        if frame["round"] == round_id and frame["answered"] >= answered:
            return frame


async def test_an_answer_whose_event_never_came_is_counted_once_answers_go_quiet(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    round_id = (await receive_type(teacher_socket, "question"))["round"]
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": round_id, "value": True})
    await receive_type(ana, "answered")
    # Beto's answer is stored, but its `answers.stored` event is lost (a channel-layer outage).
    beto = await database_sync_to_async(AlumnoFactory)(aula=aula, nombre="Beto")
    await database_sync_to_async(RespuestaFactory)(ronda_id=round_id, alumno=beto, valor=False)
    frame = await tally_of(teacher_socket, round_id, answered=2)
    assert (frame["true"], frame["false"]) == (1, 1)
    for socket in (teacher_socket, ana):
        await socket.disconnect()


async def test_a_teacher_who_reconnects_mid_round_reads_the_counts_from_the_database(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    round_id = (await receive_type(teacher_socket, "question"))["round"]
    for socket in (ana, beto):
        await receive_type(socket, "question")
    await send(ana, {"type": "answer", "round": round_id, "value": True})
    await receive_type(ana, "answered")
    await teacher_socket.disconnect()
    again, state = await teacher(aula.codigo, alice)
    assert (state["tally"]["true"], state["tally"]["false"], state["tally"]["answered"]) == (1, 0, 1)
    await send(beto, {"type": "answer", "round": round_id, "value": False})
    await receive_type(beto, "answered")
    frame = await tally_of(again, round_id, answered=2)
    assert (frame["true"], frame["false"]) == (1, 1)
    assert [answer["value"] for answer in frame["answers"]] == [False]
    for socket in (again, ana, beto):
        await socket.disconnect()


async def connected_of(socket, connected: int, timeout: float = 5) -> dict:
    """The first tally that counts ``connected`` students connected (earlier ones are skipped)."""
    while True:
        frame = await receive_type(socket, "tally", timeout)
        if frame["connected"] == connected:
            return frame


async def test_a_student_whose_join_event_never_came_is_counted_once_presence_goes_quiet(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    await connected_of(teacher_socket, 1)
    # Beto's socket is open on this process, but its `presence.changed` event is lost.
    beto = await database_sync_to_async(AlumnoFactory)(aula=aula, nombre="Beto")
    await database_sync_to_async(Conexion.objects.create)(alumno=beto, proceso=PROCESS_ID)
    carla, _, _ = await student(aula.codigo, "Carla")
    await connected_of(teacher_socket, 3)
    for socket in (teacher_socket, ana, carla):
        await socket.disconnect()


async def test_the_socket_that_opens_or_closes_a_round_counts_from_it_without_reading_it_back(
    aula, alice, pregunta, monkeypatch
):
    panel, _ = await teacher(aula.codigo, alice)
    projector, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    reads = []
    real_open_round = rounds.open_round

    def open_round(aula_):
        reads.append(aula_.pk)
        return real_open_round(aula_)

    monkeypatch.setattr(rounds, "open_round", open_round)
    await send(panel, {"type": "push", "question": pregunta.pk})
    round_id = (await receive_type(ana, "question"))["round"]
    await send(ana, {"type": "answer", "round": round_id, "value": True})
    await receive_type(ana, "answered")
    for socket in (panel, projector):
        assert (await tally_of(socket, round_id, answered=1))["true"] == 1
    assert len(reads) == 1, "the projector read the round it heard of; the panel knew it"

    await send(panel, {"type": "close", "round": round_id})
    await receive_type(ana, "closed")
    beto, _, _ = await student(aula.codigo, "Beto")  # a tally to each teacher socket, after the close
    for socket in (panel, projector):
        assert (await connected_of(socket, 2))["round"] is None
    assert len(reads) == 2
    for socket in (panel, projector, ana, beto):
        await socket.disconnect()
