"""Messages sent while the channel layer is down are not lost."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from preguntas.realtime.outbox import outbox
from tests.sockets import receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_push_during_an_outage_reaches_this_process_now_and_the_rest_later(aula, alice, pregunta, monkeypatch):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    layer = get_channel_layer()
    real_group_send = layer.group_send
    sent_later = []

    async def refuse(group, message):
        raise ConnectionError("channel layer down")

    monkeypatch.setattr(layer, "group_send", refuse)
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(ana, "question")  # delivered by this process's relay at once

    async def back(group, message):
        sent_later.append(message.get("type"))
        await real_group_send(group, message)

    monkeypatch.setattr(layer, "group_send", back)
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await receive_type(ana, "answered")
    tally = await receive_type(teacher_socket, "tally")
    while tally["answered"] < 1:
        tally = await receive_type(teacher_socket, "tally")
    for _ in range(100):  # the outbox waits for subscribers to come back before resending
        if not outbox().queue:
            break
        await asyncio.sleep(0.1)
    assert "frame.send" in sent_later, "the held question was sent again once the layer was back"
    assert await ana.receive_nothing(timeout=0.5), "and this process did not deliver it twice"
    await ana.disconnect()
    await teacher_socket.disconnect()
