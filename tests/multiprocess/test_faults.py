"""Faults in the production stack: Redis restarted mid-round, a Daphne process killed mid-round.

Clients here behave like the pages: when a socket drops they open a new one (to any
live process) and a student rejoins with the token; the `state` frame restores the round.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from websockets.exceptions import ConnectionClosed

from preguntas.models import PROCESS_STALE_AFTER, Conexion, Respuesta
from tests.factories import PreguntaFactory
from tests.multiprocess.clients import Student, Teacher, collect_tally, teacher_cookie
from tests.multiprocess.stack import wait_until

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

STUDENTS_PER_PROCESS = 4


@database_sync_to_async
def stored_answers(round_id: int) -> dict[int, bool]:
    return dict(Respuesta.objects.filter(ronda_id=round_id).values_list("alumno_id", "valor"))


@database_sync_to_async
def answer_rows(round_id: int) -> int:
    return Respuesta.objects.filter(ronda_id=round_id).count()


@database_sync_to_async
def connection_processes(student_ids) -> set[str]:
    """The server processes holding these students' sockets (preguntas/realtime/presence.py)."""
    return set(Conexion.objects.filter(alumno_id__in=student_ids).values_list("proceso", flat=True))


async def classroom(a, b, aula, alice):
    """A teacher on A and students split over A and B, all joined."""
    teacher = Teacher(a, aula.codigo, cookie=await teacher_cookie(alice), label="alice")
    await teacher.connect()
    students = [
        Student(server, aula.codigo, label=f"{server.name}{i}")
        for server in (a, b)
        for i in range(STUDENTS_PER_PROCESS)
    ]
    await asyncio.gather(*(s.join(f"Alumno {s.label}") for s in students))
    return teacher, students


async def push_to_all(teacher, students, question_id) -> int:
    question = await teacher.push(question_id)
    for frame in await asyncio.gather(*(s.receive_type("question") for s in students)):
        assert frame == question, frame
    return question["round"]


async def answer_all(students, round_id, values) -> None:
    replies = await asyncio.gather(*(s.answer(round_id, values[s.id]) for s in students))
    assert all(r["type"] == "answered" for r in replies), replies


async def wait_healthy(*servers, timeout=30.0):
    def healthy():
        return all(server.health()[0] == 200 for server in servers)

    await asyncio.to_thread(wait_until, healthy, timeout, 0.2, "every Daphne process to be healthy")


async def test_redis_restarted_mid_round(daphne_process, redis, aula, alice, pregunta):
    a, b = daphne_process("A"), daphne_process("B")
    teacher, students = await classroom(a, b, aula, alice)
    first = await push_to_all(teacher, students, pregunta.pk)
    values = {s.id: i % 2 == 0 for i, s in enumerate(students)}

    # Before the fault: two students on each process answer.
    before = [s for s in students if s.label[1] in "01"]
    await answer_all(before, first, values)
    await collect_tally(teacher, first, answered=len(before), listed_count=len(before))

    redis.kill()
    health_down = {server.name: server.health() for server in (a, b)}
    print(f"\n/healthz with Redis down: {health_down}")
    for status, body in health_down.values():
        assert status == 503 and body["database"] == "ok" and body["channel_layer"] != "ok"

    # During the outage: one student on each process answers.
    during = [s for s in students if s.label[1] == "2"]
    outage_replies = {}
    for s in during:
        try:
            outage_replies[s.label] = (await s.answer(first, values[s.id]))["type"]
        except ConnectionClosed:
            outage_replies[s.label] = "dropped"
    print(f"answers sent while Redis is down: {outage_replies}")

    redis.start()
    await wait_healthy(a, b)
    assert a.alive() and b.alive(), "a Daphne process died with Redis"

    # Every client whose socket dropped reconnects; the others must still be open.
    clients = [teacher, *students]
    still_open = await asyncio.gather(*(c.is_open() for c in clients))
    dropped = [c for c, ok in zip(clients, still_open) if not ok]
    print(f"sockets dropped by the outage: {[c.label for c in dropped]} ({[c.drops for c in dropped]})")
    for client in dropped:
        state = await client.reconnect()
        if isinstance(client, Student):
            assert state["round"]["round"] == first
            stored = await stored_answers(first)
            assert state["answered"] == (client.id in stored)
            assert state["value"] == stored.get(client.id)

    # Answers sent during the outage were acknowledged, hence stored.
    stored = await stored_answers(first)
    for s in during:
        if outage_replies[s.label] == "answered":
            assert stored[s.id] == values[s.id]

    # After the restart: the rest answer (or re-send, as a page would after a drop).
    rest = [s for s in students if s.id not in stored]
    await answer_all(rest, first, values)
    tally, _ = await collect_tally(teacher, first, answered=len(students))
    assert (tally["true"], tally["false"]) == (sum(values.values()), len(values) - sum(values.values()))
    assert await stored_answers(first) == values

    # A push after the restart reaches every student on both processes, and the answers the teacher.
    second_question = await database_sync_to_async(PreguntaFactory)(propietario=alice, respuesta=False)
    second = await push_to_all(teacher, students, second_question.pk)
    values2 = {s.id: i % 3 == 0 for i, s in enumerate(students)}
    await answer_all(students, second, values2)
    tally, listed = await collect_tally(teacher, second, answered=len(students), listed_count=len(students))
    assert listed == values2
    assert await stored_answers(second) == values2
    assert a.alive() and b.alive()
    await asyncio.gather(*(c.close() for c in clients))


