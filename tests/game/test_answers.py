"""Storing answers: each checked on its own, stored once, refusals explained."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from preguntas.game import answers, rounds, tallies
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
    assert 'ORDER BY "id"' in lock, lock
    if connection.features.has_select_for_update:
        assert lock.endswith("FOR UPDATE"), lock


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="SQLite takes one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_close_that_comes_while_a_batch_is_stored_waits_for_it_and_counts_its_answers(aula, monkeypatch):
    ronda = RondaFactory(aula=aula)
    ana = AlumnoFactory(aula=aula)
    locked, outcomes = threading.Event(), []
    real_check = answers.check

    def slow_check(*args, **kwargs):
        locked.set()  # the batch holds the round now
        time.sleep(0.5)
        return real_check(*args, **kwargs)

    def store_in_another_connection():
        try:
            outcomes.extend(store([pending(aula, ana, ronda.pk, True)]))
        finally:
            connection.close()

    monkeypatch.setattr(answers, "check", slow_check)
    writer = threading.Thread(target=store_in_another_connection)
    writer.start()
    assert locked.wait(5)
    closed = rounds.close(aula, ronda.pk)
    counted = tallies.outcome(closed).counts.answered  # what the `closed` frame would say
    writer.join(5)
    assert outcomes == [None], "the answer was stored and acknowledged"
    assert counted == 1, "the close waited for the batch, and counts its answer"


@pytest.mark.django_db
def test_an_answer_counts_when_it_was_received_not_when_its_batch_is_written(aula):
    now = timezone.now()
    ronda = RondaFactory(aula=aula, abierta=now - timedelta(seconds=20), limite=now - timedelta(milliseconds=20))
    ana, beto = AlumnoFactory.create_batch(2, aula=aula)
    in_time = Attempt(aula.pk, ana.pk, ronda.pk, {"value": True}, received=ronda.limite - timedelta(milliseconds=5))
    late = Attempt(aula.pk, beto.pk, ronda.pk, {"value": True}, received=ronda.limite)
    outcomes = store([in_time, late])  # written after the deadline, as a batch may be
    assert [o.code if isinstance(o, GameError) else o for o in outcomes] == [None, "round_closed"]
    assert Respuesta.objects.get().recibida == in_time.received, "speed points go by when it was received"
