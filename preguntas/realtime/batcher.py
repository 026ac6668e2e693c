"""Group commit of answers.

``database_sync_to_async`` runs every ORM call of a process on one thread, so one
transaction per answer serializes a burst of hundreds. The batcher collects the
answers that arrive while the previous batch is being written, stores them together
(``game.answers.store``), and only then resolves each sender's future: an ``answered``
frame still means the answer is committed. Each answer keeps its sender's language, so
a refusal reaches the student in it whichever socket started the batch.
"""

import asyncio
import logging

from channels.db import database_sync_to_async

from preguntas.game import answers
from preguntas.models import Aula
from preguntas.realtime import protocol
from preguntas.realtime.outbox import outbox
from preguntas.realtime.per_loop import per_loop

log = logging.getLogger(__name__)

MAX_BATCH = 500


class AnswerBatcher:
    def __init__(self):
        self.queue: list[tuple[answers.Attempt, str, asyncio.Future]] = []
        self.writer = None

    async def submit(self, aula: Aula, attempt: answers.Attempt) -> None:
        """Store one answer; returns once it is committed, or raises GameError."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append((attempt, aula.teacher_group_name, future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.ensure_future(self._write_until_empty())
        await future

    async def _write_until_empty(self) -> None:
        while self.queue:
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            attempts = [attempt for attempt, _, _ in batch]
            try:
                outcomes = await database_sync_to_async(answers.store)(attempts)
            except Exception:  # the database failed: every sender hears of it, and may retry
                log.exception("Could not store a batch of %d answers", len(batch))
                outcomes = [answers.unavailable(a.language) for a in attempts]
            stored_by_group: dict[str, list[dict]] = {}
            for (attempt, group, future), outcome in zip(batch, outcomes):
                if not future.done():  # its socket may have gone meanwhile
                    if outcome is None:
                        future.set_result(None)
                    else:
                        future.set_exception(outcome)
                if outcome is None:
                    stored_by_group.setdefault(group, []).append(
                        protocol.stored_answer(attempt.alumno_id, attempt.round_id, attempt.stored, attempt.sure)
                    )
            for group, stored in stored_by_group.items():
                await outbox().send(group, protocol.answers_stored(stored))


batcher = per_loop(AnswerBatcher)
