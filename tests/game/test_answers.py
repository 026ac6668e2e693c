"""Storing answers: each checked on its own, stored once, refusals explained."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from preguntas.game.answers import Attempt, store
from preguntas.game.errors import GameError
from preguntas.models import Respuesta
from tests.factories import AlumnoFactory, RondaFactory


def pending(aula, alumno, round_id, value):
    return Attempt(aula.pk, alumno.pk, round_id, {"value": value})


@pytest.mark.django_db
def test_a_batch_stores_the_valid_answers_and_explains_the_rest(aula):
    ronda = RondaFactory(aula=aula)
    closed = RondaFactory(aula=aula, cerrada=timezone.now())
    foreign = RondaFactory()
    ana, beto, carla = AlumnoFactory.create_batch(3, aula=aula)
    outcomes = store(
        [
            pending(aula, ana, ronda.pk, True),
            pending(aula, ana, ronda.pk, False),  # the same student again, in the same batch
            pending(aula, beto, ronda.pk, False),
            pending(aula, carla, closed.pk, True),
            pending(aula, carla, foreign.pk, True),
            pending(aula, carla, [ronda.pk], True),
            pending(aula, carla, ronda.pk, "sí"),
        ]
    )
    codes = [o.code if isinstance(o, GameError) else o for o in outcomes]
    assert codes == [None, "already_answered", None, "round_closed", "not_found", "invalid", "invalid"]
    assert sorted(Respuesta.objects.values_list("alumno_id", "valor")) == [(ana.pk, True), (beto.pk, False)]


@pytest.mark.django_db
def test_an_answer_stored_earlier_is_not_stored_again(aula):
    ronda = RondaFactory(aula=aula)
    ana = AlumnoFactory(aula=aula)
    assert store([pending(aula, ana, ronda.pk, True)]) == [None]
    [outcome] = store([pending(aula, ana, ronda.pk, False)])
    assert outcome.code == "already_answered"
    assert Respuesta.objects.count() == 1



@pytest.mark.django_db
def test_an_answer_stored_earlier_fails_no_other_answer_of_its_batch(aula):
    ronda = RondaFactory(aula=aula)
    ana, beto, carla = AlumnoFactory.create_batch(3, aula=aula)
    assert store([pending(aula, beto, ronda.pk, True)]) == [None]
    outcomes = store([pending(aula, ana, ronda.pk, True), pending(aula, beto, ronda.pk, False), pending(aula, carla, ronda.pk, False)])
    assert [o.code if isinstance(o, GameError) else o for o in outcomes] == [None, "already_answered", None]
    assert sorted(Respuesta.objects.values_list("alumno_id", "valor")) == [(ana.pk, True), (beto.pk, True), (carla.pk, False)]


@pytest.mark.django_db
def test_a_batch_locks_its_rounds_in_id_order_so_that_two_batches_never_deadlock():
    rondas = RondaFactory.create_batch(3)  # three classrooms
    batch = [pending(ronda.aula, AlumnoFactory(aula=ronda.aula), ronda.pk, True) for ronda in reversed(rondas)]
    with CaptureQueriesContext(connection) as queries:
        assert store(batch) == [None, None, None]
    lock = next(q["sql"] for q in queries if q["sql"].startswith("SELECT") and '"preguntas_ronda"' in q["sql"])
    assert lock.endswith('ORDER BY "preguntas_ronda"."id" ASC') or 'ORDER BY "preguntas_ronda"."id" ASC FOR UPDATE' in lock, lock
