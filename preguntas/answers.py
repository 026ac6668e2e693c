"""Group commit of answers.

``database_sync_to_async`` runs every ORM call of a process on one thread, so one
transaction per answer serializes a burst of hundreds. The batcher collects the
answers that arrive while the previous batch is being written, stores them in one
transaction, and only then resolves each sender's future: an ``answered`` frame
still means the answer is committed. Each answer keeps its sender's language, so a
refusal reaches the student in it whichever socket started the batch.
"""

import asyncio
import logging
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from preguntas import live
from preguntas.live import LiveError
from preguntas.models import Aula, Respuesta, Ronda
from preguntas.outbox import outbox
from preguntas.per_loop import per_loop

log = logging.getLogger(__name__)

MAX_BATCH = 500


@dataclass
class PendingAnswer:
    aula: Aula
    alumno_id: int
    round_id: object
    value: object
    sure: object
    future: asyncio.Future = field(repr=False)
    language: str = field(default_factory=translation.get_language)


class AnswerBatcher:
    def __init__(self):
        self.queue: list[PendingAnswer] = []
        self.writer = None

    async def submit(self, aula: Aula, alumno_id: int, round_id, value, sure=None) -> None:
        """Store one answer; returns once it is committed, or raises LiveError."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append(PendingAnswer(aula, alumno_id, round_id, value, sure, future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.ensure_future(self._write_until_empty())
        await future

    async def _write_until_empty(self) -> None:
        while self.queue:
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            try:
                outcomes = await database_sync_to_async(store_answers)(batch)
            except Exception:  # the database failed: every sender hears of it, and may retry
                log.exception("Could not store a batch of %d answers", len(batch))
                outcomes = [_unavailable(p.language) for p in batch]
            stored_by_group: dict[str, list[dict]] = {}
            for pending, outcome in zip(batch, outcomes):
                if isinstance(outcome, Exception):
                    if not pending.future.done():  # its socket may have gone meanwhile
                        pending.future.set_exception(outcome)
                    continue
                if not pending.future.done():
                    pending.future.set_result(None)
                stored = {"student": pending.alumno_id, "value": pending.value, "round": pending.round_id}
                if pending.sure is not None:
                    stored["sure"] = pending.sure
                stored_by_group.setdefault(pending.aula.teacher_group_name, []).append(stored)
            for group, answers in stored_by_group.items():
                await outbox().send(group, {"type": "answers.stored", "answers": answers})


def _unavailable(language: str) -> LiveError:
    with translation.override(language):
        return LiveError("unavailable", _("No se pudo guardar tu respuesta; inténtalo de nuevo."))


def store_answers(batch: list[PendingAnswer]) -> list[Exception | None]:
    """Validate and insert a batch in one transaction; one outcome per answer (None: stored)."""
    try:
        with transaction.atomic():
            return _store_batch(batch)
    except IntegrityError:
        # The same student answered through another process at the same moment:
        # fall back to one transaction per answer, where the constraint decides.
        return [_store_one(p) for p in batch]


def _store_batch(batch: list[PendingAnswer]) -> list[Exception | None]:
    round_ids = {p.round_id for p in batch if live.is_int(p.round_id)}
    # Locking the rounds makes a concurrent close wait for this batch, so the
    # counts in its `closed` frame include every acknowledged answer.
    rondas = {r.pk: r for r in Ronda.objects.select_for_update().filter(pk__in=round_ids)}
    seen = set(
        Respuesta.objects.filter(ronda_id__in=round_ids, alumno_id__in={p.alumno_id for p in batch}).values_list(
            "ronda_id", "alumno_id"
        )
    )
    timed = any(r.limite for r in rondas.values())
    extra = live.extra_time({p.alumno_id for p in batch}) if timed else {}
    now = timezone.now()
    outcomes, rows = [], []
    for p in batch:
        try:
            with translation.override(p.language):
                ronda = rondas.get(p.round_id) if live.is_int(p.round_id) else None
                ronda = live.valid_answer(
                    p.aula, ronda, p.round_id, p.value, now, sure=p.sure, extra=extra.get(p.alumno_id, 100)
                )
                if (ronda.pk, p.alumno_id) in seen:
                    raise LiveError("already_answered", _("Ya respondiste a esta pregunta."))
        except LiveError as error:
            outcomes.append(error)
            continue
        seen.add((ronda.pk, p.alumno_id))
        rows.append(Respuesta(ronda=ronda, alumno_id=p.alumno_id, valor=p.value, seguro=p.sure, recibida=now))
        outcomes.append(None)
    Respuesta.objects.bulk_create(rows)
    return outcomes


def _store_one(p: PendingAnswer) -> Exception | None:
    try:
        with translation.override(p.language):
            live.answer(p.aula, p.alumno_id, p.round_id, p.value, p.sure)
    except LiveError as error:
        return error
    return None


batcher = per_loop(AnswerBatcher)