async def test_a_push_during_a_redis_outage_reaches_every_student_once_it_is_back(
    daphne_process, redis, aula, alice, pregunta
):
    a, b = daphne_process("A"), daphne_process("B")
    teacher, students = await classroom(a, b, aula, alice)
    await push_to_all(teacher, students, pregunta.pk)
    second_question = await database_sync_to_async(PreguntaFactory)(propietario=alice, respuesta=False)

    redis.kill()
    await teacher.send({"type": "push", "question": second_question.pk})
    try:
        reply = await teacher.receive_one_of({"question", "error"})
    except ConnectionClosed:
        reply = None
    print(f"\nthe teacher pushing while Redis is down got: {reply or teacher.drops[-1]}")
    redis.start()
    await wait_healthy(a, b)

    if reply is None:  # dropped: the teacher's page reconnects and shows the open round
        state = await teacher.reconnect()
        second = state["round"]["round"] if state["round"] else (await teacher.push(second_question.pk))["round"]
    elif reply["type"] == "question":
        second = reply["round"]
    else:  # refused: the teacher pushes again
        second = (await teacher.push(second_question.pk))["round"]

    async def round_seen(student):
        """The round a student's page shows once things settle: from a frame, or after a reconnect."""
        try:
            async with asyncio.timeout(8):
                while True:
                    frame = await student.receive()
                    if frame["type"] == "question":
                        return frame["round"]
                    if frame["type"] == "state" and frame["round"]:
                        return frame["round"]["round"]
        except ConnectionClosed:
            state = await student.reconnect()
            return state["round"] and state["round"]["round"]
        except TimeoutError:
            return None

    seen = await asyncio.gather(*(round_seen(s) for s in students))
    print(f"round shown by each student (pushed: {second}): {seen}")
    assert seen == [second] * len(students)


async def test_answers_queued_behind_a_batch_are_stored_while_redis_is_down(daphne_process, redis, aula, alice):
    # A's database takes 2 s per batch of answers, so a second answer queues behind the first.
    a = daphne_process("A", app="tests.multiprocess.slow_asgi:application", QRT_TEST_STORE_DELAY="2")
    teacher = Teacher(a, aula.codigo, cookie=await teacher_cookie(alice), label="alice")
    await teacher.connect()
    ana, beto = Student(a, aula.codigo, label="ana"), Student(a, aula.codigo, label="beto")
    await ana.join("Ana")
    await beto.join("Beto")
    pregunta = await database_sync_to_async(PreguntaFactory)(propietario=alice)
    round_id = (await push_to_all(teacher, [ana, beto], pregunta.pk))

    redis.kill()
    await ana.send({"type": "answer", "round": round_id, "value": True})
    await asyncio.sleep(0.5)  # Ana's batch is being written
    await beto.send({"type": "answer", "round": round_id, "value": False})
    replies = {}
    for student in (ana, beto):
        try:
            replies[student.label] = (await student.receive_one_of({"answered", "error"}, timeout=5))["type"]
        except (TimeoutError, ConnectionClosed) as error:
            replies[student.label] = repr(error)
    print(f"\nreplies to two answers sent while Redis is down: {replies}")
    assert replies == {"ana": "answered", "beto": "answered"}
    assert await stored_answers(round_id) == {ana.id: True, beto.id: False}


