"""Text that used to crash the classroom socket, now refused with an error frame.

PostgreSQL cannot store NUL, UTF-8 cannot encode a lone surrogate (both arrive escaped
in perfectly valid JSON), and json.loads overflows the stack on absurdly nested arrays.
Each raised inside the consumer, which dropped the socket; each must instead get a
documented error and leave the socket usable. Names of control characters or with
nothing visible are refused too.
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from preguntas.models import Alumno
from tests.security.protocol import DOCUMENTED_ERROR_CODES
from tests.sockets import open_socket, receive, send

pytestmark = pytest.mark.django_db(transaction=True)

async def next_frame(socket, timeout: float = 5) -> dict:
    """The next frame; if the consumer dies meanwhile, its exception at once (not after the timeout)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while await socket.receive_nothing(timeout=0.05):  # re-raises the consumer's exception
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("no frame")
    return await receive(socket)


async def refused_with(aula, text: str, codes: set) -> None:
    socket = await open_socket(aula.codigo)
    await socket.send_to(text_data=text)
    frame = await next_frame(socket)
    assert frame["type"] == "error" and frame["code"] in codes, frame
    assert frame["code"] in DOCUMENTED_ERROR_CODES
    await send(socket, {"type": "ping"})
    assert await receive(socket) == {"type": "pong"}
    await socket.disconnect()  # (conftest.py closes it when an assertion fails first)


async def test_a_name_with_a_nul_character_is_invalid(aula):
    await refused_with(aula, '{"type":"join","name":"Ana\\u0000"}', {"invalid"})
    assert not await database_sync_to_async(Alumno.objects.exists)()


async def test_a_name_with_a_lone_surrogate_is_invalid(aula):
    await refused_with(aula, '{"type":"join","name":"Ana\\ud83d"}', {"invalid"})
    assert not await database_sync_to_async(Alumno.objects.exists)()


async def test_a_token_with_a_nul_character_is_refused(aula):
    await refused_with(aula, '{"type":"join","token":"abc\\u0000"}', {"not_found", "invalid"})


async def test_a_token_with_a_lone_surrogate_is_refused(aula):
    await refused_with(aula, '{"type":"join","token":"\\udfff"}', {"not_found", "invalid"})


async def test_deeply_nested_json_is_bad_json(aula):
    await refused_with(aula, "[" * 4000, {"bad_json"})


@pytest.mark.parametrize(
    "name", ["\u200b", "\u200b\u200b", "Ana\x1b[31m", "\x07"], ids=["zwsp", "zwsp2", "ansi", "bell"]
)
async def test_a_name_must_be_visible_text(aula, name):
    await refused_with(aula, json.dumps({"type": "join", "name": name}), {"invalid"})
