"""Rounds: pushing a question, closing it (by hand, at its deadline, or for a second vote)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from preguntas.game import kinds
from preguntas.game.errors import GameError, is_id, is_int
from preguntas.models import Aula, Contenido, Cuestionario, CuestionarioPregunta, Pregunta, Ronda

MAX_ROUND_SECONDS = 3600
# How long after its close a round's result is still shown to a student who reloads the page.
RESULT_KEPT = timedelta(minutes=2)


def open_round(aula: Aula) -> Ronda | None:
    """The classroom's open round; one past its deadline counts as closed."""
    ronda = aula.ronda_abierta()
    return None if ronda is None or ronda.vencida() else ronda


def on_screen(aula: Aula, now=None) -> tuple[Ronda | None, Ronda | None]:
    """What the students' screens show, in one query (a student joins with it): the open round,
    or else the last round if it closed within ``RESULT_KEPT`` (its result is still shown).
    The last round opened is the open one, if any: a push closes the previous round first."""
    now = now or timezone.now()
    return _on_screen(aula.rondas.order_by("-abierta", "-pk").first(), now)


def on_screen_of(aula_ids, now=None) -> dict[int, tuple[Ronda | None, Ronda | None]]:
    """``on_screen`` for several classrooms at once (the students of a batch of joins), in one
    query: each classroom's last round opened."""
    now = now or timezone.now()
    latest = Ronda.objects.filter(aula_id=OuterRef("aula_id")).order_by("-abierta", "-pk").values("pk")[:1]
    lasts = {r.aula_id: r for r in Ronda.objects.filter(aula_id__in=aula_ids, pk=Subquery(latest))}
    return {aula_id: _on_screen(lasts.get(aula_id), now) for aula_id in aula_ids}


def _on_screen(last: Ronda | None, now) -> tuple[Ronda | None, Ronda | None]:
    """What the screens show, given the classroom's last round opened."""
    if last is None:
        return None, None
    if last.cerrada is None:  # past its deadline, it counts as closed (and shows no result yet)
        return (None if last.vencida(now) else last), None
    return None, (last if last.cerrada >= now - RESULT_KEPT else None)


def with_quiz_progress(ronda: Ronda | None) -> Ronda | None:
    """Tell the round where its question sits in the quiz it was pushed from (``quiz_progress``:
    position, of), if it was pushed from one that still holds the question. One query."""
    if ronda is not None and ronda.cuestionario_id and ronda.pregunta_id:
        order = list(
            CuestionarioPregunta.objects.filter(cuestionario_id=ronda.cuestionario_id)
            .order_by("orden", "pk")
            .values_list("pregunta_id", flat=True)
        )
        if ronda.pregunta_id in order:
            ronda.quiz_progress = (order.index(ronda.pregunta_id) + 1, len(order))
    return ronda


def close_overdue(aula: Aula) -> Ronda | None:
    """Close the open round if its deadline passed; the caller announces it."""
    ronda = aula.ronda_abierta()
    if ronda is None or not ronda.vencida():
        return None
    try:
        _close(ronda)
    except GameError:  # closed meanwhile by another process
        return None
    return with_quiz_progress(ronda)


def push(aula: Aula, user, question_id, seconds=None, quiz_id=None) -> tuple[Ronda | None, Ronda]:
    """Open a round with a question (from one of the teacher's quizzes, if `quiz_id`); an open
    round is closed first. Returns (closed, opened)."""
    if not is_int(question_id):
        raise GameError("invalid", _("«question» debe ser el id de una pregunta."))
    if seconds is not None and (not is_int(seconds) or not 1 <= seconds <= MAX_ROUND_SECONDS):
        raise GameError("invalid", _("«seconds» debe ser un entero entre 1 y %(max)s.") % {"max": MAX_ROUND_SECONDS})
    pregunta = Pregunta.objects.visibles_para(user).filter(pk=question_id).first() if is_id(question_id) else None
    if pregunta is None:
        raise GameError("not_found", _("Esa pregunta no existe en tu banco."))
    if problems := kinds.of(pregunta).problems(pregunta):
        raise GameError("invalid", _("Esa pregunta no se puede lanzar: %(why)s") % {"why": " ".join(problems)})
    cuestionario = None
    if quiz_id is not None:
        if not is_int(quiz_id):
            raise GameError("invalid", _("«quiz» debe ser el id de un cuestionario."))
        cuestionario = Cuestionario.objects.filter(pk=quiz_id, propietario=user).first() if is_id(quiz_id) else None
        if cuestionario is None:
            raise GameError("not_found", _("Ese cuestionario no es tuyo."))
    with transaction.atomic():
        previous = aula.ronda_abierta()
        if previous is not None:
            _close(previous)
        now = timezone.now()
        ronda = Ronda(
            aula=aula,
            pregunta=pregunta,
            **_copy(pregunta),
            cuestionario=cuestionario,
            abierta=now,
            limite=now + timedelta(seconds=seconds) if seconds else None,
        )
        if seconds:
            # Only the students here now: an absent student's extra time would hold up the class.
            most = aula.alumnos.conectados().aggregate(most=Max("tiempo_extra"))["most"] or 100
            ronda.cierre = ronda.limite_para(max(most, 100))
        ronda.save()
    return with_quiz_progress(previous), with_quiz_progress(ronda)


def revote(aula: Aula, round_id) -> tuple[Ronda, Ronda]:
    """Peer instruction: stop an open round without revealing the answer and put the same
    question to a second vote. Returns (first vote, second vote)."""
    first = round_of(aula, round_id)
    if not first.esta_abierta:
        raise GameError("round_closed", _("Esa ronda ya está cerrada."))
    with transaction.atomic():
        _close(first)
        second = Ronda.objects.create(
            aula=aula,
            pregunta=first.pregunta,
            **_copy(first),
            cuestionario=first.cuestionario,
            anterior=first,
        )
    return first, with_quiz_progress(second)


def show_split(aula: Aula, round_id) -> Ronda:
    """Peer instruction: the class sees how it votes, from now on as answers arrive."""
    ronda = round_of(aula, round_id)
    if ronda.esta_abierta and not ronda.reparto_visible:
        Ronda.objects.filter(pk=ronda.pk).update(reparto_visible=True)
        ronda.reparto_visible = True
    return ronda


def close(aula: Aula, round_id) -> Ronda:
    ronda = round_of(aula, round_id)
    if not ronda.esta_abierta:
        raise GameError("round_closed", _("Esa ronda ya está cerrada."))
    _close(ronda)
    return with_quiz_progress(ronda)


def _close(ronda: Ronda) -> None:
    now = timezone.now()
    if not Ronda.objects.filter(pk=ronda.pk, cerrada__isnull=True).update(cerrada=now):
        raise GameError("round_closed", _("Esa ronda ya está cerrada."))
    ronda.cerrada = now


def _copy(content) -> dict:
    """What a round keeps of its question (or of the first vote), so results stay true if the
    question is edited later."""
    return {name: getattr(content, name) for name in Contenido.COPIED} | {"correcta": content.correcta}


def round_of(aula: Aula, round_id) -> Ronda:
    if not is_int(round_id):
        raise GameError("invalid", _("«round» debe ser el id de una ronda."))
    ronda = Ronda.objects.filter(aula=aula, pk=round_id).first() if is_id(round_id) else None
    if ronda is None:
        raise GameError("not_found", _("Esa ronda no existe en esta aula."))
    return ronda
