"""Scores and the leaderboard.

Accuracy first: a student's score is the number of questions they got right. With speed
points turned on (``Aula.puntos_velocidad``) a right answer is also worth ``BASE_POINTS``
plus up to ``SPEED_POINTS`` more the sooner it came, measured against the student's own
time (so extra time costs no points). A wrong answer is worth nothing either way. Only the
rounds that count score (``Ronda.objects.que_cuentan``: of a question voted twice, the
second vote).

The leaderboard covers today's rounds in the classroom (a class session). Who sees it is the
classroom's choice (``Aula.clasificacion``): nobody, each student their own place, the top
five after every question, or everyone at the end of a quiz (or when the teacher shows it).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from preguntas.game import kinds
from preguntas.models import Aula, Clasificacion, Respuesta, Ronda

BASE_POINTS = 500
SPEED_POINTS = 500
UNTIMED_WINDOW = timedelta(seconds=20)  # the time a right answer to an untimed question earns speed points in
TOP = 5


def points(ronda: Ronda, recibida: datetime, extra: int = 100) -> int:
    """Points of a right answer received at ``recibida`` from a student with ``extra`` % of the time."""
    window = (ronda.limite - ronda.abierta if ronda.limite else UNTIMED_WINDOW) * extra / 100
    fraction = 1 - (recibida - ronda.abierta) / window
    return BASE_POINTS + round(SPEED_POINTS * min(1.0, max(0.0, fraction)))


@dataclass
class Standing:
    alumno_id: int
    name: str
    right: int = 0
    points: int = 0
    rank: int = 0


def scores(rondas, with_points: bool) -> dict[int, Standing]:
    """Each student's right answers (and points) over ``rondas``, by student id; unranked."""
    by_id = {r.pk: r for r in rondas}
    table: dict[int, Standing] = {}
    rows = Respuesta.objects.filter(ronda_id__in=by_id).values_list(
        "alumno_id", "alumno__nombre", "alumno__tiempo_extra", "ronda_id", "valor", "recibida"
    )
    for alumno_id, name, extra, ronda_id, valor, recibida in rows:
        standing = table.setdefault(alumno_id, Standing(alumno_id, name))
        ronda = by_id[ronda_id]
        if kinds.of(ronda).is_right(ronda, valor):
            standing.right += 1
            if with_points:
                standing.points += points(ronda, recibida, extra)
    return table


def standings(aula: Aula, rondas, with_points: bool) -> list[Standing]:
    """Everyone who answered one of ``rondas``, best first; equal scores share a place (1, 2, 2, 4)."""
    key = (lambda s: s.points) if with_points else (lambda s: s.right)
    ordered = sorted(scores(rondas, with_points).values(), key=lambda s: (-key(s), s.name.casefold()))
    for place, standing in enumerate(ordered):
        tied = place and key(standing) == key(ordered[place - 1])
        standing.rank = ordered[place - 1].rank if tied else place + 1
    return ordered


def session_rounds(aula: Aula) -> list[Ronda]:
    """Today's closed rounds of the classroom that count."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return list(aula.rondas.que_cuentan().filter(abierta__gte=start, cerrada__isnull=False))


def ends_quiz(ronda: Ronda) -> bool:
    """Whether a round asked the last question of the quiz it was pushed from."""
    if ronda.cuestionario_id is None:
        return False
    last = ronda.cuestionario.lineas.order_by("-orden", "-pk").values_list("pregunta_id", flat=True).first()
    return last == ronda.pregunta_id


def shows_leaderboard(aula: Aula) -> bool:
    return aula.clasificacion != Clasificacion.NINGUNA


@dataclass
class Leaderboard:
    """What the class is told: the top places for everyone (None: nobody sees them), and every
    ranked student's own place."""

    top: list[Standing] | None
    everyone: list[Standing]
    with_points: bool


def leaderboard(aula: Aula, closed: Ronda | None = None) -> Leaderboard | None:
    """The leaderboard to show after ``closed`` closes (None: the teacher asked to show it now),
    or None if the classroom shows none then."""
    mode = aula.clasificacion
    if not shows_leaderboard(aula) or (mode == Clasificacion.FINAL and closed and not ends_quiz(closed)):
        return None
    table = standings(aula, session_rounds(aula), aula.puntos_velocidad)
    top = None if mode == Clasificacion.PROPIA else [s for s in table if s.rank <= TOP]
    return Leaderboard(top, table, aula.puntos_velocidad)
