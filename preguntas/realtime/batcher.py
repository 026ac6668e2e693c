"""Work done in batches: answers here, joins, classrooms and leaves in joins.py.

``database_sync_to_async`` runs every ORM call of a process on one thread, so one
transaction per answer serializes a burst of hundreds. A batcher collects the items that
arrive while the previous batch is being handled, handles them together, and only then
resolves each sender's future.

Answers (group commit): an ``answered`` frame still means the answer is committed. Each
answer keeps its sender's language, so a refusal reaches the student in it whichever
socket started the batch.
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


class Batcher:
    """Subclasses say how a batch is handled (``handle``), resolving each item's future."""

    MAX_BATCH = 500
    LINGER = 0.0  # seconds to wait for more items before handling a batch smaller than ENOUGH
    ENOUGH = 50

    def __init__(self):
        self.queue: list[tuple[object, asyncio.Future]] = []
        self.task = None
        self.enough = asyncio.Event()  # set once ENOUGH items are queued: stop lingering

    async def submit(self, item):
        """Queue one item; returns its outcome once its batch is handled, or raises its error."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append((item, future))
        if len(self.queue) >= self.ENOUGH:
            self.enough.set()
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._until_empty())
        return await future

    async def _until_empty(self) -> None:
        while self.queue:
            if self.LINGER and len(self.queue) < self.ENOUGH:
                self.enough.clear()
                try:
                    await asyncio.wait_for(self.enough.wait(), self.LINGER)
                except TimeoutError:
                    pass
            batch, self.queue = self.queue[: self.MAX_BATCH], self.queue[self.MAX_BATCH :]
            try:
                await self.handle(batch)
            except Exception as error:  # every sender left waiting hears of it, as it would alone
                log.exception("%s failed on a batch of %d", type(self).__name__, len(batch))
                for _, future in batch:
                    settle(future, error)

    async def handle(self, batch: list[tuple[object, asyncio.Future]]) -> None:
        raise NotImplementedError


def settle(future: asyncio.Future, outcome) -> None:
    """Resolve a sender's future with its outcome (an exception is raised to it), unless its
    socket has gone meanwhile."""
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


class AnswerBatcher(Batcher):
    # A batch costs about as much as a dozen answers (its transaction, the ORM thread hop, the
    # event to the teacher): waiting a little for more when few are queued cuts an answer's CPU
    # by a third when a class answers over a few seconds (docs/performance.md), for ~20 ms more
    # per acknowledgement. A burst fills batches by itself and does not wait.
    LINGER = 0.02

    async def submit(self, aula: Aula, attempt: answers.Attempt) -> None:
        """Store one answer; returns once it is committed, or raises GameError."""
        await super().submit((attempt, aula.teacher_group_name))

    async def handle(self, batch) -> None:
        attempts = [attempt for (attempt, _), _ in batch]
        try:
            outcomes = await database_sync_to_async(answers.store)(attempts)
        except Exception:  # the database failed: every sender hears of it, and may retry
            log.exception("Could not store a batch of %d answers", len(batch))
            outcomes = [answers.unavailable(a.language) for a in attempts]
        stored_by_group: dict[str, list[dict]] = {}
        for ((attempt, group), future), outcome in zip(batch, outcomes):
            settle(future, outcome)
            if outcome is None:
                stored_by_group.setdefault(group, []).append(
                    protocol.stored_answer(attempt.alumno_id, attempt.round_id, attempt.stored, attempt.sure)
                )
        for group, stored in stored_by_group.items():
            await outbox().send(group, protocol.answers_stored(stored))


batcher = per_loop(AnswerBatcher)
