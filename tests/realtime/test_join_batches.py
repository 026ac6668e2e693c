"""A class joining at once over the socket: each join answered on its own, the teacher counting them all."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from preguntas.game import students as rules
from preguntas.models import Conexion
from tests.sockets import open_socket, receive, receive_type, send, teacher


async def join_at_once(code: str, frames: list[dict]) -> list[tuple]:
    sockets = await asyncio.gather(*(open_socket(code) for _ in frames))
    await asyncio.gather(*(send(s, frame) for s, frame in zip(sockets, frames)))
    firsts = await asyncio.gather(*(receive(s) for s in sockets))
    return list(zip(sockets, firsts))


@pytest.mark.django_db(transaction=True)
async def test_a_class_joining_at_once_gets_a_joined_and_a_state_each(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")

    joined = await join_at_once(aula.codigo, [{"type": "join", "name": f"Alumno {i:02}"} for i in range(30)])
    assert [first["type"] for _, first in joined] == ["joined"] * 30
    assert sorted(first["student"]["name"] for _, first in joined) == [f"Alumno {i:02}" for i in range(30)]
    states = await asyncio.gather(*(receive(s) for s, _ in joined))
    assert {(s["type"], s["round"]["round"], s["answered"]) for s in states} == {("state", question["round"], False)}

    tally = await receive_type(teacher_socket, "tally")
    while tally["connected"] < 30:
        tally = await receive_type(teacher_socket, "tally")
    assert tally["connected"] == 30
    assert await database_sync_to_async(Conexion.objects.count)() == 30
    for s, _ in joined:
        await s.disconnect()
    await teacher_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_in_a_burst_repeated_names_are_numbered_and_bad_joins_fail_alone(aula, alice):
    ana = await database_sync_to_async(rules.join)(aula, "Ana")
    frames = [
        {"type": "join", "name": "Ana"},
        {"type": "join", "name": "Beto"},
        {"type": "join", "name": "Beto"},
        {"type": "join", "name": ""},
        {"type": "join", "token": "not-a-token"},
        {"type": "join", "token": ana.token},
        {"type": "join", "name": "Carla"},
    ]
    joined = await join_at_once(aula.codigo, frames)
    firsts = [first for _, first in joined]
    assert [f["type"] for f in firsts] == ["joined", "joined", "joined", "error", "error", "joined", "joined"]
    assert sorted(f["student"]["name"] for f in firsts if f["type"] == "joined") == ["Ana", "Ana 2", "Beto", "Beto 2", "Carla"]
    assert firsts[0].get("asked_name") == "Ana"
    assert [f["code"] for f in firsts if f["type"] == "error"] == ["invalid", "not_found"]
    assert firsts[5]["student"]["id"] == ana.pk

    refused = joined[4][0]  # a refused join may try again
    await send(refused, {"type": "join", "name": "Dani"})
    assert (await receive(refused))["student"]["name"] == "Dani"
    for s, _ in joined:
        await s.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_locked_classroom_refuses_a_burst_of_new_names_but_not_its_own_students(aula, alice):
    ana = await database_sync_to_async(rules.join)(aula, "Ana")
    await database_sync_to_async(rules.lock)(aula, True)
    joined = await join_at_once(
        aula.codigo, [{"type": "join", "name": "Beto"}, {"type": "join", "token": ana.token}, {"type": "join", "name": "Carla"}]
    )
    assert [first.get("code", first["type"]) for _, first in joined] == ["locked", "joined", "locked"]
    for s, _ in joined:
        await s.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_class_leaving_at_once_ends_every_connection_and_the_teacher_sees_none(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    joined = await join_at_once(aula.codigo, [{"type": "join", "name": f"Alumno {i:02}"} for i in range(20)])
    tally = await receive_type(teacher_socket, "tally")
    while tally["connected"] < 20:
        tally = await receive_type(teacher_socket, "tally")

    await asyncio.gather(*(s.disconnect() for s, _ in joined))
    while tally["connected"] > 0:
        tally = await receive_type(teacher_socket, "tally")
    assert tally["connected"] == 0
    assert await database_sync_to_async(Conexion.objects.count)() == 0
    await teacher_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_join_that_fails_unexpectedly_takes_nobody_else_with_it(aula, alice, monkeypatch):
    rejoin = rules.rejoin

    def failing(aula, token):
        if token == "failing":
            raise RuntimeError("the database went away")
        return rejoin(aula, token)

    monkeypatch.setattr(rules, "rejoin", failing)
    frames = [{"type": "join", "name": "Ana"}, {"type": "join", "token": "failing"}, {"type": "join", "name": "Beto"}]
    sockets = await asyncio.gather(*(open_socket(aula.codigo) for _ in frames))
    await asyncio.gather(*(send(s, frame) for s, frame in zip(sockets, frames)))
    ana, beto = await receive(sockets[0]), await receive(sockets[2])
    assert (ana["student"]["name"], beto["student"]["name"]) == ("Ana", "Beto")  # entered once each: no "Ana 2"
    with pytest.raises(RuntimeError):
        await receive(sockets[1])
    names = await database_sync_to_async(lambda: sorted(aula.alumnos.values_list("nombre", flat=True)))()
    assert names == ["Ana", "Beto"]
    assert await database_sync_to_async(Conexion.objects.count)() == 2
    for s in (sockets[0], sockets[2]):
        await s.disconnect()
