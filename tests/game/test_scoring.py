"""Scores: accuracy first, optional speed points, and who sees the leaderboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from preguntas.game import answers, rounds, scoring
from preguntas.game.answers import Attempt
from preguntas.game.errors import GameError
from preguntas.models import Clasificacion, Conexion, Proceso
from preguntas.realtime import protocol
from tests.factories import AlumnoFactory, CuestionarioFactory, PreguntaFactory, RespuestaFactory, RondaFactory

pytestmark = pytest.mark.django_db


def closed_round(aula, correcta=True, seconds=None, **kwargs):
    now = timezone.now() - timedelta(minutes=5)
    return RondaFactory(
        aula=aula, correcta=correcta, abierta=now, cerrada=now + timedelta(minutes=1),
        limite=now + timedelta(seconds=seconds) if seconds else None, **kwargs
    )


def answer(ronda, alumno, valor=True, after=1.0):
    return RespuestaFactory(ronda=ronda, alumno=alumno, valor=valor, recibida=ronda.abierta + timedelta(seconds=after))


def test_points_fall_with_time_and_extra_time_stretches_the_window():
    ronda = RondaFactory.build(abierta=timezone.now(), limite=None)
    ronda.limite = ronda.abierta + timedelta(seconds=20)
    at = lambda s: ronda.abierta + timedelta(seconds=s)  # noqa: E731
    assert scoring.points(ronda, at(0)) == 1000
    assert scoring.points(ronda, at(10)) == 750
    assert scoring.points(ronda, at(20)) == 500
    assert scoring.points(ronda, at(15), extra=150) == 750  # 15 s of a student's 30 s
    ronda.limite = None  # untimed: the speed window is 20 s
    assert scoring.points(ronda, at(10)) == 750
    assert scoring.points(ronda, at(300)) == 500


def test_standings_rank_by_right_answers_and_ties_share_a_place(aula):
    ana, beto, carla, dani = (AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto", "Carla", "Dani"))
    r1, r2 = closed_round(aula), closed_round(aula)
    for alumno, valores in ((ana, (True, True)), (beto, (True, False)), (carla, (False, True)), (dani, (False, False))):
        answer(r1, alumno, valores[0])
        answer(r2, alumno, valores[1])
    table = scoring.standings(aula, [r1, r2], with_points=False)
    assert [(s.name, s.right, s.rank) for s in table] == [("Ana", 2, 1), ("Beto", 1, 2), ("Carla", 1, 2), ("Dani", 0, 4)]


def test_with_speed_points_the_faster_right_answer_ranks_first(aula):
    slow, fast = AlumnoFactory(aula=aula, nombre="Ana"), AlumnoFactory(aula=aula, nombre="Beto")
    ronda = closed_round(aula, seconds=20)
    answer(ronda, slow, after=10)
    answer(ronda, fast, after=2)
    table = scoring.standings(aula, [ronda], with_points=True)
    assert [(s.name, s.right, s.points) for s in table] == [("Beto", 1, 950), ("Ana", 1, 750)]


def test_a_student_with_extra_time_loses_no_points_for_using_it(aula):
    alumno = AlumnoFactory(aula=aula, tiempo_extra=200)
    ronda = closed_round(aula, seconds=20)
    answer(ronda, alumno, after=20)  # half of their 40 s
    assert scoring.standings(aula, [ronda], with_points=True)[0].points == 750


def test_the_session_is_todays_rounds_and_a_first_vote_voted_again_does_not_count(aula):
    today = closed_round(aula)
    first = closed_round(aula)
    second = closed_round(aula, anterior=first)
    old = closed_round(aula)
    old.abierta -= timedelta(days=2)
    old.save()
    RondaFactory(aula=aula)  # open
    assert {r.pk for r in scoring.session_rounds(aula)} == {today.pk, second.pk}


def leaderboard_after(aula, mode, closed=None):
    """The leaderboard frames after ``closed``: the public one, and each student's own by id."""
    aula.clasificacion = mode
    aula.save()
    board = scoring.leaderboard(aula, closed)
    return (None, {}) if board is None else (protocol.leaderboard(board), protocol.ranks(board))


