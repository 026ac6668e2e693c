"""Counts a teacher's socket keeps in memory (tallies.Running, tallies.Presence) against the database's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from preguntas.game import tallies
from preguntas.models import PROCESS_STALE_AFTER, Conexion, Proceso
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


def test_presence_read_then_followed_counts_the_students_the_database_counts(aula):
    ana, beto = (AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto"))
    Proceso.objects.create(pk="a")
    first = Conexion.objects.create(alumno=ana, proceso="a")
    presence = tallies.presence(aula)
    second = Conexion.objects.create(alumno=ana, proceso="a")  # Ana on a second device
    third = Conexion.objects.create(alumno=beto, proceso="a")
    presence.follow(opened=[(second.pk, ana.pk), (third.pk, beto.pk)])
    presence.follow(opened=[(third.pk, beto.pk)])  # heard twice: counts once
    assert presence.connected == tallies.connected_count(aula) == 2
    Conexion.objects.filter(pk=first.pk).delete()
    presence.follow(closed=[first.pk])
    assert presence.connected == tallies.connected_count(aula) == 2
    Conexion.objects.filter(pk__in=[second.pk, third.pk]).delete()
    presence.follow(closed=[second.pk, third.pk, third.pk])
    assert presence.connected == tallies.connected_count(aula) == 0


def test_presence_leaves_out_the_sockets_of_a_process_that_stopped_beating(aula):
    ana = AlumnoFactory(aula=aula, nombre="Ana")
    Proceso.objects.create(pk="dead", visto=timezone.now() - PROCESS_STALE_AFTER - timedelta(seconds=1))
    Conexion.objects.create(alumno=ana, proceso="dead")
    assert tallies.presence(aula).connected == tallies.connected_count(aula) == 0


def test_a_roster_given_who_is_connected_is_the_roster_the_database_gives(aula):
    ana, beto = (AlumnoFactory(aula=aula, nombre=n) for n in ("Ana", "Beto"))
    AlumnoFactory(aula=aula, nombre="Carla", retirado=True)
    Proceso.objects.create(pk="a")
    Conexion.objects.create(alumno=ana, proceso="a")
    ronda = RondaFactory(aula=aula, pregunta=MultiFactory(propietario=aula.propietario))
    RespuestaFactory(ronda=ronda, alumno=beto, valor=[2])
    from_database = tallies.roster(aula, ronda)
    assert tallies.roster(aula, ronda, tallies.presence(aula).students) == from_database
    assert [(s.name, s.online, s.answer) for s in from_database] == [("Ana", True, None), ("Beto", False, [2])]
