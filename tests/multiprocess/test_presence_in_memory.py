"""A teacher's sockets follow who is connected in memory; their counts must be the database's.

Teacher sockets on both processes (the panel on A, the projector on B), students joining and
leaving on both: each tally's connected count reaches the database's, as students join, as
some leave, after the panel reconnects to the other process, and as they come back.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async

from preguntas.game import tallies
from preguntas.models import Aula
from tests.multiprocess.clients import TIMEOUT, Teacher, panel_projector_and_students

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

STUDENTS_PER_PROCESS = 4


@database_sync_to_async
def database_connected(aula_id: int) -> int:
    return tallies.connected_count(Aula.objects.get(pk=aula_id))


async def connected_shown(teacher: Teacher, expected: int) -> int:
    """Tally frames until one counts ``expected`` students connected."""
    frame = None
    try:
        async with asyncio.timeout(TIMEOUT):
            while frame is None or frame["connected"] != expected:
                frame = await teacher.receive_type("tally")
    except TimeoutError:
        raise AssertionError(f"{teacher} never counted {expected} connected: last tally {frame}") from None
    return frame["connected"]


async def every_count_is_the_database(panels: list[Teacher], aula_id: int, expected: int) -> None:
    shown = await asyncio.gather(*(connected_shown(panel, expected) for panel in panels))
    assert shown == [expected] * len(panels) and await database_connected(aula_id) == expected


async def test_connected_counts_kept_in_memory_equal_the_database_across_processes(daphne_process, aula, alice):
    a, b = daphne_process("A"), daphne_process("B")
    panel, projector, students = await panel_projector_and_students(a, b, aula.codigo, alice, STUDENTS_PER_PROCESS)
    await every_count_is_the_database([panel, projector], aula.pk, len(students))

    leaving = [s for s in students if s.label[1] in "01"]  # two on each process
    await asyncio.gather(*(s.close() for s in leaving))
    await every_count_is_the_database([panel, projector], aula.pk, len(students) - len(leaving))

    # The panel's socket drops and it reconnects to the other process: it reads the database.
    state = await panel.reconnect(server=b)
    assert state["tally"]["connected"] == await database_connected(aula.pk) == len(students) - len(leaving)

    # They come back, each on the other process this time.
    for s in leaving:
        s.server = b if s.server is a else a
    await asyncio.gather(*(s.reconnect() for s in leaving))
    await every_count_is_the_database([panel, projector], aula.pk, len(students))
    await asyncio.gather(*(c.close() for c in [panel, projector, *students]))
