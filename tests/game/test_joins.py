"""Students entering together (a class joining at once): the rules of one join, each on its own."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from preguntas.game import rounds, students
from preguntas.game.errors import GameError
from preguntas.models import Alumno, Conexion
from tests.factories import AlumnoFactory, AulaFactory, RondaFactory

pytestmark = pytest.mark.django_db


def arrive(aula, **credentials):
    return students.Arrival(aula, credentials, "es")


def names(outcomes):
    return [o.alumno.nombre if isinstance(o, students.Entry) else o.code for o in outcomes]


def test_a_class_entering_together_gets_one_student_and_one_connection_each(aula):
    outcomes = students.enter_many([arrive(aula, name=f"Alumno {i:02}") for i in range(30)], "p1")
    assert names(outcomes) == [f"Alumno {i:02}" for i in range(30)]
    assert all(o.new and o.asked_name is None for o in outcomes)
    assert {c.alumno_id for c in Conexion.objects.all()} == {o.alumno.pk for o in outcomes}
    assert len({o.conexion_id for o in outcomes}) == 30


def test_names_typed_twice_or_already_taken_get_numbers_in_a_batch(aula):
    students.join(aula, "Ana")
    outcomes = students.enter_many([arrive(aula, name="Ana"), arrive(aula, name="Beto"), arrive(aula, name="Beto")], "p1")
    assert names(outcomes) == ["Ana 2", "Beto", "Beto 2"]
    assert [o.asked_name for o in outcomes] == ["Ana", None, "Beto"]


def test_one_refused_arrival_never_fails_another(aula):
    ana = students.join(aula, "Ana")
    outcomes = students.enter_many(
        [
            arrive(aula, name="   "),
            arrive(aula, token="no-such-token"),
            arrive(aula, seat=ana.pk),  # not a roster seat
            arrive(aula, name="Carla"),
            arrive(aula, token=ana.token),
        ],
        "p1",
    )
    assert names(outcomes) == ["invalid", "not_found", "not_found", "Carla", "Ana"]
    assert not outcomes[4].new
    assert Conexion.objects.count() == 2


def test_a_locked_classroom_refuses_new_names_in_a_batch_but_lets_its_students_back(aula):
    ana = students.join(aula, "Ana")
    students.lock(aula, True)
    outcomes = students.enter_many([arrive(aula, name="Beto"), arrive(aula, token=ana.token)], "p1")
    assert names(outcomes) == ["locked", "Ana"]


@override_settings(QRT_MAX_STUDENTS_PER_CLASSROOM=3)
def test_a_batch_fills_a_classroom_up_to_its_limit_and_no_further(aula):
    students.join(aula, "Ana")
    outcomes = students.enter_many([arrive(aula, name=n) for n in ("Beto", "Carla", "Dani", "Eva")], "p1")
    assert names(outcomes) == ["Beto", "Carla", "full", "full"]
    assert aula.alumnos.count() == 3


def test_a_classroom_with_a_roster_takes_names_only_as_its_seats_in_a_batch(aula):
    seat = AlumnoFactory(aula=aula, nombre="Ana María", en_lista=True, reclamado=None)
    outcomes = students.enter_many([arrive(aula, name="ana maria"), arrive(aula, name="Zoe")], "p1")
    assert names(outcomes) == ["Ana María", "not_on_roster"]
    assert outcomes[0].alumno.pk == seat.pk and not outcomes[0].new


def test_arrivals_for_several_classrooms_enter_each_their_own(aula):
    other = AulaFactory()
    outcomes = students.enter_many([arrive(aula, name="Ana"), arrive(other, name="Ana")], "p1")
    assert [o.alumno.aula_id for o in outcomes] == [aula.pk, other.pk]
    assert names(outcomes) == ["Ana", "Ana"]


def test_a_refusal_speaks_the_language_of_its_student(aula):
    students.lock(aula, True)
    outcomes = students.enter_many([students.Arrival(aula, {"name": "Beto"}, "en")], "p1")
    assert isinstance(outcomes[0], GameError) and outcomes[0].code == "locked"
    assert outcomes[0].detail.startswith("The classroom is closed")
    assert not Alumno.objects.filter(nombre="Beto").exists()


def test_classrooms_found_together_are_each_the_one_asked_for(aula):
    other = AulaFactory(codigo="OTRA02")
    gone = AulaFactory(codigo="VIEJA3", archivada=True)
    found = students.find_aulas(["aula01", "OTRA02", gone.codigo, "no such!", "AULA01", "NADA99"])
    assert found[:3] == [aula, other, None] and found[3:] == [None, aula, None]
    assert found[0] is not found[4]  # each socket gets a copy of its own


def test_sockets_closing_together_end_only_their_own_connections(aula):
    entries = students.enter_many([arrive(aula, name=n) for n in ("Ana", "Beto", "Carla")], "p1")
    students.leave(entries[0].conexion_id, entries[2].conexion_id)
    assert list(Conexion.objects.values_list("pk", flat=True)) == [entries[1].conexion_id]


def test_a_batch_that_fails_unexpectedly_leaves_nobody_entered(aula, monkeypatch):
    def failing(aula, token):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(students, "rejoin", failing)
    with pytest.raises(RuntimeError):
        students.enter_many([arrive(aula, name="Ana"), arrive(aula, token="abc")], "p1")
    assert not aula.alumnos.exists() and not Conexion.objects.exists()


def test_the_screens_of_several_classrooms_read_together_are_each_the_one_alone():
    now = timezone.now()
    open_one, just_closed, long_closed, empty = AulaFactory.create_batch(4)
    RondaFactory(aula=open_one, cerrada=now - timedelta(minutes=5))
    RondaFactory(aula=open_one)
    RondaFactory(aula=just_closed, cerrada=now - timedelta(seconds=10))
    RondaFactory(aula=long_closed, cerrada=now - timedelta(hours=1))
    aulas = [open_one, just_closed, long_closed, empty]
    together = rounds.on_screen_of([a.pk for a in aulas], now)
    assert together == {a.pk: rounds.on_screen(a, now) for a in aulas}
    assert together[open_one.pk][0] is not None and together[just_closed.pk][1] is not None
    assert together[long_closed.pk] == together[empty.pk] == (None, None)
