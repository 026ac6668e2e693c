"""Rosters: students pick their name from the classroom's list, and the seat stays theirs."""

import pytest

from preguntas.game import students
from preguntas.game.errors import GameError
from tests.factories import AlumnoFactory, AulaFactory

pytestmark = pytest.mark.django_db


def seat(aula, nombre, **kwargs):
    return AlumnoFactory(aula=aula, nombre=nombre, en_lista=True, reclamado=None, **kwargs)


def test_without_a_roster_any_name_joins_and_there_are_no_seats(aula):
    assert students.seats(aula) == []
    assert students.join(aula, "Ana").nombre == "Ana"


def test_seats_list_names_and_whether_taken_without_student_ids(aula):
    ana, beto = seat(aula, "Ana", numero="S-001"), seat(aula, "Beto")
    students.claim(aula, ana.pk)
    assert students.seats(aula) == [
        {"id": ana.pk, "name": "Ana", "taken": True},
        {"id": beto.pk, "name": "Beto", "taken": False},
    ]


def test_claiming_a_seat_gives_the_device_a_new_token_and_holds_the_seat(aula):
    ana = seat(aula, "Ana")
    claimed = students.claim(aula, ana.pk)
    assert claimed.pk == ana.pk and claimed.token != ana.token and claimed.reclamado is not None
    assert students.rejoin(aula, claimed.token) == claimed  # a reload, or next week's session
    with pytest.raises(GameError) as error:
        students.claim(aula, ana.pk)  # another device
    assert error.value.code == "seat_taken"


def test_releasing_a_seat_lets_another_device_take_it_and_locks_out_the_old_one(aula):
    ana = students.claim(aula, seat(aula, "Ana").pk)
    old_token = ana.token
    students.release(ana)
    with pytest.raises(GameError) as error:
        students.rejoin(aula, old_token)
    assert error.value.code == "not_found"
    assert students.claim(aula, ana.pk).pk == ana.pk


@pytest.mark.parametrize("seat_id", ["1", None, True, 1.5])
def test_a_seat_id_must_be_an_integer(aula, seat_id):
    with pytest.raises(GameError) as error:
        students.claim(aula, seat_id)
    assert error.value.code == "invalid"


def test_a_seat_of_another_classroom_or_off_the_roster_is_not_found(aula):
    other = seat(AulaFactory(), "Ana")
    walk_in = students.join(aula, "Zoe")
    for pk in (other.pk, walk_in.pk):
        with pytest.raises(GameError) as error:
            students.claim(aula, pk)
        assert error.value.code == "not_found"


def test_with_a_roster_a_typed_name_takes_its_seat_whatever_the_accents_and_case(aula):
    jose = seat(aula, "José Luis Pérez")
    assert students.join(aula, "  jose  luis PEREZ ").pk == jose.pk
    with pytest.raises(GameError) as error:
        students.join(aula, "José Luis Pérez")  # now held by the first device
    assert error.value.code == "seat_taken"


def test_with_a_roster_a_name_not_on_it_is_refused_and_nobody_is_added(aula):
    seat(aula, "Ana")
    with pytest.raises(GameError) as error:
        students.join(aula, "Intruso")
    assert error.value.code == "not_on_roster"
    assert aula.alumnos.count() == 1


def test_a_join_frame_with_a_seat_claims_it(aula):
    ana = seat(aula, "Ana")
    entry = students.enter(aula, {"type": "join", "seat": ana.pk}, "proc")
    assert entry.alumno.pk == ana.pk and entry.alumno.conexiones.get().pk == entry.conexion_id
    assert entry.asked_name is None


def test_a_roster_name_is_stored_without_bidi_controls_and_matched_without_invisibles(aula):
    from preguntas.game import roster

    stored = roster.add(aula, "ok\u202eevil")
    assert stored.nombre == "okevil"
    roster.add(aula, "Ana García")
    assert students.join(aula, "Ana\u200b García").nombre == "Ana García"  # the seat, not a new student
    with pytest.raises(ValueError):
        roster.add(aula, "\u0410na García")  # look-alike letters
