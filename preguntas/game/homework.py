"""Homework: a quiz each student does at their own pace, between the time it opens and its due time.

The server decides everything here: whether the homework is open, which question comes next
and in what order its options are shown (drawn once per attempt), each question's timer (with
the student's extra time), which attempt counts, and when a student may see the right answers.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preguntas.game import kinds
from preguntas.game.errors import GameError, is_int
from preguntas.models import (
    Alumno, Aula, Cuenta, Cuestionario, Intento, RespuestaTarea, Revelar, Tarea, TareaPregunta,
)

# A timed answer that left the phone in time may reach the server a little later.
GRACE = timedelta(seconds=2)
MAX_ATTEMPTS = 10
MIN_SECONDS, MAX_SECONDS = 5, 600  # a timer per question, when there is one


# Assigning ------------------------------------------------------------------


def assign(aula: Aula, cuestionario: Cuestionario, *, abre, vence, revelar=Revelar.CADA_PREGUNTA, intentos=1,
           cuenta=Cuenta.MEJOR, segundos=None, barajar=False) -> Tarea:
    """Assign a quiz to a classroom: its questions are copied as they are now."""
    preguntas = list(cuestionario.en_orden())
    if not preguntas:
        raise GameError("invalid", _("El cuestionario no tiene preguntas."))
    if vence <= abre:
        raise GameError("invalid", _("El plazo debe vencer después de abrirse."))
    if not 1 <= intentos <= MAX_ATTEMPTS:
        raise GameError("invalid", _("Los intentos van de 1 a %(max)s.") % {"max": MAX_ATTEMPTS})
    with transaction.atomic():
        tarea = Tarea.objects.create(
            aula=aula, cuestionario=cuestionario, nombre=cuestionario.nombre, abre=abre, vence=vence,
            revelar=revelar, intentos=intentos, cuenta=cuenta, segundos=segundos or None, barajar=barajar,
        )
        TareaPregunta.objects.bulk_create([
            TareaPregunta(tarea=tarea, pregunta=p, orden=i, correcta=p.correcta, **{f: getattr(p, f) for f in p.COPIED})
            for i, p in enumerate(preguntas)
        ])
    return tarea


def change_due(tarea: Tarea, vence) -> None:
    """Move the due time, later or sooner (even to now or before: it is then due), never to or
    before the opening."""
    if vence <= tarea.abre:
        raise GameError("invalid", _("El plazo debe vencer después de abrirse."))
    tarea.vence = vence
    tarea.save(update_fields=["vence"])


def delete(tarea: Tarea) -> int:
    """Delete a homework with its questions, attempts and answers; how many attempts went with it."""
    intentos = tarea.intentos_hechos.count()
    tarea.delete()
    return intentos


# Windows ---------------------------------------------------------------------


def is_open(tarea: Tarea, now=None) -> bool:
    now = now or timezone.now()
    return tarea.abre <= now < tarea.vence


def is_due(tarea: Tarea, now=None) -> bool:
    return (now or timezone.now()) >= tarea.vence


def open_for(aula: Aula, now=None):
    """The classroom's homework open now, the soonest due first."""
    now = now or timezone.now()
    return aula.tareas.filter(abre__lte=now, vence__gt=now).order_by("vence", "pk")


def check_open(tarea: Tarea, now=None) -> None:
    now = now or timezone.now()
    if now < tarea.abre:
        raise GameError("not_open", _("Esta tarea todavía no está abierta."))
    if is_due(tarea, now):
        raise GameError("due", _("El plazo de esta tarea ya venció: no se aceptan más respuestas."))


# Attempts --------------------------------------------------------------------


def attempts(tarea: Tarea, alumno: Alumno) -> list[Intento]:
    return list(tarea.intentos_hechos.filter(alumno=alumno).order_by("numero"))


def current(tarea: Tarea, alumno: Alumno) -> Intento | None:
    """The student's latest attempt, finished or not."""
    return tarea.intentos_hechos.filter(alumno=alumno).order_by("-numero").first()


def attempts_left(tarea: Tarea, alumno: Alumno) -> int:
    return max(0, tarea.intentos - tarea.intentos_hechos.filter(alumno=alumno).count())


def start(tarea: Tarea, alumno: Alumno, now=None) -> Intento:
    """Begin an attempt (or go on with the unfinished one): the order of questions and options
    is drawn now and kept for the whole attempt."""
    now = now or timezone.now()
    check_open(tarea, now)
    if alumno.aula_id != tarea.aula_id:
        raise GameError("not_found", _("Esta tarea no es de tu aula."))
    last = current(tarea, alumno)
    if last is not None and last.terminado is None:
        return last
    if attempts_left(tarea, alumno) <= 0:
        raise GameError("no_attempts", _("Ya no te quedan intentos en esta tarea."))
    try:
        with transaction.atomic():
            return Intento.objects.create(
                tarea=tarea, alumno=alumno, numero=(last.numero + 1) if last else 1, orden=draw(tarea), empezado=now
            )
    except IntegrityError:  # the same student started from two tabs at once
        return current(tarea, alumno)


