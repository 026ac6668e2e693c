"""Group commit of answers over the socket: many at once, each acknowledged only once stored."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from preguntas.models import Respuesta
from tests.factories import AulaFactory
from tests.sockets import receive, receive_type, send, student, teacher


@pytest.mark.django_db(transaction=True)
async def test_a_class_answering_at_once_is_stored_and_tallied_exactly(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    students = [await student(aula.codigo, f"Alumno {i:02}") for i in range(40)]
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    await asyncio.gather(*(receive_type(s, "question") for s, _, _ in students))

    await asyncio.gather(
        *(send(s, {"type": "answer", "round": question["round"], "value": i % 4 == 0})
          for i, (s, _, _) in enumerate(students))
    )
    acks = await asyncio.gather(*(receive(s) for s, _, _ in students))
    assert {a["type"] for a in acks} == {"answered"}

    tally = await receive_type(teacher_socket, "tally")
    listed = list(tally["answers"])
    while tally["answered"] < 40 or len(listed) < 40:
        tally = await receive_type(teacher_socket, "tally")
        listed += tally["answers"]
    assert (tally["true"], tally["false"], tally["connected"]) == (10, 30, 40)
    assert sorted(a["student"] for a in listed) == sorted(j["student"]["id"] for _, j, _ in students)
    stored = await database_sync_to_async(lambda: list(Respuesta.objects.values_list("alumno__nombre", flat=True)))()
    assert sorted(stored) == sorted(joined["student"]["name"] for _, joined, _ in students)
    for s, _, _ in students:
        await s.disconnect()
    await teacher_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_frames_reach_only_the_sockets_of_their_classroom(aula, alice, pregunta):
    other = await database_sync_to_async(AulaFactory)()
    teacher_socket, _ = await teacher(aula.codigo, alice)
    mine, _, _ = await student(aula.codigo, "Ana")
    elsewhere, _, _ = await student(other.codigo, "Beto")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    await receive_type(mine, "question")
    assert await elsewhere.receive_nothing(timeout=0.5)
    for s in (teacher_socket, mine, elsewhere):
        await s.disconnect()



@pytest.mark.django_db(transaction=True)
async def test_one_students_out_of_range_round_fails_nobody_elses_answer(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    students = [await student(aula.codigo, f"Alumno {i:02}") for i in range(12)]
    intruder, _, _ = await student(aula.codigo, "Intruso")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    await asyncio.gather(*(receive_type(s, "question") for s, _, _ in students + [(intruder, None, None)]))

    await asyncio.gather(
        send(intruder, {"type": "answer", "round": 2**63, "value": True}),
        *(send(s, {"type": "answer", "round": question["round"], "value": True}) for s, _, _ in students),
    )
    assert (await receive(intruder))["code"] == "not_found"
    acks = await asyncio.gather(*(receive(s) for s, _, _ in students))
    assert [a["type"] for a in acks] == ["answered"] * 12
    stored = await database_sync_to_async(lambda: Respuesta.objects.filter(ronda_id=question["round"]).count())()
    assert stored == 12
    for s, _, _ in students:
        await s.disconnect()
    await intruder.disconnect()
    await teacher_socket.disconnect()