async def test_daphne_process_killed_mid_round(daphne_process, aula, alice, pregunta):
    a, b = daphne_process("A"), daphne_process("B")
    teacher, students = await classroom(a, b, aula, alice)
    first = await push_to_all(teacher, students, pregunta.pk)
    values = {s.id: i % 2 == 0 for i, s in enumerate(students)}
    on_a = [s for s in students if s.server is a]
    on_b = [s for s in students if s.server is b]

    # Before the crash: half the students of each process answer.
    before = on_a[:2] + on_b[:2]
    await answer_all(before, first, values)
    await collect_tally(teacher, first, answered=len(before), listed_count=len(before))

    # One answer is in flight when B dies: stored or not, never half.
    in_flight = on_b[2]
    await in_flight.send({"type": "answer", "round": first, "value": values[in_flight.id]})
    b.kill()
    assert all(await asyncio.gather(*(s.dropped() for s in on_b))), "a student of the killed process kept its socket"
    print(f"\nstudents of the killed process saw: {sorted({d for s in on_b for d in s.drops})}")

    # They reconnect to A and rejoin with their token: `state` gives the open round back.
    states = dict(zip(on_b, await asyncio.gather(*(s.reconnect(server=a) for s in on_b))))
    stored = await stored_answers(first)
    print(f"the answer in flight when B died was {'stored' if in_flight.id in stored else 'not stored'}")
    for s, state in states.items():
        assert state["round"]["round"] == first
        assert state["answered"] == (s.id in stored)
        assert state["value"] == stored.get(s.id)
    for s in before:
        assert stored[s.id] == values[s.id]  # acknowledged before the crash: stored

    # Re-sending an answer is refused (the first one stands); the rest answer now.
    resent = await asyncio.gather(*(s.answer(first, not values[s.id]) for s in on_b if s.id in stored))
    assert {r.get("code") for r in resent} == {"already_answered"}, resent
    await answer_all([s for s in students if s.id not in stored], first, values)

    tally, _ = await collect_tally(teacher, first, answered=len(students))
    assert (tally["true"], tally["false"]) == (sum(values.values()), len(values) - sum(values.values()))
    assert await stored_answers(first) == values
    assert await answer_rows(first) == len(students)

    # The classroom carries on with A alone.
    second_question = await database_sync_to_async(PreguntaFactory)(propietario=alice, respuesta=False)
    second = await push_to_all(teacher, students, second_question.pk)
    values2 = {s.id: True for s in students}
    await answer_all(students, second, values2)
    await collect_tally(teacher, second, answered=len(students))
    assert await stored_answers(second) == values2
    assert a.alive()
    await asyncio.gather(*(c.close() for c in [teacher, *students]))


async def test_students_of_a_killed_process_stop_counting_as_connected(daphne_process, aula, alice):
    a, b = daphne_process("A"), daphne_process("B")
    teacher, students = await classroom(a, b, aula, alice)
    on_a, on_b = [s for s in students if s.server is a], [s for s in students if s.server is b]
    assert len(await connection_processes([s.id for s in on_b])) == 1

    # B dies and its students do not come back: the teacher's count drops by itself, soon.
    b.kill()
    await asyncio.gather(*(s.dropped() for s in on_b))
    connected = None
    patience = PROCESS_STALE_AFTER.total_seconds() + 15
    async with asyncio.timeout(patience):
        while connected != len(on_a):
            frame = await teacher.receive_one_of({"roster", "tally"}, timeout=patience)
            if frame["type"] == "roster":
                connected = sum(item["online"] for item in frame["students"])

    # Every student leaves: the teacher's roster and tally must show nobody connected.
    await asyncio.gather(*(s.close() for s in on_a))
    online = connected = None
    async with asyncio.timeout(10):
        while online != 0:
            frame = await teacher.receive_one_of({"roster", "tally"})
            if frame["type"] == "roster":
                online = sum(item["online"] for item in frame["students"])
            else:
                connected = frame["connected"]
    assert connected in (None, 0)
    await teacher.close()
