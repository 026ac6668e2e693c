"""Results, scores, the gradebook and a student's history for every question kind."""

import pytest
from django.utils import timezone

from preguntas.game import scoring
from preguntas.game.results import VOTED, classroom_results, export_rows, gradebook_rows, student_history
from tests.factories import (
    AlumnoFactory, ChoiceFactory, CuestionarioFactory, MultiFactory, NumberFactory, PollFactory, RespuestaFactory,
    RondaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def students(aula):
    return [AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto", "Carla", "Dani", "Eva")]


def answered(ronda, students, values):
    for alumno, value in zip(students, values):
        RespuestaFactory(ronda=ronda, alumno=alumno, valor=value)


def test_each_kind_counts_right_answers_and_a_poll_counts_none(aula, alice, students):
    now = timezone.now()
    choice = RondaFactory(aula=aula, pregunta=ChoiceFactory(propietario=alice), cerrada=now)
    multi = RondaFactory(aula=aula, pregunta=MultiFactory(propietario=alice), cerrada=now)
    poll = RondaFactory(aula=aula, pregunta=PollFactory(propietario=alice), cerrada=now)
    number = RondaFactory(aula=aula, pregunta=NumberFactory(propietario=alice, numero=1007, tolerancia=10), cerrada=now)
    answered(choice, students, [1, 1, 2, 3, 4])
    answered(multi, students, [[1, 3], [1], [1, 2, 3], [3, 1], [2]])
    answered(poll, students, [1, 2, 2, 3, 1])
    answered(number, students, [1007, 1000, 1017.5, 1100, 5])
    results = classroom_results(aula)
    by_name = {row.name: row.cells for row in results.students}
    assert by_name["Ana"] == [True, True, VOTED, True]
    assert by_name["Beto"] == [True, False, VOTED, True]
    assert [s.right for s in results.rounds] == [2, 2, 0, 2]
    assert [s.percent_right for s in results.rounds] == [40, 40, None, 40]
    s_choice, s_multi, s_poll, s_number = results.rounds
    assert s_choice.options == [("Tajo", 2), ("Ebro", 1), ("Duero", 1), ("Guadiana", 1)]
    assert s_multi.options == [("Tajo", 4), ("Ebro", 2), ("Duero", 3), ("Júcar", 0)] and s_multi.answered == 5
    assert not s_poll.scored and s_poll.correct_label == "—"
    assert sum(b["n"] for b in s_number.spread) == 5 and s_number.correct_label == "1007 ± 10"
    assert s_choice.correct_label == "Tajo" and s_multi.correct_label == "Tajo; Duero"
    rows = list(export_rows(results))
    assert rows[1][:3] == ["Ana", "", 3] and rows[1][5] is None  # a poll's answer is no mark


def test_the_chance_flag_uses_the_kinds_chance_level(aula, alice, students):
    choice = RondaFactory(aula=aula, pregunta=ChoiceFactory(propietario=alice), cerrada=timezone.now())
    answered(choice, students, [1, 2, 3, 4, 2])  # 20 % right among four options: chance is 25 %
    summary = classroom_results(aula).rounds[0]
    assert summary.percent_right == 20 and summary.near_chance
    poll = RondaFactory(aula=aula, pregunta=PollFactory(propietario=alice), cerrada=timezone.now())
    answered(poll, students, [1, 1, 1, 1, 1])
    assert not classroom_results(aula).rounds[1].near_chance


def test_scores_and_the_gradebook_count_every_scored_kind_and_never_a_poll(aula, alice, students):
    quiz = CuestionarioFactory(propietario=alice)
    now = timezone.now()
    for factory, values in ((ChoiceFactory, [1, 2]), (MultiFactory, [[1, 3], [1]]), (PollFactory, [1, 1]),
                            (NumberFactory, [1007, 9])):
        ronda = RondaFactory(aula=aula, pregunta=factory(propietario=alice), cuestionario=quiz, cerrada=now)
        answered(ronda, students, values)
    table = scoring.scores(aula.rondas.all(), with_points=False)
    assert (table[students[0].pk].right, table[students[1].pk].right) == (3, 0)
    assert list(gradebook_rows(aula))[1:3] == [["Ana", "", 3], ["Beto", "", 0]]


def test_a_students_history_reads_each_kinds_answer_and_the_explanation(aula, alice, students):
    ronda = RondaFactory(aula=aula, pregunta=MultiFactory(propietario=alice, explicacion="El Ebro va al Mediterráneo."),
                         cerrada=timezone.now())
    answered(ronda, students, [[1, 2]])
    (_, rows), = student_history(students[0])
    assert (rows[0].answer_label, rows[0].correct_label, rows[0].right) == ("Tajo; Ebro", "Tajo; Duero", False)
    assert rows[0].ronda.explicacion == "El Ebro va al Mediterráneo."
