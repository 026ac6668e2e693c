"""Counts a teacher's socket keeps in memory (tallies.Running) against the database's."""

import pytest

from preguntas.game import tallies
from tests.factories import AlumnoFactory, MultiFactory, NumberFactory, RespuestaFactory, RondaFactory

pytestmark = pytest.mark.django_db


def test_a_running_count_read_then_added_to_equals_the_database(aula):
    ronda = RondaFactory(aula=aula, pregunta=MultiFactory(propietario=aula.propietario))
    ana, beto, carla = (AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto", "Carla"))
    RespuestaFactory(ronda=ronda, alumno=ana, valor=[1, 3])
    running = tallies.running(ronda)
    RespuestaFactory(ronda=ronda, alumno=beto, valor=[2])
    running.add(beto.pk, [2])
    RespuestaFactory(ronda=ronda, alumno=carla, valor=[1])
    running.add(carla.pk, [1])
    database = tallies.counts(ronda)
    assert (running.counts.answered, running.counts.options) == (database.answered, database.options) == (
        3, {"1": 2, "2": 1, "3": 1, "4": 0}
    )


def test_an_answer_both_read_and_reported_counts_once(aula):
    ronda = RondaFactory(aula=aula, pregunta=NumberFactory(propietario=aula.propietario))
    ana = AlumnoFactory(aula=aula, nombre="Ana")
    RespuestaFactory(ronda=ronda, alumno=ana, valor=1000)
    running = tallies.running(ronda)
    running.add(ana.pk, 1000)  # its `answers.stored` event arrives after the read
    assert running.counts.answered == tallies.answered(ronda) == 1
    assert running.counts.spread() == tallies.counts(ronda).spread()


def test_no_round_counts_nothing():
    assert tallies.running(None).counts.answered == 0
