"""Group commit of answers: many at once, each acknowledged only once stored."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from preguntas.answers import PendingAnswer, store_answers
from preguntas.live import LiveError
from preguntas.models import Respuesta
from tests.factories import AlumnoFactory, AulaFactory, RondaFactory
from tests.sockets import receive, receive_type, send, student, teacher


def pending(aula, alumno, round_id, value):
    return PendingAnswer(aula, alumno.pk, round_id, value, sure=None, future=None)


@pytest.mark.django_db
def test_a_batch_stores_the_valid_answers_and_explains_the_rest(aula):
    ronda = RondaFactory(aula=aula)
    closed = RondaFactory(aula=aula, cerrada=timezone.now())
    foreign = RondaFactory()
    ana, beto, carla = AlumnoFactory.create_batch(3, aula=aula)
    outcomes = store_answers(
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
    codes = [o.code if isinstance(o, LiveError) else o for o in outcomes]
    assert codes == [None, "already_answered", None, "round_closed", "not_found", "invalid", "invalid"]
    assert sorted(Respuesta.objects.values_list("alumno_id", "valor")) == [(ana.pk, True), (beto.pk, False)]


@pytest.mark.django_db
def test_an_answer_stored_earlier_is_not_stored_again(aula):
    ronda = RondaFactory(aula=aula)
    ana = AlumnoFactory(aula=aula)
    assert store_answers([pending(aula, ana, ronda.pk, True)]) == [None]
    [outcome] = store_answers([pending(aula, ana, ronda.pk, False)])
    assert outcome.code == "already_answered"
    assert Respuesta.objects.count() == 1


@pytest.mark.django_db(transaction=True)
async def test_a_class_answering_at_once_is_stored_and_tallied_exactly(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    students = [await student(aula.codigo, f"Alumno {i:02}") for i in range(40)]
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    question = await receive_type(teacher_socket, "question")
    await asyncio.gather(*(receive_type(s, "question") for s, _, _ in students))

    await asyncio.gather(
        *(send(s, {"type": "answer", "round": question["round"], "value": i % 4 == 0})
          for i, (s, _, _) in enumerate(students))
    )
    acks = await asyncio.gather(*(receive(s) for s, _, _ in students))
    assert {a["type"] for a in acks} == {"answered"}

    tally = await receive_type(teacher_socket, "tally")
    listed = list(tally["answers"])
    while tally["answered"] < 40 or len(listed) < 40:
        tally = await receive_type(teacher_socket, "tally")
        listed += tally["answers"]
    assert (tally["true"], tally["false"], tally["connected"]) == (10, 30, 40)
    assert sorted(a["student"] for a in listed) == sorted(j["student"]["id"] for _, j, _ in students)
    stored = await database_sync_to_async(lambda: list(Respuesta.objects.values_list("alumno__nombre", flat=True)))()
    assert sorted(stored) == sorted(joined["student"]["name"] for _, joined, _ in students)
    for s, _, _ in students:
        await s.disconnect()
    await teacher_socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_frames_reach_only_the_sockets_of_their_classroom(aula, alice, pregunta):
    other = await database_sync_to_async(AulaFactory)()
    teacher_socket, _ = await teacher(aula.codigo, alice)
    mine, _, _ = await student(aula.codigo, "Ana")
    elsewhere, _, _ = await student(other.codigo, "Beto")
    await send(teacher_socket, {"type": "push", "question": pregunta.pk})
    await receive_type(mine, "question")
    assert await elsewhere.receive_nothing(timeout=0.5)
    for s in (teacher_socket, mine, elsewhere):
        await s.disconnect()
