"""One classroom served by two Daphne processes sharing PostgreSQL and Redis."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from preguntas.models import Respuesta
from tests.multiprocess.clients import Student, Teacher, collect_tally, teacher_cookie

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

STUDENTS_PER_PROCESS = 6


@database_sync_to_async
def stored_answers(round_id: int) -> dict[int, bool]:
    return dict(Respuesta.objects.filter(ronda_id=round_id).values_list("alumno_id", "valor"))


async def test_a_round_spans_two_daphne_processes(daphne_process, aula, alice, pregunta):
    a, b = daphne_process("A"), daphne_process("B")
    teacher = Teacher(a, aula.codigo, cookie=await teacher_cookie(alice), label="alice")
    state = await teacher.connect()
    assert state["classroom"]["code"] == aula.codigo and state["round"] is None

    students = [
        Student(server, aula.codigo, label=f"{server.name}{i}")
        for server in (a, b)
        for i in range(STUDENTS_PER_PROCESS)
    ]
    await asyncio.gather(*(s.join(f"Alumno {s.label}") for s in students))
    assert len({s.id for s in students}) == len(students)

    # The roster reaches the teacher on A, students on B included.
    async with asyncio.timeout(10):
        while True:
            roster = await teacher.receive_type("roster")
            if sum(item["online"] for item in roster["students"]) == len(students):
                break

    question = await teacher.push(pregunta.pk)
    round_id = question["round"]
    for frame in await asyncio.gather(*(s.receive_type("question") for s in students)):
        assert frame == question

    sent = {s.id: i % 3 != 0 for i, s in enumerate(students)}
    replies = await asyncio.gather(*(s.answer(round_id, sent[s.id]) for s in students))
    assert [r["type"] for r in replies] == ["answered"] * len(students), replies

    tally, listed = await collect_tally(teacher, round_id, answered=len(students), listed_count=len(students))
    assert listed == sent
    assert (tally["true"], tally["false"], tally["answered"]) == (
        sum(sent.values()),
        len(sent) - sum(sent.values()),
        len(sent),
    )
    assert tally["connected"] == len(students)
    assert await stored_answers(round_id) == sent

    await teacher.send({"type": "close", "round": round_id})
    for frame in await asyncio.gather(*(s.receive_type("closed") for s in [teacher, *students])):
        assert frame == {
            "type": "closed",
            "round": round_id,
            "correct": True,
            "right_options": ["true"],
            "true": sum(sent.values()),
            "false": len(sent) - sum(sent.values()),
            "answered": len(sent),
            "explanation": None,
        }

    await asyncio.gather(*(c.close() for c in [teacher, *students]))
    assert a.alive() and b.alive()


async def test_an_answer_arriving_while_the_tally_is_computed_is_listed(daphne_process, aula, alice, pregunta):
    # The teacher's process takes 0.5 s to compute each tally (a slow database).
    a = daphne_process("A", app="tests.multiprocess.slow_asgi:application", QRT_TEST_TALLY_DELAY="0.5")
    b = daphne_process("B")
    teacher = Teacher(a, aula.codigo, cookie=await teacher_cookie(alice), label="alice")
    await teacher.connect()
    ana, beto = Student(a, aula.codigo, label="ana"), Student(b, aula.codigo, label="beto")
    await ana.join("Ana")
    await beto.join("Beto")
    round_id = (await teacher.push(pregunta.pk))["round"]
    await asyncio.gather(ana.receive_type("question"), beto.receive_type("question"))

    assert (await ana.answer(round_id, True))["type"] == "answered"
    await asyncio.sleep(0.3)  # the tally for Ana's answer is being computed on A
    assert (await beto.answer(round_id, False))["type"] == "answered"

    _, listed = await collect_tally(teacher, round_id, answered=2, listed_count=2, timeout=5)
    assert listed == {ana.id: True, beto.id: False}
    await asyncio.gather(*(c.close() for c in (teacher, ana, beto)))


async def test_each_student_gets_their_own_place_whichever_process_holds_their_socket(
    daphne_process, aula, alice, pregunta
):
    aula.clasificacion = "propia"
    await database_sync_to_async(aula.save)()
    a, b = daphne_process("A"), daphne_process("B")
    teacher = Teacher(a, aula.codigo, cookie=await teacher_cookie(alice), label="alice")
    await teacher.connect()
    students = [Student(server, aula.codigo, label=f"{server.name}{i}") for server in (a, b) for i in range(2)]
    await asyncio.gather(*(s.join(f"Alumno {s.label}") for s in students))
    round_id = (await teacher.push(pregunta.pk))["round"]
    right = {s.id: s.label in ("A0", "B0") for s in students}  # one right answer on each process
    await asyncio.gather(*(s.receive_type("question") for s in students))
    await asyncio.gather(*(s.answer(round_id, right[s.id]) for s in students))
    await collect_tally(teacher, round_id, answered=len(students))
    await teacher.send({"type": "close", "round": round_id})
    ranks = await asyncio.gather(*(s.receive_type("rank") for s in students))
    for student, rank in zip(students, ranks):
        expected = (1, 1) if right[student.id] else (3, 0)
        assert (rank["rank"], rank["right"], rank["of"]) == (*expected, 4), (student, rank)
    await asyncio.gather(*(c.close() for c in [teacher, *students]))
