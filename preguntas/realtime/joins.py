"""Connects, joins and leaves in batches, as answers are (batcher.py).

A whole class joins at once, and every `join` used to take its own trip to the one ORM
thread and half a dozen queries. The join batcher collects the `join` frames that arrive
while the previous batch is being written, enters them together (``game.students.enter_many``),
reads the screens of the batch's classrooms in one query, and then resolves each
sender's future with its own entry and `state`, or its own refusal. Each classroom's teachers
hear of the batch once. The sockets that connect together find their classrooms in one query
the same way, and the sockets that close together end their connections in one query.
"""

import logging

from channels.db import database_sync_to_async
from django.db import transaction
from django.utils import translation

from preguntas.game import answers, rounds, students, tallies
from preguntas.models import Aula
from preguntas.realtime import protocol
from preguntas.realtime.batcher import Batcher, settle
from preguntas.realtime.outbox import outbox
from preguntas.realtime.per_loop import per_loop
from preguntas.realtime.presence import PROCESS_ID

log = logging.getLogger(__name__)


class JoinBatcher(Batcher):
    async def submit(self, aula: Aula, credentials: dict) -> tuple[students.Entry, dict]:
        """Enter one student; returns their entry and `state` once the connection is recorded,
        or raises GameError."""
        return await super().submit(students.Arrival(aula, credentials))

    async def handle(self, batch) -> None:
        arrivals = [arrival for arrival, _ in batch]
        try:
            outcomes = await database_sync_to_async(enter_together)(arrivals)
        except Exception:  # one join's trouble must not be another's: one by one
            log.warning("A batch of %d joins failed; entering them one by one", len(batch), exc_info=True)
            outcomes = [await database_sync_to_async(_enter_alone)(arrival) for arrival in arrivals]
        opened, abandoned = {}, {}  # by teacher group: (connection, student) pairs; connections
        for (arrival, future), outcome in zip(batch, outcomes):
            entered = not isinstance(outcome, BaseException)
            group = arrival.aula.teacher_group_name
            if future.done():  # its socket went meanwhile: nobody will ``leave`` for it
                if entered:
                    abandoned.setdefault(group, []).append(outcome[0].conexion_id)
                continue
            if entered:
                entry = outcome[0]
                opened.setdefault(group, []).append((entry.conexion_id, entry.alumno.pk))
            settle(future, outcome)
        if abandoned:
            await database_sync_to_async(students.leave)(*(c for ids in abandoned.values() for c in ids))
        for group in opened.keys() | abandoned.keys():
            await outbox().send(group, protocol.presence_changed(opened.get(group, ()), abandoned.get(group, ())))


def _enter_alone(arrival: students.Arrival):
    try:
        return enter_together([arrival])[0]
    except Exception as error:
        return error


@transaction.atomic  # a failure leaves nobody half-entered: the batch goes again one by one
def enter_together(arrivals: list[students.Arrival]) -> list:
    """Each arrival's (entry, `state`), or its refusal; the screens of their classrooms are read in one query."""
    outcomes = students.enter_many(arrivals, PROCESS_ID)
    entered = {arrival.aula.pk for arrival, entry in zip(arrivals, outcomes) if isinstance(entry, students.Entry)}
    screens = {
        aula_id: (rounds.with_quiz_progress(ronda), last) for aula_id, (ronda, last) in rounds.on_screen_of(entered).items()
    }
    result = []
    for arrival, entry in zip(arrivals, outcomes):
        if not isinstance(entry, students.Entry):
            result.append(entry)
            continue
        aula = arrival.aula
        ronda, last = screens[aula.pk]
        stored = answers.answer_of(entry.alumno.pk, ronda) if ronda and not entry.new else None
        own = tallies.own_outcome(last, entry.alumno.pk) if last and not entry.new else None
        with translation.override(arrival.language):
            state = protocol.student_state(aula, ronda, stored, entry.alumno.tiempo_extra, last, own)
        result.append((entry, state))
    return result


joins = per_loop(JoinBatcher)


class ClassroomFinder(Batcher):
    async def find(self, code: str) -> Aula | None:
        """The active classroom with this code (``game.students.find_aula``), found together
        with the others asked for meanwhile."""
        return await self.submit(code)

    async def handle(self, batch) -> None:
        found = await database_sync_to_async(students.find_aulas)([code for code, _ in batch])
        for (_, future), aula in zip(batch, found):
            settle(future, aula)


finder = per_loop(ClassroomFinder)


class LeaveBatcher(Batcher):
    async def submit(self, aula: Aula, conexion_id: int) -> None:
        """End a student's connection (``game.students.leave``) together with the others that
        close meanwhile; returns once it is ended. Each classroom's teachers hear of a batch once."""
        await super().submit((conexion_id, aula.teacher_group_name))

    async def handle(self, batch) -> None:
        await database_sync_to_async(students.leave)(*(conexion_id for (conexion_id, _), _ in batch))
        closed = {}
        for (conexion_id, group), future in batch:
            settle(future, None)
            closed.setdefault(group, []).append(conexion_id)
        for group, conexion_ids in closed.items():
            await outbox().send(group, protocol.presence_changed(closed=conexion_ids))


leaves = per_loop(LeaveBatcher)
