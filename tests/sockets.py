"""Helpers to talk to the classroom consumer through the whole ASGI stack."""

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from QuestionsRT.asgi import application

ORIGIN = b"http://localhost"
TIMEOUT = 5


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(code: str, user=None, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    communicator = WebsocketCommunicator(application, f"/ws/aula/{code}/", headers=headers)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected, "the handshake was refused"
    return communicator


async def send(communicator, frame: dict) -> None:
    await communicator.send_to(text_data=json.dumps(frame))


async def receive(communicator, timeout: float = TIMEOUT) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


async def receive_type(communicator, kind: str, timeout: float = TIMEOUT) -> dict:
    """The next frame of a type, skipping others (tallies and rosters arrive at their own pace)."""
    while True:
        frame = await receive(communicator, timeout)
        if frame["type"] == kind:
            return frame


async def teacher(code: str, user) -> tuple[WebsocketCommunicator, dict]:
    communicator = await open_socket(code, user)
    state = await receive(communicator)
    assert state["type"] == "state"
    return communicator, state


async def student(code: str, name: str) -> tuple[WebsocketCommunicator, dict, dict]:
    """A joined student: (socket, joined frame, state frame)."""
    communicator = await open_socket(code)
    await send(communicator, {"type": "join", "name": name})
    joined = await receive(communicator)
    assert joined["type"] == "joined", joined
    state = await receive(communicator)
    assert state["type"] == "state", state
    return communicator, joined, state
