"""Ronda's time rules: the class's deadline, each student's own, when the round is over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from preguntas.models import Ronda
from tests.factories import RondaFactory

pytestmark = pytest.mark.django_db


def timed(seconds=20, closes_after=None, **kwargs) -> Ronda:
    opened = timezone.now()
    closes = opened + timedelta(seconds=closes_after) if closes_after else None
    return RondaFactory(abierta=opened, limite=opened + timedelta(seconds=seconds), cierre=closes, **kwargs)


def test_an_untimed_round_has_no_deadline_and_is_never_overdue():
    ronda = RondaFactory()
    assert ronda.termina() is None and ronda.limite_para(200) is None
    assert not ronda.vencida(timezone.now() + timedelta(days=1))
    assert not ronda.vencida_para(200, timezone.now() + timedelta(days=1))


def test_a_students_deadline_stretches_the_class_time_by_their_extra_time():
    ronda = timed(seconds=20)
    assert ronda.limite_para(100) == ronda.limite
    assert ronda.limite_para(150) == ronda.abierta + timedelta(seconds=30)
    assert ronda.limite_para(200) == ronda.abierta + timedelta(seconds=40)


def test_a_student_is_out_of_time_at_their_own_deadline_while_the_round_waits_for_others():
    ronda = timed(seconds=20, closes_after=30)
    at_25 = ronda.abierta + timedelta(seconds=25)
    assert ronda.termina() == ronda.cierre
    assert ronda.vencida_para(100, at_25) and not ronda.vencida_para(150, at_25)
    assert not ronda.vencida(at_25)
    assert ronda.vencida(ronda.abierta + timedelta(seconds=30))


def test_the_round_ends_for_everyone_at_its_closing_whatever_their_extra_time():
    ronda = timed(seconds=20, closes_after=30)
    at_35 = ronda.abierta + timedelta(seconds=35)
    assert ronda.vencida_para(200, at_35)  # 2× would reach 40 s, but the round closed at 30 s


def test_without_extra_time_the_round_ends_at_the_class_deadline():
    ronda = timed(seconds=10)
    assert ronda.termina() == ronda.limite
    assert not ronda.vencida(ronda.abierta + timedelta(seconds=9))
    assert ronda.vencida(ronda.limite)


def test_only_a_first_vote_that_was_voted_again_does_not_count():
    first = RondaFactory(cerrada=timezone.now())
    second = RondaFactory(aula=first.aula, pregunta=first.pregunta, anterior=first, cerrada=timezone.now())
    alone = RondaFactory(aula=first.aula)
    assert set(Ronda.objects.que_cuentan()) == {second, alone}