def draw(tarea: Tarea, rng: random.Random | None = None) -> dict:
    """The order an attempt shows: the quiz's, or shuffled questions and options."""
    rng = rng or random.Random()
    preguntas = list(tarea.preguntas.order_by("orden", "pk"))
    ids = [p.pk for p in preguntas]
    opciones = {str(p.pk): [o["id"] for o in p.opciones] for p in preguntas if p.opciones}
    if tarea.barajar:
        rng.shuffle(ids)
        for order in opciones.values():
            rng.shuffle(order)
    return {"preguntas": ids, "opciones": opciones}


def questions_of(intento: Intento) -> list[TareaPregunta]:
    by_id = {p.pk: p for p in intento.tarea.preguntas.all()}
    return [by_id[i] for i in intento.orden.get("preguntas", []) if i in by_id]


def options_shown(intento: Intento, pregunta: TareaPregunta) -> list[kinds.Option]:
    """The options of a question as this attempt shows them (never which one is right)."""
    options = kinds.of(pregunta).options(pregunta)
    order = intento.orden.get("opciones", {}).get(str(pregunta.pk))
    if not order:
        return options
    by_key = {o.key: o for o in options}
    return [by_key[str(i)] for i in order if str(i) in by_key]


def answered_ids(intento: Intento) -> set[int]:
    return set(intento.respuestas.values_list("pregunta_id", flat=True))


def next_question(intento: Intento) -> TareaPregunta | None:
    """The first question of the attempt's order not yet answered; None when it is finished."""
    done = answered_ids(intento)
    return next((p for p in questions_of(intento) if p.pk not in done), None)


def position(intento: Intento) -> tuple[int, int]:
    """(answered, of): how far the attempt has gone."""
    return len(answered_ids(intento)), len(intento.orden.get("preguntas", []))


# Timers ----------------------------------------------------------------------


def show(intento: Intento, now=None) -> TareaPregunta | None:
    """The question the student sees now; its timer starts the first time it is shown. A
    question whose time ran out counts as unanswered, and the next one comes."""
    now = now or timezone.now()
    while True:
        pregunta = next_question(intento)
        if pregunta is None:
            _finish(intento, now)
            return None
        if intento.mostrada is None:
            intento.mostrada = now
            intento.save(update_fields=["mostrada"])
            return pregunta
        if not time_is_up(intento, now):
            return pregunta
        _record(intento, pregunta, None, None, intento.mostrada + time_allowed(intento), now)


def time_allowed(intento: Intento) -> timedelta | None:
    """The time the student has for each question: the homework's, stretched by their extra time."""
    if not intento.tarea.segundos:
        return None
    return timedelta(seconds=intento.tarea.segundos) * intento.alumno.tiempo_extra / 100


def deadline(intento: Intento):
    """When the current question's time runs out for this student (None: untimed or not shown)."""
    allowed = time_allowed(intento)
    if allowed is None or intento.mostrada is None:
        return None
    return intento.mostrada + allowed


def time_is_up(intento: Intento, now=None) -> bool:
    end = deadline(intento)
    return end is not None and (now or timezone.now()) > end + GRACE


def seconds_left(intento: Intento, now=None) -> int | None:
    end = deadline(intento)
    if end is None:
        return None
    return max(0, int((end - (now or timezone.now())).total_seconds()))


# Answering -------------------------------------------------------------------


@dataclass
class Outcome:
    respuesta: RespuestaTarea
    timed_out: bool = False


def answer(intento: Intento, pregunta_id, raw, sure=None, now=None) -> Outcome:
    """Store the answer to the current question (``raw`` as the kind's answer field takes it).

    Refused after the due time, for a question that is not the current one, or with a value the
    kind does not take. After the question's time, it is stored as unanswered."""
    now = now or timezone.now()
    check_open(intento.tarea, now)
    if intento.terminado is not None:
        raise GameError("finished", _("Ya terminaste este intento."))
    pregunta = next_question(intento)
    if pregunta is None or not is_int(pregunta_id) or pregunta.pk != pregunta_id:
        raise GameError("not_current", _("Esa no es la pregunta que toca; vuelve a la tarea."))
    if sure is not None and not isinstance(sure, bool):
        raise GameError("invalid", _("«sure» debe ser true, false o no estar."))
    if intento.mostrada is not None and time_is_up(intento, now):
        return Outcome(_record(intento, pregunta, None, None, now, now), timed_out=True)
    stored = kinds.of(pregunta).parse(pregunta, raw)
    return Outcome(_record(intento, pregunta, stored, sure, now, now))


def _record(intento: Intento, pregunta: TareaPregunta, stored, sure, recibida, now) -> RespuestaTarea:
    right = kinds.of(pregunta).is_right(pregunta, stored) if stored is not None else (
        False if kinds.of(pregunta).SCORED else None)
    try:
        with transaction.atomic():
            respuesta = RespuestaTarea.objects.create(
                intento=intento, pregunta=pregunta, valor=stored, seguro=sure, recibida=recibida, correcta=right
            )
    except IntegrityError:  # sent twice (a double tap, two tabs)
        raise GameError("already_answered", _("Ya respondiste a esta pregunta.")) from None
    intento.mostrada = None
    intento.save(update_fields=["mostrada"])
    if next_question(intento) is None:
        _finish(intento, now)
    return respuesta


