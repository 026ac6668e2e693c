"""The classroom socket's limits, each with its documented error (docs/security.md).

tests/test_consumer.py already covers: an oversized frame (too_large), a blank name, a
repeated name ("Ana 2"), a full classroom and a flood (rate_limited, then close 4429).
These add what it does not.
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import override_settings

from preguntas.models import Alumno, Respuesta
from tests.security.protocol import DOCUMENTED_CLOSE_CODES, DOCUMENTED_ERROR_CODES
from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


async def expect_error(socket, code: str) -> dict:
    frame = await receive(socket)
    assert frame["type"] == "error" and frame["code"] == code, frame
    assert code in DOCUMENTED_ERROR_CODES and frame["detail"]
    return frame


def ping_of_size(size: int, filler: str = "ñ") -> str:
    """A ping frame of exactly ``size`` UTF-8 bytes (filler characters may be multi-byte)."""
    frame = '{"type":"ping","pad":"%s"}'
    base = len((frame % "").encode())
    width = len(filler.encode())
    text = frame % (filler * ((size - base) // width) + "x" * ((size - base) % width))
    assert len(text.encode()) == size
    return text


# Frame size -------------------------------------------------------------------------


async def test_the_frame_limit_is_in_bytes_and_inclusive(aula):
    limit = settings.QRT_MAX_FRAME_BYTES
    socket = await open_socket(aula.codigo)
    await socket.send_to(text_data=ping_of_size(limit))
    assert await receive(socket) == {"type": "pong"}
    await socket.send_to(text_data=ping_of_size(limit + 1, filler="x"))
    await expect_error(socket, "too_large")
    # Fewer characters than the limit, more bytes: two bytes per "ñ".
    text = ping_of_size(limit + 2)
    assert len(text) < limit
    await socket.send_to(text_data=text)
    await expect_error(socket, "too_large")
    await send(socket, {"type": "ping"})
    assert await receive(socket) == {"type": "pong"}
    await socket.disconnect()


async def test_an_oversized_answer_is_not_stored(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    socket, _, _ = await student(aula.codigo, "Ana")
    frame = {"type": "answer", "round": question["round"], "value": True, "pad": "x" * settings.QRT_MAX_FRAME_BYTES}
    await send(socket, frame)
    await expect_error(socket, "too_large")
    assert not await database_sync_to_async(Respuesta.objects.exists)()
    await socket.disconnect()
    await teacher_socket.disconnect()


# Names ------------------------------------------------------------------------------

NAMES = [
    ("x" * 40, "x" * 40),
    ("ñ" * 40, "ñ" * 40),  # the limit counts characters, not bytes
    ("😀" * 40, "😀" * 40),
    ("李小龙", "李小龙"),
    ("محمد علي", "محمد علي"),
    ("José Ñúñez-Çelik", "José Ñúñez-Çelik"),
    ("\u00a0 Ana\u3000\u2003María\t", "Ana María"),  # unicode white space is folded too
    ("<b>Ana</b>", "<b>Ana</b>"),  # stored as text; pages escape it
]


@pytest.mark.parametrize("name,stored", NAMES, ids=range(len(NAMES)))
async def test_unicode_names_are_accepted_and_kept(aula, name, stored):
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "name": name})
    joined = await receive(socket)
    assert joined["type"] == "joined", joined
    assert joined["student"]["name"] == stored
    assert await database_sync_to_async(lambda: Alumno.objects.get().nombre)() == stored
    await socket.disconnect()


@pytest.mark.parametrize(
    "name",
    ["x" * 41, "ñ" * 41, "😀" * 41, "a " * 20 + "b", "x" * 1000, "", " \t\n\u3000 ", None, 7, ["Ana"], {"n": "Ana"}],
    ids=["41", "41-2byte", "41-emoji", "41-with-spaces", "1000", "empty", "blank", "null", "number", "list", "object"],
)
async def test_too_long_empty_or_non_text_names_are_invalid(aula, name):
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "name": name})
    await expect_error(socket, "invalid")
    await send(socket, {"type": "join", "name": "Ana"})  # the socket can still join
    assert (await receive(socket))["type"] == "joined"
    await socket.disconnect()
    assert await database_sync_to_async(Alumno.objects.count)() == 1


async def test_names_are_limited_after_folding_white_space(aula):
    socket = await open_socket(aula.codigo)
    name = "  " + "a    " * 20 + "  "  # 102 characters sent, 39 after folding
    await send(socket, {"type": "join", "name": name})
    joined = await receive(socket)
    assert joined["student"]["name"] == " ".join(["a"] * 20)
    await socket.disconnect()


async def test_repeated_long_and_unicode_names_get_a_number(aula):
    sockets, names = [], []
    for name in ["x" * 40, "x" * 40, "José", " José ", "José"]:
        socket, joined, _ = await student(aula.codigo, name)
        sockets.append(socket)
        names.append(joined["student"]["name"])
    assert names == ["x" * 40, "x" * 40 + " 2", "José", "José 2", "José 3"]
    for socket in sockets:
        await socket.disconnect()


# Participants -----------------------------------------------------------------------


@override_settings(QRT_MAX_STUDENTS_PER_CLASSROOM=2)
async def test_a_full_classroom_still_lets_its_students_rejoin(aula, alice):
    ana, joined, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    await ana.disconnect()
    newcomer = await open_socket(aula.codigo)
    await send(newcomer, {"type": "join", "name": "Carla"})
    await expect_error(newcomer, "full")
    again = await open_socket(aula.codigo)  # Ana reloads the page
    await send(again, {"type": "join", "token": joined["token"]})
    assert (await receive(again))["student"] == joined["student"]
    teacher_socket, state = await teacher(aula.codigo, alice)  # the teacher is not a participant
    assert [s["name"] for s in state["students"]] == ["Ana", "Beto"]
    for socket in (beto, newcomer, again, teacher_socket):
        await socket.disconnect()


# Rate limit -------------------------------------------------------------------------


@override_settings(QRT_RATE_LIMIT_FRAMES=5, QRT_RATE_LIMIT_WINDOW=60)
async def test_frames_over_the_rate_limit_are_dropped_unprocessed(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    socket = await open_socket(aula.codigo)
    for _ in range(5):
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}
    await send(socket, {"type": "join", "name": "Ana"})  # the 6th frame: refused, not run
    await expect_error(socket, "rate_limited")
    await send(socket, {"type": "answer", "round": question["round"], "value": True})  # dropped silently
    assert await socket.receive_nothing(timeout=0.3)
    assert not await database_sync_to_async(Alumno.objects.exists)()
    assert not await database_sync_to_async(Respuesta.objects.exists)()

    other = await open_socket(aula.codigo)  # the limit is per socket
    await send(other, {"type": "ping"})
    assert await receive(other) == {"type": "pong"}
    for _ in range(5):
        await send(socket, {"type": "ping"})
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4429}
    assert 4429 in DOCUMENTED_CLOSE_CODES
    await other.disconnect()
    await teacher_socket.disconnect()


@override_settings(QRT_RATE_LIMIT_FRAMES=3, QRT_RATE_LIMIT_WINDOW=1)
async def test_the_rate_limit_window_resets(aula):
    socket = await open_socket(aula.codigo)
    for _ in range(3):
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}
    await send(socket, {"type": "ping"})
    await expect_error(socket, "rate_limited")
    await asyncio.sleep(1.1)
    await send(socket, {"type": "ping"})
    assert await receive(socket) == {"type": "pong"}
    await socket.disconnect()


@override_settings(QRT_RATE_LIMIT_FRAMES=3, QRT_RATE_LIMIT_WINDOW=60)
async def test_the_teacher_is_rate_limited_too(aula, alice):
    socket, _ = await teacher(aula.codigo, alice)
    for _ in range(3):
        await send(socket, {"type": "ping"})
    for _ in range(3):
        assert await receive_type(socket, "pong")
    await socket.send_to(text_data=json.dumps({"type": "ping"}))
    await expect_error(socket, "rate_limited")
    for _ in range(3):
        await send(socket, {"type": "ping"})
    frame = await socket.receive_output()
    while frame["type"] == "websocket.send":  # a tally or roster may still be on its way
        frame = await socket.receive_output()
    assert frame == {"type": "websocket.close", "code": 4429}
