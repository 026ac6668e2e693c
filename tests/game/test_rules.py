"""Rules of a live classroom, without a socket."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from preguntas.game import answers, rounds, students, tallies
from preguntas.game.errors import GameError
from preguntas.game.students import heartbeat
from preguntas.models import Conexion, Proceso, Respuesta, Ronda
from tests.factories import AlumnoFactory, AulaFactory, PreguntaFactory, RondaFactory

pytestmark = pytest.mark.django_db


def test_find_aula_ignores_case_and_archived_classrooms(aula):
    assert students.find_aula("aula01") == aula
    aula.archivada = True
    aula.save()
    assert students.find_aula("AULA01") is None


def test_join_folds_white_space_and_numbers_repeated_names(aula):
    assert students.join(aula, "  Ana \n María ").nombre == "Ana María"
    assert students.join(aula, "Ana María").nombre == "Ana María 2"
    assert students.join(aula, "Ana María").nombre == "Ana María 3"


@pytest.mark.parametrize("name", ["", "   ", None, 42, "x" * 41])
def test_join_refuses_empty_long_or_non_text_names(aula, name):
    with pytest.raises(GameError) as error:
        students.join(aula, name)
    assert error.value.code == "invalid"


@override_settings(QRT_MAX_STUDENTS_PER_CLASSROOM=2)
def test_join_refuses_a_full_classroom(aula):
    students.join(aula, "Ana")
    students.join(aula, "Beto")
    with pytest.raises(GameError) as error:
        students.join(aula, "Carla")
    assert error.value.code == "full"


def test_rejoin_finds_the_student_only_in_their_classroom(aula):
    ana = students.join(aula, "Ana")
    assert students.rejoin(aula, ana.token) == ana
    with pytest.raises(GameError) as error:
        students.rejoin(AulaFactory(), ana.token)
    assert error.value.code == "not_found"


def test_tokens_are_long_and_distinct(aula):
    tokens = {students.join(aula, f"A{i}").token for i in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 32 for token in tokens)


def test_push_snapshots_the_question_and_closes_the_open_round(aula, alice, pregunta):
    closed, first = rounds.push(aula, alice, pregunta.pk)
    assert closed is None
    assert (first.texto, first.correcta, first.limite) == (pregunta.texto, True, None)
    pregunta.texto = "Editada después"
    pregunta.save()
    closed, second = rounds.push(aula, alice, pregunta.pk, seconds=30)
    assert closed == first and closed.cerrada is not None
    assert Ronda.objects.get(pk=first.pk).texto == "Bogotá es la capital de Colombia."
    assert second.limite - second.abierta == timedelta(seconds=30)
    assert list(Ronda.objects.filter(cerrada__isnull=True)) == [second]


def test_push_accepts_shared_questions_but_not_another_teachers(aula, alice, bob):
    shared = PreguntaFactory(propietario=None)
    assert rounds.push(aula, alice, shared.pk)[1].pregunta == shared
    with pytest.raises(GameError) as error:
        rounds.push(aula, alice, PreguntaFactory(propietario=bob).pk)
    assert error.value.code == "not_found"


@pytest.mark.parametrize("seconds", [0, -5, 3601, "10", 2.5, True])
def test_push_refuses_a_bad_duration(aula, alice, pregunta, seconds):
    with pytest.raises(GameError) as error:
        rounds.push(aula, alice, pregunta.pk, seconds=seconds)
    assert error.value.code == "invalid"


def test_answer_is_stored_once(aula):
    ronda = RondaFactory(aula=aula)
    ana = AlumnoFactory(aula=aula)
    answers.answer(aula, ana.pk, ronda.pk, {"value": False})
    with pytest.raises(GameError) as error:
        answers.answer(aula, ana.pk, ronda.pk, {"value": True})
    assert error.value.code == "already_answered"
    assert list(Respuesta.objects.values_list("valor", flat=True)) == [False]


def test_a_round_past_its_deadline_refuses_answers_until_it_is_closed(aula):
    ronda = RondaFactory(aula=aula, limite=timezone.now() - timedelta(seconds=1))
    with pytest.raises(GameError) as error:
        answers.answer(aula, AlumnoFactory(aula=aula).pk, ronda.pk, {"value": True})
    assert error.value.code == "round_closed"
    assert rounds.open_round(aula) is None
    assert rounds.close_overdue(aula) == ronda
    assert Ronda.objects.get(pk=ronda.pk).cerrada is not None
    assert rounds.close_overdue(aula) is None


def test_close_twice_is_refused(aula):
    ronda = RondaFactory(aula=aula)
    rounds.close(aula, ronda.pk)
    with pytest.raises(GameError) as error:
        rounds.close(aula, ronda.pk)
    assert error.value.code == "round_closed"


def test_tally_counts_answers_and_connected_students(aula):
    ronda = RondaFactory(aula=aula)
    for i, value in enumerate([True, True, False]):
        alumno = AlumnoFactory(aula=aula)
        answers.answer(aula, alumno.pk, ronda.pk, {"value": value})
        for _ in range(i):  # one student offline, one with a socket, one with two
            Conexion.objects.create(alumno=alumno, proceso="p1")
    heartbeat("p1")
    result = tallies.tally(aula, ronda)
    assert (result.round_id, result.counts.options, result.answered, result.connected) == (
        ronda.pk, {"true": 2, "false": 1}, 3, 2
    )


def test_a_student_is_online_while_a_socket_is_open(aula):
    ana = students.join(aula, "Ana")
    conexion_id = students.enter(aula, {"token": ana.token}, "p1").conexion_id
    heartbeat("p1")
    assert [(s.name, s.online) for s in tallies.roster(aula, None)] == [("Ana", True)]
    students.leave(conexion_id)
    assert [(s.name, s.online) for s in tallies.roster(aula, None)] == [("Ana", False)]


def test_sockets_of_a_process_that_stopped_beating_do_not_count(aula):
    alive, dead = AlumnoFactory(aula=aula), AlumnoFactory(aula=aula)
    long_ago = timezone.now() - timedelta(minutes=2)
    Conexion.objects.create(alumno=alive, proceso="alive", visto=long_ago)
    Conexion.objects.create(alumno=dead, proceso="dead", visto=long_ago)
    Proceso.objects.create(pk="dead", visto=long_ago + timedelta(seconds=90))
    heartbeat("alive")
    assert list(aula.alumnos.conectados()) == [alive]


def test_a_socket_counts_while_its_process_beats(aula):
    ana = AlumnoFactory(aula=aula)
    Conexion.objects.create(alumno=ana, proceso="p1")
    assert list(aula.alumnos.conectados()) == []
    heartbeat("p1")
    assert list(aula.alumnos.conectados()) == [ana]


def test_the_first_beat_after_a_process_dies_names_its_classrooms_once(aula):
    other = AulaFactory()
    opened = timezone.now() - timedelta(seconds=30)
    for classroom, proceso in ((aula, "dead"), (other, "alive")):
        Conexion.objects.create(alumno=AlumnoFactory(aula=classroom), proceso=proceso, visto=opened)
    heartbeat("alive")
    heartbeat("dead")
    assert heartbeat("alive") == []
    Proceso.objects.filter(pk="dead").update(visto=timezone.now() - timedelta(seconds=11))
    assert heartbeat("alive") == [aula]
    assert heartbeat("alive") == []
    assert list(aula.alumnos.conectados()) == [] and other.alumnos.conectados().count() == 1


def test_sockets_of_a_process_dead_for_long_are_forgotten(aula):
    long_ago = timezone.now() - timedelta(hours=1)
    Conexion.objects.create(alumno=AlumnoFactory(aula=aula), proceso="dead", visto=long_ago)
    Proceso.objects.create(pk="dead", visto=long_ago)
    heartbeat("alive")
    assert not Conexion.objects.filter(proceso="dead").exists() and not Proceso.objects.filter(pk="dead").exists()



INVISIBLE_TWINS = [
    "Ana\u200b", "\u200bAna", "Ana\u2060", "Ana\u200d", "\ufeffAna", "Ana\u00ad", "Ana\u034f", "Ana\u3164",
    "Ana\u2800", "A\u202ena", "Ana\ufe0f", "Ａｎａ",
]


@pytest.mark.parametrize("twin", INVISIBLE_TWINS)
def test_a_name_that_only_looks_like_another_is_numbered_not_a_new_ana(aula, twin):
    students.join(aula, "Ana")
    assert students.join(aula, twin).nombre == "Ana 2"


@pytest.mark.parametrize("disguised", ["\u0410na", "\u0391na", "Ana\u0301" + "\u0441"])
def test_names_mixing_look_alike_alphabets_are_refused(aula, disguised):
    with pytest.raises(GameError) as error:
        students.join(aula, disguised)
    assert error.value.code == "invalid"


@pytest.mark.parametrize("name", ["Анна Петрова", "山田 はな", "María José", "Nguyễn Văn A", "محمد", "O’Neill"])
def test_names_in_any_one_alphabet_are_kept_as_written(aula, name):
    assert students.join(aula, name).nombre == name


def test_a_locked_classroom_takes_no_new_names_but_its_students_rejoin(aula):
    ana = students.join(aula, "Ana")
    students.lock(aula, True)
    with pytest.raises(GameError) as error:
        students.join(aula, "Beto")
    assert error.value.code == "locked"
    assert students.rejoin(aula, ana.token) == ana
    students.lock(aula, False)
    assert students.join(aula, "Beto").nombre == "Beto"


def test_a_removed_student_loses_the_device_leaves_the_class_and_keeps_the_answers(aula):
    ronda = RondaFactory(aula=aula)
    ana = students.join(aula, "Ana")
    answers.answer(aula, ana.pk, ronda.pk, {"value": True})
    students.remove(aula, ana.pk)
    with pytest.raises(GameError):
        students.rejoin(aula, ana.token)
    assert [s.name for s in tallies.roster(aula, ronda)] == []
    assert Respuesta.objects.filter(alumno=ana).count() == 1
    assert students.join(aula, "Ana").nombre == "Ana 2"  # unlocked: they may come back, told apart
    with pytest.raises(GameError) as error:
        students.remove(aula, ana.pk)
    assert error.value.code == "not_found"


def test_renaming_a_student_follows_the_join_rules_and_keeps_names_apart(aula):
    ana, beto = students.join(aula, "Ana"), students.join(aula, "Beto")
    assert students.rename(aula, ana.pk, "  Ana   María\u200b ").nombre == "Ana María"
    for name, code in (("Beto", "name_taken"), ("", "invalid"), ("\u0410na", "invalid"), (None, "invalid")):
        with pytest.raises(GameError) as error:
            students.rename(aula, ana.pk, name)
        assert error.value.code == code
    other = AulaFactory()
    for student_id in (beto.pk + 1000, students.join(other, "Zoe").pk, "1", 2**63):
        with pytest.raises(GameError) as error:
            students.rename(aula, student_id, "Zoe")
        assert error.value.code in ("not_found", "invalid")


def test_a_numbered_name_is_reported_to_the_student(aula):
    students.join(aula, "Ana")
    entry = students.enter(aula, {"name": "Ana"}, "p1")
    assert (entry.alumno.nombre, entry.asked_name) == ("Ana 2", "Ana")
    assert students.enter(aula, {"name": "Carla"}, "p1").asked_name is None


def test_a_student_renames_themselves_only_off_the_roster_and_while_the_classroom_is_open(aula):
    ana = students.join(aula, "Ana")
    assert students.rename_self(aula, ana.pk, "Ana María").nombre == "Ana María"
    seat = AlumnoFactory(aula=AulaFactory(), nombre="Lola", en_lista=True)
    with pytest.raises(GameError) as error:
        students.rename_self(seat.aula, seat.pk, "Dolores")
    assert error.value.code == "invalid"
    students.lock(aula, True)
    with pytest.raises(GameError) as error:
        students.rename_self(aula, ana.pk, "Anita")
    assert error.value.code == "locked"
