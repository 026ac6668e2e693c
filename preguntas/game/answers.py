"""Answers: who may answer, what counts as one, and storing them (once each).

Answers are stored in batches (the real-time layer collects the answers that arrive
together); one answer is a batch of one. Every answer of a batch gets its own outcome:
a refused answer never fails another.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from preguntas.game import kinds
from preguntas.game.errors import GameError, is_id, is_int
from preguntas.game.students import extra_time
from preguntas.models import Aula, Respuesta, Ronda

log = logging.getLogger(__name__)


@dataclass
class Attempt:
    """An answer as a student sent it, not yet checked."""

    aula_id: int
    alumno_id: int
    round_id: object
    answer: dict  # the frame's answer fields as sent: {"value": true}, {"option": 3}…
    sure: object = None
    language: str = field(default_factory=translation.get_language)  # the student's, for a refusal
    # When the server got it: the deadline and the speed points go by it, not by when its batch is written.
    received: datetime = field(default_factory=timezone.now)
    stored: object = None  # the value as stored, once checked


def check(attempt: Attempt, ronda: Ronda | None, now=None, extra: int = 100) -> Ronda:
    """Whether an answer may be stored: its round (already fetched, or None if unknown) is this
    classroom's, the answer has the one field the round's kind takes and its value fits, and
    the student's time is not up (``extra`` percent of the time). Sets ``attempt.stored``;
    raises GameError."""
    if not is_int(attempt.round_id):
        raise GameError("invalid", _("«round» debe ser el id de una ronda."))
    if ronda is None or ronda.aula_id != attempt.aula_id:
        raise GameError("not_found", _("Esa ronda no existe en esta aula."))
    kind = kinds.of(ronda)
    if set(attempt.answer) != {kind.FIELD}:
        raise GameError("invalid", _("Esta pregunta se responde con «%(field)s».") % {"field": kind.FIELD})
    attempt.stored = kind.parse(ronda, attempt.answer[kind.FIELD])
    if attempt.sure is not None and not isinstance(attempt.sure, bool):
        raise GameError("invalid", _("«sure» debe ser true, false o no estar."))
    if not ronda.esta_abierta or ronda.vencida_para(extra, now):
        raise GameError("round_closed", _("La ronda ya está cerrada."))
    return ronda


def store(batch: list[Attempt]) -> list[GameError | None]:
    """Check and store a batch; one outcome per answer (None: stored).

    In one transaction. Answers stored before are found by the database's one-answer rule
    (a student answers first far more often than again): when it refuses the batch, the batch
    is checked again against the answers stored. If that fails too (the same student answering
    through another process at the same moment, or anything else), each answer is stored on
    its own, so that one answer's trouble is never another's."""
    for look_first in (False, True):
        try:
            with transaction.atomic():
                return _store_together(batch, look_first)
        except IntegrityError:
            if look_first and len(batch) == 1:
                return [_already_answered(batch[0])]
        except Exception:
            if len(batch) == 1:
                raise
            log.warning("A batch of %d answers failed; storing them one by one", len(batch), exc_info=True)
            break
    return [_store_alone(attempt) for attempt in batch]


def _store_together(batch: list[Attempt], look_first: bool) -> list[GameError | None]:
    """``look_first``: read the batch's students' stored answers before checking; else the
    insert fails (IntegrityError) if any of them answered before."""
    round_ids = {a.round_id for a in batch if is_id(a.round_id)}
    rondas = _locked_rounds(round_ids)
    seen = set()
    if look_first:
        seen = set(
            Respuesta.objects.filter(ronda_id__in=round_ids, alumno_id__in={a.alumno_id for a in batch})
            .order_by()
            .values_list("ronda_id", "alumno_id")
        )
    timed = any(r.limite for r in rondas.values())
    extra = extra_time({a.alumno_id for a in batch}) if timed else {}
    outcomes, rows = [], []
    for attempt in batch:
        try:
            with translation.override(attempt.language):
                known = rondas.get(attempt.round_id) if is_id(attempt.round_id) else None
                ronda = check(attempt, known, attempt.received, extra.get(attempt.alumno_id, 100))
                if (ronda.pk, attempt.alumno_id) in seen:
                    raise _already_answered(attempt)
        except GameError as error:
            outcomes.append(error)
            continue
        seen.add((ronda.pk, attempt.alumno_id))
        rows.append(Respuesta(ronda=ronda, alumno_id=attempt.alumno_id, valor=attempt.stored, seguro=attempt.sure, recibida=attempt.received))
        outcomes.append(None)
    Respuesta.objects.bulk_create(rows)
    return outcomes


def _locked_rounds(round_ids: set[int]) -> dict[int, Ronda]:
    """The rounds, locked until the batch commits: a concurrent close waits for it, so the counts
    in its `closed` frame include every acknowledged answer. In id order, so that two batches (two
    processes) lock their rounds in the same order and never deadlock.

    Raw SQL: on every batch, the ORM's query compiler cost twice the rest of the query's Python
    time (docs/performance.md)."""
    if not round_ids:
        return {}
    quote = connection.ops.quote_name
    sql = "SELECT * FROM {table} WHERE {pk} IN ({ids}) ORDER BY {pk}{lock}".format(
        table=quote(Ronda._meta.db_table),
        pk=quote(Ronda._meta.pk.column),
        ids=", ".join(["%s"] * len(round_ids)),
        lock=" FOR UPDATE" if connection.features.has_select_for_update else "",
    )
    return {r.pk: r for r in Ronda.objects.raw(sql, sorted(round_ids))}


def _store_alone(attempt: Attempt) -> GameError | None:
    try:
        return store([attempt])[0]
    except Exception:
        log.exception("Could not store an answer")
        return unavailable(attempt.language)


def _already_answered(attempt: Attempt) -> GameError:
    with translation.override(attempt.language):
        return GameError("already_answered", _("Ya respondiste a esta pregunta."))


def unavailable(language: str) -> GameError:
    """The database could not store an answer: the student may send it again."""
    with translation.override(language):
        return GameError("unavailable", _("No se pudo guardar tu respuesta; inténtalo de nuevo."))


def answer(aula: Aula, alumno_id: int, round_id, fields: dict, sure=None) -> Respuesta:
    """Store one answer (its frame's answer fields), or raise why not."""
    error = store([Attempt(aula.pk, alumno_id, round_id, fields, sure)])[0]
    if error is not None:
        raise error
    return Respuesta.objects.get(ronda_id=round_id, alumno_id=alumno_id)


def answer_of(alumno_id: int, ronda: Ronda):
    """A student's stored answer to a round, or None."""
    return Respuesta.objects.filter(ronda=ronda, alumno_id=alumno_id).values_list("valor", flat=True).first()
