"""A socket that floods a real Daphne is closed with 4429 and a close frame, at any steady rate."""

import asyncio
import json

import pytest
import websockets

from tests.security.protocol import DOCUMENTED_CLOSE_CODES

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("rate", [40, 400])
async def test_a_steady_flood_gets_4429_with_a_close_frame(daphne_process, aula, rate):
    """The client reads while it sends, as a page does. (One that never reads cannot see the close
    frame: Daphne drops the connection when the closing handshake gets no answer within a second.)"""
    server = daphne_process("A")
    async with websockets.connect(server.ws_url(aula.codigo), origin=server.origin) as socket:
        received = []

        async def read():
            async for message in socket:
                received.append(json.loads(message)["type"])

        reader = asyncio.ensure_future(read())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            for _ in range(400):
                await socket.send(json.dumps({"type": "ping"}))
                await asyncio.sleep(1 / rate)
            await asyncio.wait_for(reader, 10)
        reader.cancel()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
    assert 4429 in DOCUMENTED_CLOSE_CODES
    assert received.count("pong") == 20 and received.count("error") == 1
