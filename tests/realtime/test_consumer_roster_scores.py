"""Rosters, the leaderboard and extra time over the classroom socket (docs/protocol.md)."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from preguntas.game import students
from preguntas.models import Alumno, Clasificacion
from preguntas.realtime import notify
from tests.factories import AlumnoFactory
from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def make_seats(aula, *names, **kwargs):
    return [AlumnoFactory(aula=aula, nombre=n, en_lista=True, reclamado=None, **kwargs) for n in names]


@database_sync_to_async
def configure(aula, **fields):
    for name, value in fields.items():
        setattr(aula, name, value)
    aula.save()


async def test_students_ask_for_the_seats_and_join_with_one(aula, alice):
    ana, beto = await make_seats(aula, "Ana", "Beto")
    teacher_socket, _ = await teacher(aula.codigo, alice)
    phone = await open_socket(aula.codigo)
    await send(phone, {"type": "seats"})
    assert await receive(phone) == {
        "type": "seats",
        "seats": [{"id": ana.pk, "name": "Ana", "taken": False}, {"id": beto.pk, "name": "Beto", "taken": False}],
        "classroom": {"name": aula.nombre, "code": aula.codigo},
    }
    await send(phone, {"type": "join", "seat": ana.pk})
    joined = await receive(phone)
    assert joined["student"] == {"id": ana.pk, "name": "Ana"} and "extra_time" not in joined
    assert (await receive(phone))["type"] == "state"
    roster = await receive_type(teacher_socket, "roster")
    assert {s["name"]: s["online"] for s in roster["students"]} == {"Ana": True, "Beto": False}

    other = await open_socket(aula.codigo)
    await send(other, {"type": "join", "seat": ana.pk})
    assert (await receive(other))["code"] == "seat_taken"
    await send(other, {"type": "join", "name": "Carla"})
    assert (await receive(other))["code"] == "not_on_roster"
    await send(other, {"type": "seats"})
    assert [s["taken"] for s in (await receive(other))["seats"]] == [True, False]

    await phone.disconnect()  # a reload: the seat's token brings the same student back
    phone = await open_socket(aula.codigo)
    await send(phone, {"type": "join", "token": joined["token"]})
    assert (await receive(phone))["student"]["id"] == ana.pk
    for socket in (phone, other, teacher_socket):
        await socket.disconnect()


async def push_and_answer(teacher_socket, pregunta, answers, **extra):
    """Push a question, have each (socket, value) answer it, close it; the closed frame."""
    await send(teacher_socket, {"type": "push", "question": pregunta.pk, **extra})
    question = await receive_type(teacher_socket, "question")
    for socket, value in answers:
        await receive_type(socket, "question")
        await send(socket, {"type": "answer", "round": question["round"], "value": value})
        await receive_type(socket, "answered")
    await send(teacher_socket, {"type": "close", "round": question["round"]})
    return await receive_type(teacher_socket, "closed")


async def test_own_rank_only_reaches_each_student_privately(aula, alice, pregunta):
    await configure(aula, clasificacion=Clasificacion.PROPIA)
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    closed = await push_and_answer(teacher_socket, pregunta, [(ana, True), (beto, False)])
    await receive_type(ana, "closed")
    assert await receive(ana) == {"type": "result", "round": closed["round"], "value": True, "right": True}
    assert await receive(ana) == {"type": "rank", "of": 2, "rank": 1, "right": 1}
    await receive_type(beto, "closed")
    assert await receive(beto) == {"type": "result", "round": closed["round"], "value": False, "right": False}
    assert await receive(beto) == {"type": "rank", "of": 2, "rank": 2, "right": 0}
    for socket in (ana, beto):  # and no public leaderboard: the next frame is the pong
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}
    for socket in (ana, beto, teacher_socket):
        await socket.disconnect()


async def test_top_five_goes_to_everyone_with_speed_points_when_turned_on(aula, alice, pregunta):
    await configure(aula, clasificacion=Clasificacion.TOP5, puntos_velocidad=True)
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    await push_and_answer(teacher_socket, pregunta, [(ana, True)])
    board = await receive_type(teacher_socket, "leaderboard")
    assert board["of"] == 1 and board["top"][0]["name"] == "Ana" and board["top"][0]["right"] == 1
    assert 500 < board["top"][0]["points"] <= 1000
    assert (await receive_type(ana, "leaderboard")) == board
    rank = await receive_type(ana, "rank")
    assert rank["rank"] == 1 and rank["points"] == board["top"][0]["points"]
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_the_teacher_shows_the_leaderboard_unless_it_is_turned_off(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    await send(teacher_socket, {"type": "leaderboard"})
    assert (await receive_type(teacher_socket, "error"))["code"] == "invalid"
    await configure(aula, clasificacion=Clasificacion.FINAL)
    ana, _, _ = await student(aula.codigo, "Ana")
    await push_and_answer(teacher_socket, pregunta, [(ana, False)])
    await send(ana, {"type": "ping"})
    await receive_type(ana, "closed")
    # end of quiz only: nothing after an ad hoc question but Ana's own result and the pong
    assert sorted([(await receive(ana))["type"], (await receive(ana))["type"]]) == ["pong", "result"]
    await send(teacher_socket, {"type": "leaderboard"})
    board = await receive_type(ana, "leaderboard")
    assert board["top"] == [{"name": "Ana", "rank": 1, "right": 0}]
    await send(ana, {"type": "leaderboard"})
    assert (await receive_type(ana, "error"))["code"] == "forbidden"
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_extra_time_is_told_to_the_student_and_the_teacher_only(aula, alice, pregunta):
    (seat,) = await make_seats(aula, "Ana", tiempo_extra=150)
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana = await open_socket(aula.codigo)
    await send(ana, {"type": "join", "seat": seat.pk})
    assert (await receive(ana))["extra_time"] == 150
    await send(teacher_socket, {"type": "push", "question": pregunta.pk, "seconds": 1})
    question = await receive_type(teacher_socket, "question")
    assert question["seconds"] == 1 and "closes" not in question
    extra = await receive_type(teacher_socket, "extra_time")
    assert extra["round"] == question["round"] and extra["closes"] > question["deadline"]
    assert "closes" not in await receive_type(ana, "question")
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_a_student_with_extra_time_may_answer_after_the_others_time_is_up(aula, alice, pregunta):
    slow, plain = await make_seats(aula, "Ana", "Beto")
    await database_sync_to_async(type(slow).objects.filter(pk=slow.pk).update)(tiempo_extra=200)
    teacher_socket, _ = await teacher(aula.codigo, alice)
    sockets = []
    for seat in (slow, plain):
        socket = await open_socket(aula.codigo)
        await send(socket, {"type": "join", "seat": seat.pk})
        await receive_type(socket, "state")
        sockets.append(socket)
    ana, beto = sockets
    await send(teacher_socket, {"type": "push", "question": pregunta.pk, "seconds": 1})
    question = await receive_type(ana, "question")
    await asyncio.sleep(1.2)  # past the class's second, within Ana's two
    await send(beto, {"type": "answer", "round": question["round"], "value": True})
    assert (await receive_type(beto, "error"))["code"] == "round_closed"
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    assert (await receive_type(ana, "answered"))["round"] == question["round"]
    closed = await receive_type(beto, "closed", timeout=5)  # the server closes it after Ana's time
    assert closed["true"] == 1
    for socket in (ana, beto, teacher_socket):
        await socket.disconnect()


async def test_freeing_a_seat_closes_the_sockets_of_the_device_that_held_it(aula, alice):
    ana, beto = await make_seats(aula, "Ana", "Beto")
    sockets = {}
    for seat in (ana, beto):
        sockets[seat.pk] = await open_socket(aula.codigo)
        await send(sockets[seat.pk], {"type": "join", "seat": seat.pk})
        await receive_type(sockets[seat.pk], "state")

    @database_sync_to_async
    def free(alumno):
        students.release(alumno)
        notify.students_released(aula, [alumno.pk])

    await free(ana)
    assert await sockets[ana.pk].receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
    await send(sockets[beto.pk], {"type": "ping"})
    assert await receive(sockets[beto.pk]) == {"type": "pong"}  # the others stay
    await sockets[beto.pk].disconnect()


async def test_a_student_hears_of_a_change_to_their_extra_time_and_nobody_else_does(aula):
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")

    @database_sync_to_async
    def give_double_time():
        alumno = Alumno.objects.get(pk=ana_joined["student"]["id"])
        alumno.tiempo_extra = 200
        alumno.save()
        notify.extra_time_changed(alumno)

    await give_double_time()
    assert await receive(ana) == {"type": "time", "extra_time": 200}
    await send(beto, {"type": "ping"})
    assert await receive(beto) == {"type": "pong"}
    for socket in (ana, beto):
        await socket.disconnect()
