"""Homework rules (game/homework.py), without a browser or a page."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from preguntas.game import homework, results
from preguntas.game.errors import GameError
from preguntas.models import Cuenta, Intento, Respuesta, RespuestaTarea, Revelar, Tarea, TiempoExtra
from tests.factories import (
    AlumnoFactory, ChoiceFactory, CuestionarioFactory, MultiFactory, NumberFactory, PollFactory, PreguntaFactory,
    RondaFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def quiz(alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="Geografía")
    for factory in (PreguntaFactory, ChoiceFactory, MultiFactory, PollFactory, NumberFactory):
        quiz.anadir(factory(propietario=alice))
    return quiz


def assign(aula, quiz, **settings) -> Tarea:
    settings = {"abre": NOW - timedelta(hours=1), "vence": NOW + timedelta(days=1), **settings}
    return homework.assign(aula, quiz, **settings)


RIGHT = {"tf": True, "choice": 1, "multi": [1, 3], "poll": 2, "number": 1007}
WRONG = {"tf": False, "choice": 2, "multi": [1], "poll": 1, "number": 5}


def do(intento, answers: dict, now=NOW) -> None:
    """Answer every question of an attempt, as ``answers`` says for each kind."""
    while (pregunta := homework.show(intento, now)) is not None:
        homework.answer(intento, pregunta.pk, answers[pregunta.tipo], now=now)


# Assigning and windows


def test_assigning_copies_the_questions_so_that_later_edits_change_nothing(aula, quiz):
    tarea = assign(aula, quiz)
    original = quiz.en_orden().first()
    original.texto, original.respuesta = "Cambiada", False
    original.save()
    copy = tarea.preguntas.first()
    assert (copy.texto != "Cambiada", copy.correcta) == (True, True)
    assert [p.tipo for p in tarea.preguntas.all()] == ["tf", "choice", "multi", "poll", "number"]


def test_an_empty_quiz_or_a_due_time_before_the_opening_is_refused(aula, alice, quiz):
    with pytest.raises(GameError):
        assign(aula, CuestionarioFactory(propietario=alice))
    with pytest.raises(GameError):
        assign(aula, quiz, abre=NOW, vence=NOW - timedelta(minutes=1))


def test_homework_is_open_between_its_opening_and_its_due_time(aula, quiz):
    tarea = assign(aula, quiz, abre=NOW, vence=NOW + timedelta(hours=1))
    assert not homework.is_open(tarea, NOW - timedelta(seconds=1))
    assert homework.is_open(tarea, NOW) and homework.is_open(tarea, NOW + timedelta(minutes=59))
    assert not homework.is_open(tarea, NOW + timedelta(hours=1))
    assert list(homework.open_for(aula, NOW)) == [tarea]
    assert list(homework.open_for(aula, NOW + timedelta(hours=2))) == []


def test_the_due_time_moves_later_or_sooner_but_never_to_the_opening_or_before(aula, quiz):
    tarea = assign(aula, quiz, abre=NOW, vence=NOW + timedelta(hours=1))
    homework.change_due(tarea, NOW + timedelta(days=2))
    assert Tarea.objects.get().vence == NOW + timedelta(days=2)
    homework.change_due(tarea, NOW + timedelta(minutes=1))
    assert homework.is_due(tarea, NOW + timedelta(minutes=1))
    for too_soon in (NOW, NOW - timedelta(minutes=1)):
        with pytest.raises(GameError):
            homework.change_due(tarea, too_soon)
    assert Tarea.objects.get().vence == NOW + timedelta(minutes=1)


def test_deleting_a_homework_takes_its_attempts_and_answers_and_leaves_its_students(aula, quiz):
    tarea = assign(aula, quiz)
    for name in ("Ana", "Beto"):
        do(homework.start(tarea, AlumnoFactory(aula=aula, nombre=name), NOW), RIGHT)
    assert homework.delete(tarea) == 2
    assert not Tarea.objects.exists() and not RespuestaTarea.objects.exists() and not Intento.objects.exists()
    assert aula.alumnos.count() == 2


def test_nobody_starts_before_the_opening_or_after_the_due_time(aula, quiz):
    tarea = assign(aula, quiz, abre=NOW, vence=NOW + timedelta(hours=1))
    ana = AlumnoFactory(aula=aula)
    with pytest.raises(GameError) as early:
        homework.start(tarea, ana, NOW - timedelta(minutes=1))
    with pytest.raises(GameError) as late:
        homework.start(tarea, ana, NOW + timedelta(hours=2))
    assert (early.value.code, late.value.code) == ("not_open", "due")


def test_an_answer_after_the_due_time_is_refused(aula, quiz):
    tarea = assign(aula, quiz, vence=NOW + timedelta(minutes=5))
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    pregunta = homework.show(intento, NOW)
    with pytest.raises(GameError) as refused:
        homework.answer(intento, pregunta.pk, True, now=NOW + timedelta(minutes=5))
    assert refused.value.code == "due" and "venció" in refused.value.detail
    assert not intento.respuestas.exists()


def test_a_student_of_another_classroom_cannot_start(aula, quiz, alice):
    tarea = assign(aula, quiz)
    with pytest.raises(GameError):
        homework.start(tarea, AlumnoFactory(), NOW)


# Every kind, one question at a time


def test_every_kind_is_answered_in_order_and_marked_as_its_kind_says(aula, quiz):
    tarea = assign(aula, quiz)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    do(intento, RIGHT)
    intento.refresh_from_db()
    marks = {r.pregunta.tipo: r.correcta for r in intento.respuestas.select_related("pregunta")}
    assert marks == {"tf": True, "choice": True, "multi": True, "poll": None, "number": True}
    assert intento.terminado is not None and homework.score(intento) == 4


def test_only_the_current_question_takes_an_answer_and_only_once(aula, quiz):
    tarea = assign(aula, quiz)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    first = homework.show(intento, NOW)
    later = tarea.preguntas.last()
    with pytest.raises(GameError) as wrong:
        homework.answer(intento, later.pk, 1007, now=NOW)
    assert wrong.value.code == "not_current"
    homework.answer(intento, first.pk, True, now=NOW)
    with pytest.raises(GameError):
        homework.answer(intento, first.pk, True, now=NOW)


def test_a_value_the_kind_does_not_take_is_refused(aula, quiz):
    tarea = assign(aula, quiz)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    first = homework.show(intento, NOW)
    with pytest.raises(GameError) as refused:
        homework.answer(intento, first.pk, "sí", now=NOW)
    assert refused.value.code == "invalid"


def test_a_plain_forms_values_become_the_kinds_answer(aula, quiz):
    tarea = assign(aula, quiz)
    tf, choice, multi, poll, number = tarea.preguntas.all()
    yes = next(o.key for o in homework.kinds.of(tf).options(tf) if o.value is True)
    assert homework.raw_answer(tf, [yes]) is True
    assert homework.raw_answer(choice, ["2"]) == 2
    assert homework.raw_answer(multi, ["1", "3"]) == [1, 3]
    assert homework.raw_answer(number, [], " 3,5 ") == 3.5
    for pregunta, chosen, typed in ((choice, [], ""), (choice, ["1", "2"], ""), (choice, ["9"], ""), (number, [], "tres")):
        with pytest.raises(GameError):
            homework.raw_answer(pregunta, chosen, typed)


# Attempts


def test_a_reload_goes_on_with_the_unfinished_attempt(aula, quiz):
    tarea = assign(aula, quiz)
    ana = AlumnoFactory(aula=aula)
    intento = homework.start(tarea, ana, NOW)
    first = homework.show(intento, NOW)
    homework.answer(intento, first.pk, True, now=NOW)
    again = homework.start(tarea, ana, NOW)
    assert again.pk == intento.pk and homework.show(again, NOW).pk != first.pk


def test_attempts_run_out(aula, quiz):
    tarea = assign(aula, quiz, intentos=2)
    ana = AlumnoFactory(aula=aula)
    for _ in range(2):
        do(homework.start(tarea, ana, NOW), WRONG)
    assert homework.attempts_left(tarea, ana) == 0
    with pytest.raises(GameError) as none_left:
        homework.start(tarea, ana, NOW)
    assert none_left.value.code == "no_attempts"


@pytest.mark.parametrize("cuenta, expected", [(Cuenta.MEJOR, 4), (Cuenta.ULTIMO, 0)])
def test_the_best_or_the_last_attempt_counts(aula, quiz, cuenta, expected):
    tarea = assign(aula, quiz, intentos=2, cuenta=cuenta)
    ana = AlumnoFactory(aula=aula)
    do(homework.start(tarea, ana, NOW), RIGHT)
    do(homework.start(tarea, ana, NOW), WRONG)
    [row] = homework.progress(tarea)
    assert (row.score, row.intentos, row.finished) == (expected, 2, True)
    assert results.homework_results(tarea).students[0].row.score == expected


@pytest.mark.parametrize("cuenta", [Cuenta.MEJOR, Cuenta.ULTIMO])
def test_only_finished_attempts_count_unless_none_is_finished(aula, quiz, cuenta):
    tarea = assign(aula, quiz, intentos=2, cuenta=cuenta, vence=NOW + timedelta(hours=1))
    ana, beto = AlumnoFactory(aula=aula, nombre="Ana"), AlumnoFactory(aula=aula, nombre="Beto")
    do(homework.start(tarea, ana, NOW), WRONG)  # finished: 0 right
    for alumno in (ana, beto):  # two right answers, then the time runs out
        intento = homework.start(tarea, alumno, NOW)
        for _ in range(2):
            pregunta = homework.show(intento, NOW)
            homework.answer(intento, pregunta.pk, RIGHT[pregunta.tipo], now=NOW)
    scores = {row.alumno.nombre: (row.score, row.intentos, row.finished) for row in homework.progress(tarea)}
    assert scores == {"Ana": (0, 2, True), "Beto": (2, 1, False)}
    assert homework.counted(tarea, homework.attempts(tarea, ana)).numero == 1
    assert results.homework_results(tarea).students[0].row.score == 2
    assert {s.row.alumno.nombre: s.cells[:2] for s in results.homework_results(tarea).students}["Ana"] == [False, False]


# Timers
# Timers


def test_each_question_has_its_time_stretched_by_the_students_extra_time(aula, quiz):
    tarea = assign(aula, quiz, segundos=20)
    ana = AlumnoFactory(aula=aula)
    beto = AlumnoFactory(aula=aula, tiempo_extra=TiempoExtra.MEDIO)
    for alumno, seconds in ((ana, 20), (beto, 30)):
        intento = homework.start(tarea, alumno, NOW)
        homework.show(intento, NOW)
        assert homework.deadline(intento) == NOW + timedelta(seconds=seconds)
        assert homework.seconds_left(intento, NOW + timedelta(seconds=5)) == seconds - 5


def test_the_timer_survives_a_reload_and_a_late_answer_counts_as_unanswered(aula, quiz):
    tarea = assign(aula, quiz, segundos=20)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    first = homework.show(intento, NOW)
    assert homework.show(intento, NOW + timedelta(seconds=10)).pk == first.pk  # a reload: same clock
    assert homework.seconds_left(intento, NOW + timedelta(seconds=10)) == 10
    late = homework.answer(intento, first.pk, True, now=NOW + timedelta(seconds=30))
    assert late.timed_out and (late.respuesta.valor, late.respuesta.correcta) == (None, False)


def test_a_question_left_open_past_its_time_is_skipped_when_the_student_comes_back(aula, quiz):
    tarea = assign(aula, quiz, segundos=20)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    first = homework.show(intento, NOW)
    second = homework.show(intento, NOW + timedelta(minutes=5))
    assert second.pk != first.pk and intento.respuestas.get().valor is None
    assert homework.seconds_left(intento, NOW + timedelta(minutes=5)) == 20


def test_extra_time_lets_an_answer_in_that_would_be_late_for_others(aula, quiz):
    tarea = assign(aula, quiz, segundos=20)
    beto = AlumnoFactory(aula=aula, tiempo_extra=TiempoExtra.DOBLE)
    intento = homework.start(tarea, beto, NOW)
    first = homework.show(intento, NOW)
    outcome = homework.answer(intento, first.pk, True, now=NOW + timedelta(seconds=35))
    assert not outcome.timed_out and outcome.respuesta.correcta is True


def test_untimed_homework_has_no_deadline_per_question(aula, quiz):
    intento = homework.start(assign(aula, quiz), AlumnoFactory(aula=aula), NOW)
    homework.show(intento, NOW)
    assert homework.deadline(intento) is None and homework.seconds_left(intento) is None


# Revealing


def test_answers_are_revealed_after_each_question_or_only_once_due(aula, quiz):
    each = assign(aula, quiz, revelar=Revelar.CADA_PREGUNTA)
    at_due = assign(aula, quiz, revelar=Revelar.AL_VENCER, vence=NOW + timedelta(hours=1))
    assert homework.may_reveal(each, NOW)
    assert not homework.may_reveal(at_due, NOW)
    assert homework.may_reveal(at_due, NOW + timedelta(hours=1))


def test_what_a_question_shows_never_says_which_option_is_right(aula, quiz):
    tarea = assign(aula, quiz)
    intento = homework.start(tarea, AlumnoFactory(aula=aula), NOW)
    choice = tarea.preguntas.get(tipo="choice")
    shown = homework.options_shown(intento, choice)
    assert {o.label for o in shown} == {"Tajo", "Ebro", "Duero", "Guadiana"}
    assert all("correct" not in repr(o) for o in shown)


# Shuffling


def test_shuffling_draws_an_order_once_per_attempt_and_keeps_it(aula, quiz):
    tarea = assign(aula, quiz, barajar=True, intentos=3)
    ana = AlumnoFactory(aula=aula)
    intento = homework.start(tarea, ana, NOW)
    order = [p.pk for p in homework.questions_of(intento)]
    assert sorted(order) == sorted(tarea.preguntas.values_list("pk", flat=True))
    intento.refresh_from_db()
    assert [p.pk for p in homework.questions_of(intento)] == order
    choice = tarea.preguntas.get(tipo="choice")
    options = [o.key for o in homework.options_shown(intento, choice)]
    assert sorted(options) == ["1", "2", "3", "4"] and [o.key for o in homework.options_shown(intento, choice)] == options


def test_shuffling_changes_the_order_and_not_shuffling_keeps_the_quizs(aula, quiz):
    shuffled = assign(aula, quiz, barajar=True)
    plain = assign(aula, quiz)
    quiz_order = [p.pk for p in plain.preguntas.order_by("orden")]
    assert homework.draw(plain)["preguntas"] == quiz_order
    draws = {tuple(homework.draw(shuffled, random.Random(seed))["preguntas"]) for seed in range(10)}
    assert len(draws) > 1


# Apart from live rounds


def test_homework_never_mixes_with_the_classrooms_live_rounds(aula, quiz):
    tarea = assign(aula, quiz)
    ana = AlumnoFactory(aula=aula)
    ronda = RondaFactory(aula=aula)
    Respuesta.objects.create(ronda=ronda, alumno=ana, valor=True)
    do(homework.start(tarea, ana, NOW), RIGHT)
    live = results.classroom_results(aula)
    assert len(live.rounds) == 1 and live.students[0].score == 1
    [row] = results.homework_results(tarea).students
    assert row.row.score == 4 and len(row.cells) == 5
    header, line = list(results.gradebook_rows(aula))
    assert header[-1] == "Geografía (tarea)" and line[-1] == 4


def test_the_per_question_analysis_counts_the_attempts_that_count(aula, quiz):
    tarea = assign(aula, quiz)
    do(homework.start(tarea, AlumnoFactory(aula=aula), NOW), RIGHT)
    do(homework.start(tarea, AlumnoFactory(aula=aula), NOW), WRONG)
    found = results.homework_results(tarea)
    assert [q.percent_right for q in found.questions] == [50, 50, 50, None, 50]
    assert [q.answered for q in found.questions] == [2] * 5