def _finish(intento: Intento, now) -> None:
    if intento.terminado is None:
        intento.terminado = now
        intento.save(update_fields=["terminado"])


def raw_answer(pregunta: TareaPregunta, chosen: list[str], number: str = ""):
    """What a plain form sent (the keys of the options ticked, or a number typed) → the kind's
    answer field, for ``answer``."""
    kind = kinds.of(pregunta)
    values = {o.key: o.value for o in kind.options(pregunta)}
    if not values:
        try:
            return float(number.strip().replace(",", "."))
        except ValueError:
            raise GameError("invalid", _("Escribe un número.")) from None
    picked = [values[key] for key in chosen if key in values]
    if not picked or len(picked) != len(chosen):
        raise GameError("invalid", _("Elige una respuesta."))
    if kind.FIELD == "options":
        return picked
    if len(picked) != 1:
        raise GameError("invalid", _("Elige una sola respuesta."))
    return picked[0]


# Revealing -------------------------------------------------------------------


def may_reveal(tarea: Tarea, now=None) -> bool:
    """Whether students may see the right answers now: after each question, or once it is due."""
    return tarea.revelar == Revelar.CADA_PREGUNTA or is_due(tarea, now)


# Scores ----------------------------------------------------------------------


def score(intento: Intento) -> int:
    return intento.respuestas.filter(correcta=True).count()


def counted(tarea: Tarea, intentos: list[Intento]) -> Intento | None:
    """Of one student's attempts, the one that counts: the best (the earliest of equal scores)
    or the last, among the finished ones; the unfinished one only when none is finished (a
    student whose time ran out mid-attempt still gets its score)."""
    intentos = [i for i in intentos if i.terminado is not None] or intentos
    if not intentos:
        return None
    if tarea.cuenta == Cuenta.ULTIMO:
        return max(intentos, key=lambda i: i.numero)
    return max(intentos, key=lambda i: (_score_of(i), -i.numero))


def _score_of(intento: Intento) -> int:
    cached = getattr(intento, "aciertos", None)
    return score(intento) if cached is None else cached


@dataclass
class ProgressRow:
    alumno: Alumno
    intentos: int = 0
    answered: int = 0  # in the attempt that counts
    score: int | None = None  # right answers in the attempt that counts
    started: bool = False
    finished: bool = False

    def as_dict(self) -> dict:
        return {
            "id": self.alumno.pk, "name": self.alumno.nombre, "attempts": self.intentos, "answered": self.answered,
            "score": self.score, "started": self.started, "finished": self.finished,
        }


def progress(tarea: Tarea) -> list[ProgressRow]:
    """Every student of the classroom (and any removed one who started): whether they started
    and finished, and the score of the attempt that counts so far."""
    by_student: dict[int, list[Intento]] = {}
    for intento in tarea.intentos_hechos.annotate(
        aciertos=Count("respuestas", filter=Q(respuestas__correcta=True)), n=Count("respuestas")
    ).order_by("numero"):
        by_student.setdefault(intento.alumno_id, []).append(intento)
    rows = []
    for alumno in tarea.aula.alumnos.all():
        mine = by_student.get(alumno.pk, [])
        if alumno.retirado and not mine:
            continue
        row = ProgressRow(alumno, intentos=len(mine))
        chosen = counted(tarea, mine)
        if chosen is not None:
            row.started, row.answered, row.score = True, chosen.n, chosen.aciertos
            row.finished = any(i.terminado for i in mine)
        rows.append(row)
    rows.sort(key=lambda r: (not r.started, -(r.score or 0), r.alumno.nombre.casefold()))
    return rows


@dataclass
class HomeworkResults:
    tarea: Tarea
    questions: list = field(default_factory=list)  # results.RoundSummary of each question, in the quiz's order
    students: list = field(default_factory=list)  # (ProgressRow, cells per question: True/False/"voted"/None)


def counted_answers(tarea: Tarea) -> dict[int, dict[int, RespuestaTarea]]:
    """The answers of the attempt that counts, by student and question."""
    intentos: dict[int, list[Intento]] = {}
    for intento in tarea.intentos_hechos.order_by("numero"):
        intentos.setdefault(intento.alumno_id, []).append(intento)
    chosen = {alumno_id: counted(tarea, mine) for alumno_id, mine in intentos.items()}
    by_attempt = {i.pk: alumno_id for alumno_id, i in chosen.items()}
    answers: dict[int, dict[int, RespuestaTarea]] = {}
    for r in RespuestaTarea.objects.filter(intento_id__in=by_attempt):
        answers.setdefault(by_attempt[r.intento_id], {})[r.pregunta_id] = r
    return answers