def test_leaderboard_choices(aula):
    students = [AlumnoFactory(aula=aula, nombre=f"A{i}") for i in range(7)]
    ronda = closed_round(aula)
    for i, alumno in enumerate(students):
        answer(ronda, alumno, valor=i < 6)

    assert leaderboard_after(aula, Clasificacion.NINGUNA, ronda) == (None, {})

    public, personal = leaderboard_after(aula, Clasificacion.PROPIA, ronda)
    assert public is None
    assert personal[students[6].pk] == {"type": "rank", "of": 7, "rank": 7, "right": 0}

    public, personal = leaderboard_after(aula, Clasificacion.TOP5, ronda)
    assert public["type"] == "leaderboard" and public["of"] == 7
    assert len(public["top"]) == 6  # six tied in first place
    assert "A6" not in {row["name"] for row in public["top"]}
    assert personal[students[0].pk]["rank"] == 1


def test_end_of_quiz_leaderboard_waits_for_the_last_question_or_the_teacher(aula):
    alumno = AlumnoFactory(aula=aula)
    quiz = CuestionarioFactory(propietario=aula.propietario)
    p1, p2 = PreguntaFactory(), PreguntaFactory()
    quiz.anadir(p1)
    quiz.anadir(p2)
    first = closed_round(aula, pregunta=p1, cuestionario=quiz)
    answer(first, alumno)
    assert leaderboard_after(aula, Clasificacion.FINAL, first) == (None, {})
    public, personal = leaderboard_after(aula, Clasificacion.FINAL, None)  # the teacher shows it
    assert public["top"][0]["right"] == 1
    last = closed_round(aula, pregunta=p2, cuestionario=quiz)
    public, personal = leaderboard_after(aula, Clasificacion.FINAL, last)
    assert public is not None and personal[alumno.pk]["rank"] == 1


def test_speed_points_appear_in_the_frames_only_when_turned_on(aula):
    alumno = AlumnoFactory(aula=aula)
    answer(closed_round(aula), alumno, after=0)
    public, personal = leaderboard_after(aula, Clasificacion.TOP5)
    assert "points" not in public["top"][0] and "points" not in personal[alumno.pk]
    aula.puntos_velocidad = True
    public, personal = leaderboard_after(aula, Clasificacion.TOP5)
    assert public["top"][0]["points"] == 1000 and personal[alumno.pk]["points"] == 1000


# Extra time -------------------------------------------------------------


def connected(**kwargs):
    alumno = AlumnoFactory(**kwargs)
    Conexion.objects.create(alumno=alumno, proceso="test")
    Proceso.objects.get_or_create(pk="test")
    return alumno


def test_a_timed_round_stays_open_for_the_student_with_extra_time_only(aula, alice, pregunta):
    plain = connected(aula=aula)
    extra = connected(aula=aula, tiempo_extra=150)
    AlumnoFactory(aula=aula, tiempo_extra=200)  # absent: does not hold up the class
    _, ronda = rounds.push(aula, alice, pregunta.pk, seconds=20)
    assert ronda.cierre == ronda.abierta + timedelta(seconds=30)
    after_base = ronda.abierta + timedelta(seconds=25)
    with pytest.raises(GameError) as error:
        answers.check(Attempt(aula.pk, plain.pk, ronda.pk, {"value": True}), ronda, now=after_base, extra=plain.tiempo_extra)
    assert error.value.code == "round_closed"
    assert answers.check(Attempt(aula.pk, extra.pk, ronda.pk, {"value": True}), ronda, now=after_base, extra=extra.tiempo_extra) == ronda
    assert rounds.open_round(aula) == ronda


def test_without_extra_time_a_timed_round_closes_at_its_deadline(aula, alice, pregunta):
    connected(aula=aula)
    _, ronda = rounds.push(aula, alice, pregunta.pk, seconds=10)
    assert ronda.cierre == ronda.limite
