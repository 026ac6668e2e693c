"""The teacher's control of who is in an open classroom: lock, remove, rename (docs/protocol.md)."""

import pytest

from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_locked_classroom_refuses_new_names_and_lets_its_students_back(aula, alice):
    teacher_socket, state = await teacher(aula.codigo, alice)
    assert state["classroom"]["locked"] is False
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    await send(teacher_socket, {"type": "lock", "locked": True})
    assert await receive_type(teacher_socket, "locked") == {"type": "locked", "locked": True}

    late = await open_socket(aula.codigo)
    await send(late, {"type": "join", "name": "Beto"})
    assert (await receive(late))["code"] == "locked"
    await ana.disconnect()
    back = await open_socket(aula.codigo)
    await send(back, {"type": "join", "token": ana_joined["token"]})
    assert (await receive(back))["type"] == "joined"

    await send(teacher_socket, {"type": "lock", "locked": False})
    await receive_type(teacher_socket, "locked")
    await send(late, {"type": "join", "name": "Beto"})
    assert (await receive(late))["type"] == "joined"
    for socket in (teacher_socket, late, back):
        await socket.disconnect()


async def test_a_removed_students_device_is_closed_with_4403_and_cannot_rejoin(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await send(teacher_socket, {"type": "remove", "student": ana_joined["student"]["id"]})
    assert await ana.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    roster = await receive_type(teacher_socket, "roster")
    while any(s["name"] == "Ana" for s in roster["students"]):
        roster = await receive_type(teacher_socket, "roster")
    again = await open_socket(aula.codigo)
    await send(again, {"type": "join", "token": ana_joined["token"]})
    assert (await receive(again))["code"] == "not_found"
    await send(beto, {"type": "ping"})
    assert await receive(beto) == {"type": "pong"}
    for socket in (teacher_socket, beto, again):
        await socket.disconnect()


async def test_a_renamed_student_is_told_their_new_name(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    ana_id = ana_joined["student"]["id"]
    await send(teacher_socket, {"type": "rename", "student": ana_id, "name": "Ana López"})
    assert await receive_type(ana, "renamed") == {"type": "renamed", "student": {"id": ana_id, "name": "Ana López"}}
    beto, beto_joined, _ = await student(aula.codigo, "Beto")
    await send(teacher_socket, {"type": "rename", "student": beto_joined["student"]["id"], "name": "Ana López"})
    assert (await receive_type(teacher_socket, "error"))["code"] == "name_taken"
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


async def test_a_student_whose_name_was_taken_is_told_the_name_they_got(aula):
    first, _, _ = await student(aula.codigo, "Ana")
    second = await open_socket(aula.codigo)
    await send(second, {"type": "join", "name": "Ana"})
    joined = await receive(second)
    assert (joined["student"]["name"], joined["asked_name"]) == ("Ana 2", "Ana")
    for socket in (first, second):
        await socket.disconnect()


@pytest.mark.parametrize(
    "frame",
    [{"type": "lock", "locked": True}, {"type": "remove", "student": 1}, {"type": "rename", "student": 1, "name": "X"}],
)
async def test_students_cannot_control_the_classroom(aula, frame):
    ana, _, _ = await student(aula.codigo, "Ana")
    await send(ana, frame)
    assert (await receive(ana))["code"] == "forbidden"
    await ana.disconnect()


async def test_a_student_changes_their_own_name_in_an_open_classroom_only(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, ana_joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await send(ana, {"type": "change_name", "name": "Ana María"})
    me = {"id": ana_joined["student"]["id"], "name": "Ana María"}
    assert await receive_type(ana, "renamed") == {"type": "renamed", "student": me}
    roster = await receive_type(teacher_socket, "roster")
    while "Ana María" not in {s["name"] for s in roster["students"]}:
        roster = await receive_type(teacher_socket, "roster")
    await send(ana, {"type": "change_name", "name": "Beto"})
    assert (await receive(ana))["code"] == "name_taken"
    await send(teacher_socket, {"type": "lock", "locked": True})
    await receive_type(teacher_socket, "locked")
    await send(ana, {"type": "change_name", "name": "Anita"})
    assert (await receive(ana))["code"] == "locked"
    await send(teacher_socket, {"type": "change_name", "name": "Profe"})
    assert (await receive_type(teacher_socket, "error"))["code"] == "forbidden"
    stranger = await open_socket(aula.codigo)
    await send(stranger, {"type": "change_name", "name": "Zoe"})
    assert (await receive(stranger))["code"] == "not_joined"
    for socket in (teacher_socket, ana, beto, stranger):
        await socket.disconnect()
