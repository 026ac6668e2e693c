import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from preguntas.game.csv_files import write_rows
from preguntas.game import homework
from preguntas.game.results import classroom_results, export_rows, homework_columns
from tests.factories import (
    AlumnoFactory, CuestionarioFactory, PreguntaFactory, RespuestaFactory, RondaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(aula):
    r1 = RondaFactory(aula=aula, texto="Lima es la capital de Perú.", correcta=True, cerrada=timezone.now())
    r2 = RondaFactory(aula=aula, texto="=HYPERLINK(\"x\")", correcta=False)
    ana, beto, carla = (AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto", "@Carla"))
    RespuestaFactory(ronda=r1, alumno=ana, valor=True)
    RespuestaFactory(ronda=r2, alumno=ana, valor=False)
    RespuestaFactory(ronda=r1, alumno=beto, valor=False)
    return r1, r2


def test_students_are_ranked_by_number_correct(aula, two_rounds):
    results = classroom_results(aula)
    assert [(row.name, row.score, row.cells) for row in results.students] == [
        ("Ana", 2, [True, True]),
        ("@Carla", 0, [None, None]),
        ("Beto", 0, [False, None]),
    ]


def test_each_round_counts_its_answers(aula, two_rounds):
    first, second = classroom_results(aula).rounds
    assert (first.counts.options, first.right, first.percent_right) == ({"true": 1, "false": 1}, 1, 50)
    assert (second.counts.options, second.right, second.percent_right) == ({"true": 0, "false": 1}, 1, 100)


def test_csv_has_a_row_per_student_and_defuses_formulas(aula, two_rounds):
    out = io.StringIO()
    write_rows(out, export_rows(classroom_results(aula)))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["alumno", "numero", "aciertos", "R1: Lima es la capital de Perú.", "R2: =HYPERLINK(\"x\")"]
    assert rows[1] == ["Ana", "", "2", "1", "1"]
    assert rows[2] == ["'@Carla", "", "0", "", ""]
    assert rows[3] == ["Beto", "", "0", "0", ""]
    assert rows[4] == ["% aciertos", "", "", "50", "100"]


def test_with_speed_points_the_csv_adds_them_and_the_student_id(aula, two_rounds):
    aula.puntos_velocidad = True
    aula.save()
    aula.alumnos.filter(nombre="Ana").update(numero="S-01")
    rows = list(export_rows(classroom_results(aula)))
    assert rows[0][:4] == ["alumno", "numero", "aciertos", "puntos"]
    ana = rows[1]
    assert ana[:3] == ["Ana", "S-01", 2] and 1000 <= ana[3] <= 2000  # two right answers, 500 to 1000 each
    assert rows[-1][:4] == ["% aciertos", None, None, None]


def test_confidence_splits_right_and_wrong_answers_and_chance_is_flagged(aula):
    ronda = RondaFactory(aula=aula, correcta=True)
    answers = [(True, True), (True, False), (False, True), (False, True), (False, False), (True, None)]
    for valor, seguro in answers:
        RespuestaFactory(ronda=ronda, alumno=AlumnoFactory(aula=aula), valor=valor, seguro=seguro)
    [summary] = classroom_results(aula).rounds
    c = summary.confidence
    assert (c.right_sure, c.right_unsure, c.wrong_sure, c.wrong_unsure) == (1, 1, 2, 1)
    assert summary.percent_right == 50 and summary.near_chance


def test_a_clear_round_or_a_small_one_is_not_flagged_as_chance(aula):
    clear, small = RondaFactory(aula=aula, correcta=True, cerrada=timezone.now()), RondaFactory(aula=aula)
    for i in range(6):
        RespuestaFactory(ronda=clear, alumno=AlumnoFactory(aula=aula), valor=i > 0)
    RespuestaFactory(ronda=small, alumno=AlumnoFactory(aula=aula), valor=True)
    RespuestaFactory(ronda=small, alumno=AlumnoFactory(aula=aula), valor=False)
    assert [s.near_chance for s in classroom_results(aula).rounds] == [False, False]


def test_a_second_vote_shows_the_shift_from_the_first(aula, alice, pregunta):
    from preguntas.game import rounds

    first = rounds.push(aula, alice, pregunta.pk)[1]
    students = AlumnoFactory.create_batch(4, aula=aula)
    for alumno, valor in zip(students, [True, False, False, False]):
        RespuestaFactory(ronda=first, alumno=alumno, valor=valor)
    _, second = rounds.revote(aula, first.pk)
    for alumno, valor in zip(students, [True, True, True, False]):
        RespuestaFactory(ronda=second, alumno=alumno, valor=valor)
    before, after = classroom_results(aula).rounds
    assert (before.percent_right, after.percent_right, after.shift, before.previous) == (25, 75, 50, None)


def test_the_downloads_add_a_column_per_homework_after_the_live_rounds(aula, two_rounds, alice):
    quiz = CuestionarioFactory(propietario=alice, nombre="=Capitales")
    for respuesta in (True, False):
        quiz.anadir(PreguntaFactory(propietario=alice, respuesta=respuesta))
    now = timezone.now()
    tarea = homework.assign(aula, quiz, abre=now - timedelta(hours=1), vence=now + timedelta(days=1))
    ana, beto = (aula.alumnos.get(nombre=n) for n in ("Ana", "Beto"))
    for alumno, answers in ((ana, [True, False]), (beto, [False, False])):
        intento = homework.start(tarea, alumno, now)
        for value in answers:
            homework.answer(intento, homework.show(intento, now).pk, value, now=now)
    out = io.StringIO()
    write_rows(out, export_rows(classroom_results(aula), homework_columns(aula)))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "alumno", "numero", "aciertos", "R1: Lima es la capital de Perú.", "R2: =HYPERLINK(\"x\")", "'=Capitales (tarea)",
    ]
    assert rows[1:] == [
        ["Ana", "", "2", "1", "1", "2"],
        ["'@Carla", "", "0", "", "", ""],
        ["Beto", "", "0", "0", "", "1"],
        ["% aciertos", "", "", "50", "100", ""],
    ]
