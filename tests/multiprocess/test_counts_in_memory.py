"""A teacher's sockets count the answers in memory; their counts must be the database's.

Teacher sockets on both processes (the panel on A, the projector on B), students on both,
for kinds that count per option and as a histogram: the tallies equal the database's counts
while answers flow, after the panel reconnects to the other process, at close and in the
next round.
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from preguntas.game import tallies
from preguntas.models import Ronda
from preguntas.realtime import protocol
from tests.factories import MultiFactory, NumberFactory
from tests.multiprocess.clients import Student, Teacher, collect_tally, panel_projector_and_students

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

STUDENTS_PER_PROCESS = 4
COUNTED = ("true", "false", "options", "histogram", "answered")
# What each student sends, by position: a multiple select's options, a typed number.
ANSWERS = {
    "multi": lambda i: {"options": [[1, 3], [2], [1, 2, 3], [3]][i % 4]},
    "number": lambda i: {"number": 990 + 7 * i},
}


def counted(frame: dict) -> dict:
    return {name: frame[name] for name in COUNTED if name in frame}


@database_sync_to_async
def database_counts(round_id: int) -> dict:
    """The round's counts as the database has them, in the wire's shape."""
    counts = tallies.counts(Ronda.objects.get(pk=round_id))
    return json.loads(json.dumps({**protocol.counted(counts), "answered": counts.answered}))


async def answer(student: Student, round_id: int, fields: dict) -> None:
    await student.send({"type": "answer", "round": round_id, **fields})
    reply = await student.receive_one_of({"answered", "error"})
    assert reply["type"] == "answered", (student, reply)


async def push(teacher: Teacher, others: list, question_id: int) -> int:
    question = await teacher.push(question_id)
    await asyncio.gather(*(client.receive_type("question") for client in others))
    return question["round"]


async def tallies_equal_the_database(panels: list[Teacher], round_id: int, answered: int) -> dict:
    """Every teacher socket's tally reaches ``answered`` answers, with the database's counts."""
    frames = await asyncio.gather(*(collect_tally(panel, round_id, answered=answered) for panel in panels))
    expected = await database_counts(round_id)
    assert expected["answered"] == answered
    for panel, (frame, _) in zip(panels, frames):
        assert counted(frame) == expected, (panel, frame)
    return expected


@pytest.mark.parametrize("factory", [MultiFactory, NumberFactory], ids=["multi", "number"])
async def test_counts_kept_in_memory_equal_the_database_across_processes(daphne_process, aula, alice, factory):
    a, b = daphne_process("A"), daphne_process("B")
    panel, projector, students = await panel_projector_and_students(a, b, aula.codigo, alice, STUDENTS_PER_PROCESS)
    pregunta = await database_sync_to_async(factory)(propietario=alice)
    values = {s.id: ANSWERS[pregunta.tipo](i) for i, s in enumerate(students)}

    round_id = await push(panel, [projector, *students], pregunta.pk)
    first = [s for s in students if s.label[1] in "01"]  # two on each process
    await asyncio.gather(*(answer(s, round_id, values[s.id]) for s in first))
    await tallies_equal_the_database([panel, projector], round_id, len(first))

    # The panel's socket drops and it reconnects to the other process mid-round.
    state = await panel.reconnect(server=b)
    assert state["round"]["round"] == round_id
    assert counted(state["tally"]) == await database_counts(round_id)

    rest = [s for s in students if s not in first]
    await asyncio.gather(*(answer(s, round_id, values[s.id]) for s in rest))
    expected = await tallies_equal_the_database([panel, projector], round_id, len(students))

    await panel.send({"type": "close", "round": round_id})
    for frame in await asyncio.gather(*(c.receive_type("closed") for c in [panel, projector, *students])):
        assert counted(frame) == expected

    # The next round starts from zero and counts again.
    second = await push(panel, [projector, *students], (await database_sync_to_async(factory)(propietario=alice)).pk)
    await asyncio.gather(*(answer(s, second, values[s.id]) for s in students))
    await tallies_equal_the_database([panel, projector], second, len(students))
    await asyncio.gather(*(c.close() for c in [panel, projector, *students]))
