"""A process listens to a classroom's teacher events only while a teacher socket there does."""

import pytest
from channels.layers import get_channel_layer

from tests.sockets import receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


def listeners(group: str) -> int:
    return len(get_channel_layer().groups.get(group, {}))


async def test_teacher_events_are_heard_only_where_a_teacher_listens(aula, alice, pregunta, settings):
    # The in-memory layer shows its subscriptions; across processes on Redis, tests/multiprocess.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    ana, _, _ = await student(aula.codigo, "Ana")
    assert listeners(aula.group_name) == 1
    assert listeners(aula.teacher_group_name) == 0, "no teacher here: every answer stored would be heard for nothing"

    panel, _ = await teacher(aula.codigo, alice)
    projector, _ = await teacher(aula.codigo, alice)
    assert listeners(aula.teacher_group_name) == 1, "one subscription for the process, however many teacher sockets"
    await projector.disconnect()
    assert listeners(aula.teacher_group_name) == 1, "the panel still listens"
    await panel.disconnect()
    assert listeners(aula.teacher_group_name) == 0
    assert listeners(aula.group_name) == 1, "the student still receives the classroom's frames"

    panel, _ = await teacher(aula.codigo, alice)
    await send(panel, {"type": "push", "question": pregunta.pk})
    question = await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await receive_type(ana, "answered")
    tally = await receive_type(panel, "tally")
    while tally["answered"] < 1:
        tally = await receive_type(panel, "tally")
    await ana.disconnect()
    await panel.disconnect()
    assert listeners(aula.group_name) == listeners(aula.teacher_group_name) == 0
