"""The classroom socket, frame by frame (docs/protocol.md)."""

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.utils import timezone

from preguntas.models import Alumno, Respuesta, Ronda
from tests.factories import AulaFactory, PreguntaFactory
from tests.sockets import open_socket, receive, receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def stored_answers(ronda_id):
    return sorted(Respuesta.objects.filter(ronda_id=ronda_id).values_list("alumno__nombre", "valor"))


async def push(teacher_socket, pregunta, **extra) -> dict:
    await send(teacher_socket, {"type": "push", "question": pregunta.pk, **extra})
    return await receive_type(teacher_socket, "question")


async def test_unknown_classroom_code_is_closed_with_4404(db):
    communicator = await open_socket("NOPE99")
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4404}


async def test_cross_site_origin_is_refused_at_the_handshake(aula):
    from channels.testing import WebsocketCommunicator

    from QuestionsRT.asgi import application

    communicator = WebsocketCommunicator(
        application, f"/ws/aula/{aula.codigo}/", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_teacher_gets_state_on_connect(aula, alice):
    socket, state = await teacher(aula.codigo, alice)
    assert state["round"] is None
    assert state["answered"] is None
    assert state["classroom"] == {"name": "3ºB Geografía", "code": "AULA01", "locked": False}
    assert state["tally"]["connected"] == 0
    await socket.disconnect()


async def test_student_joins_and_gets_token_and_state(aula):
    socket, joined, state = await student(aula.codigo, "  Ana   María ")
    assert joined["student"]["name"] == "Ana María"
    assert len(joined["token"]) >= 32
    assert state == {
        "type": "state",
        "round": None,
        "answered": False,
        "value": None,
        "classroom": {"name": "3ºB Geografía", "code": "AULA01"},
    }
    await socket.disconnect()


async def test_the_code_is_case_insensitive(aula):
    socket, joined, _ = await student(aula.codigo.lower(), "Ana")
    assert joined["type"] == "joined"
    await socket.disconnect()


async def test_push_reaches_every_student_without_the_answer(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    question = await push(teacher_socket, pregunta)
    for socket in (ana, beto):
        frame = await receive_type(socket, "question")
        assert frame == question
        assert frame["question"] == {"id": pregunta.pk, "text": "Bogotá es la capital de Colombia."}
        assert frame["deadline"] is None
        assert "correct" not in str(frame)
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


async def test_answer_is_acknowledged_stored_once_and_tallied(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, joined, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")

    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    assert await receive(ana) == {"type": "answered", "round": question["round"], "value": True}

    tally = await receive_type(teacher_socket, "tally")
    while tally["answered"] < 1:
        tally = await receive_type(teacher_socket, "tally")
    assert tally["round"] == question["round"]
    assert (tally["true"], tally["false"], tally["answered"], tally["connected"]) == (1, 0, 1, 1)
    assert tally["answers"] == [{"student": joined["student"]["id"], "value": True, "round": question["round"]}]
    assert await stored_answers(question["round"]) == [("Ana", True)]
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_answering_twice_is_refused_and_keeps_the_first_answer(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": False})
    await receive_type(ana, "answered")
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    error = await receive(ana)
    assert error["type"] == "error" and error["code"] == "already_answered"
    assert await stored_answers(question["round"]) == [("Ana", False)]
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_two_students_answering_at_once_are_both_stored(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    question = await push(teacher_socket, pregunta)
    await asyncio.gather(receive_type(ana, "question"), receive_type(beto, "question"))
    await asyncio.gather(
        send(ana, {"type": "answer", "round": question["round"], "value": True}),
        send(beto, {"type": "answer", "round": question["round"], "value": False}),
    )
    acks = await asyncio.gather(receive(ana), receive(beto))
    assert [a["type"] for a in acks] == ["answered", "answered"]
    tally = await receive_type(teacher_socket, "tally")
    while tally["answered"] < 2:
        tally = await receive_type(teacher_socket, "tally")
    assert (tally["true"], tally["false"]) == (1, 1)
    assert await stored_answers(question["round"]) == [("Ana", True), ("Beto", False)]
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


async def test_close_reveals_the_answer_to_everyone(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": False})
    await receive_type(ana, "answered")

    await send(teacher_socket, {"type": "close", "round": question["round"]})
    expected = {
        "type": "closed", "round": question["round"], "correct": True, "right_options": ["true"], "true": 0, "false": 1, "answered": 1,
        "explanation": None,
    }
    assert await receive_type(teacher_socket, "closed") == expected
    assert await receive_type(ana, "closed") == expected
    assert await receive(ana) == {"type": "result", "round": question["round"], "value": False, "right": False}

    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    assert (await receive(ana))["code"] == "round_closed"
    await send(teacher_socket, {"type": "close", "round": question["round"]})
    assert (await receive_type(teacher_socket, "error"))["code"] == "round_closed"
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_pushing_while_a_round_is_open_closes_it_first(aula, alice, pregunta):
    otra = await database_sync_to_async(PreguntaFactory)(propietario=alice, respuesta=False)
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    first = await push(teacher_socket, pregunta)
    await send(teacher_socket, {"type": "push", "question": otra.pk})
    closed = await receive_type(ana, "closed")
    assert closed["round"] == first["round"]
    second = await receive_type(ana, "question")
    assert second["question"]["id"] == otra.pk
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_a_deadline_closes_the_round_on_the_server(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta, seconds=1)
    assert question["deadline"] is not None
    await receive_type(ana, "question")
    closed = await receive_type(ana, "closed", timeout=5)
    assert closed["round"] == question["round"]
    assert await database_sync_to_async(lambda: Ronda.objects.get(pk=question["round"]).cerrada)() is not None
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_reconnect_mid_round_restores_question_and_answer(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, joined, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await receive_type(ana, "answered")
    await ana.disconnect()

    again = await open_socket(aula.codigo)
    await send(again, {"type": "join", "token": joined["token"]})
    rejoined = await receive(again)
    assert rejoined["student"] == joined["student"]
    state = await receive(again)
    assert state["round"]["round"] == question["round"]
    assert state["round"]["question"]["text"] == pregunta.texto
    assert (state["answered"], state["value"]) == (True, True)
    await again.disconnect()
    await teacher_socket.disconnect()


async def test_teacher_reconnect_gets_the_open_round_and_the_roster(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, joined, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await receive_type(ana, "answered")
    await teacher_socket.disconnect()

    teacher_socket, state = await teacher(aula.codigo, alice)
    assert state["round"]["round"] == question["round"]
    assert state["tally"]["answered"] == 1
    assert state["students"] == [{"id": joined["student"]["id"], "name": "Ana", "online": True, "answer": True, "sure": None}]
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_teacher_sees_students_come_and_go(aula, alice):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    roster = await receive_type(teacher_socket, "roster")
    assert [(s["name"], s["online"]) for s in roster["students"]] == [("Ana", True)]
    await ana.disconnect()
    roster = await receive_type(teacher_socket, "roster")
    assert [(s["name"], s["online"]) for s in roster["students"]] == [("Ana", False)]
    await teacher_socket.disconnect()


async def test_duplicate_names_are_made_distinguishable(aula):
    first, a, _ = await student(aula.codigo, "Ana")
    second, b, _ = await student(aula.codigo, "Ana")
    assert (a["student"]["name"], b["student"]["name"]) == ("Ana", "Ana 2")
    await first.disconnect()
    await second.disconnect()


# Errors -----------------------------------------------------------------


async def expect_error(socket, code: str) -> dict:
    frame = await receive(socket)
    assert frame["type"] == "error", frame
    assert frame["code"] == code, frame
    assert frame["detail"]
    return frame


async def test_malformed_json_gets_bad_json_and_the_socket_stays_usable(aula):
    socket = await open_socket(aula.codigo)
    await socket.send_to(text_data="{not json")
    await expect_error(socket, "bad_json")
    await socket.send_to(text_data="[1, 2]")
    await expect_error(socket, "bad_json")
    await socket.send_to(bytes_data=b"\x00\x01")
    await expect_error(socket, "bad_json")
    await send(socket, {"type": "join", "name": "Ana"})
    assert (await receive(socket))["type"] == "joined"
    await socket.disconnect()


async def test_unknown_type_is_refused(aula):
    socket = await open_socket(aula.codigo)
    for frame in ({"type": "explode"}, {"type": 7}, {"no": "type"}, {"type": "frame_send"}):
        await send(socket, frame)
        await expect_error(socket, "unknown_type")
    await socket.disconnect()


async def test_oversized_frame_is_refused_with_too_large(aula):
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "name": "x" * 10_000})
    await expect_error(socket, "too_large")
    await send(socket, {"type": "ping"})
    assert await receive(socket) == {"type": "pong"}
    await socket.disconnect()


async def test_student_cannot_push_or_close(aula, pregunta):
    socket, _, _ = await student(aula.codigo, "Ana")
    await send(socket, {"type": "push", "question": pregunta.pk})
    await expect_error(socket, "forbidden")
    await send(socket, {"type": "close", "round": 1})
    await expect_error(socket, "forbidden")
    await socket.disconnect()


async def test_teacher_of_another_classroom_cannot_push(aula, bob):
    bobs_question = await database_sync_to_async(PreguntaFactory)(propietario=bob)
    socket = await open_socket(aula.codigo, bob)
    await send(socket, {"type": "push", "question": bobs_question.pk})
    await expect_error(socket, "forbidden")
    assert not await database_sync_to_async(Ronda.objects.exists)()
    await socket.disconnect()


async def test_teacher_cannot_push_another_teachers_private_question(aula, alice, bob):
    bobs_question = await database_sync_to_async(PreguntaFactory)(propietario=bob)
    socket, _ = await teacher(aula.codigo, alice)
    await send(socket, {"type": "push", "question": bobs_question.pk})
    await expect_error(socket, "not_found")
    await send(socket, {"type": "push", "question": "1; DROP TABLE"})
    await expect_error(socket, "invalid")
    await socket.disconnect()


async def test_teacher_does_not_answer(aula, alice):
    socket, _ = await teacher(aula.codigo, alice)
    await send(socket, {"type": "answer", "round": 1, "value": True})
    await expect_error(socket, "forbidden")
    await socket.disconnect()


async def test_answering_before_joining_gets_not_joined(aula):
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "answer", "round": 1, "value": True})
    await expect_error(socket, "not_joined")
    await socket.disconnect()


async def test_answer_to_an_unknown_or_foreign_round_gets_not_found(aula, alice, pregunta):
    other = await database_sync_to_async(AulaFactory)()
    teacher_socket, _ = await teacher(aula.codigo, alice)
    await push(teacher_socket, pregunta)
    foreign = await database_sync_to_async(Ronda.objects.create)(aula=other, texto="x", correcta=True)
    socket, _, _ = await student(aula.codigo, "Ana")
    await send(socket, {"type": "answer", "round": foreign.pk, "value": True})
    await expect_error(socket, "not_found")
    await send(socket, {"type": "answer", "round": 999_999, "value": True})
    await expect_error(socket, "not_found")
    await socket.disconnect()
    await teacher_socket.disconnect()


async def test_answer_value_must_be_a_boolean(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    question = await push(teacher_socket, pregunta)
    socket, _, _ = await student(aula.codigo, "Ana")
    for value in (1, "true", None):
        await send(socket, {"type": "answer", "round": question["round"], "value": value})
        await expect_error(socket, "invalid")
    assert await stored_answers(question["round"]) == []
    await socket.disconnect()
    await teacher_socket.disconnect()


async def test_join_errors(aula):
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "name": "   "})
    await expect_error(socket, "invalid")
    await send(socket, {"type": "join", "token": "forged-token"})
    await expect_error(socket, "not_found")
    await send(socket, {"type": "join", "name": "Ana"})
    await receive_type(socket, "state")
    await send(socket, {"type": "join", "name": "Ana"})
    await expect_error(socket, "already_joined")
    await socket.disconnect()


async def test_a_token_from_another_classroom_is_refused(aula):
    other = await database_sync_to_async(AulaFactory)()
    socket, joined, _ = await student(other.codigo, "Ana")
    await socket.disconnect()
    intruder = await open_socket(aula.codigo)
    await send(intruder, {"type": "join", "token": joined["token"]})
    await expect_error(intruder, "not_found")
    await intruder.disconnect()


@override_settings(QRT_MAX_STUDENTS_PER_CLASSROOM=1)
async def test_a_full_classroom_refuses_new_students(aula):
    first, _, _ = await student(aula.codigo, "Ana")
    socket = await open_socket(aula.codigo)
    await send(socket, {"type": "join", "name": "Beto"})
    await expect_error(socket, "full")
    assert await database_sync_to_async(Alumno.objects.count)() == 1
    await first.disconnect()
    await socket.disconnect()


@override_settings(QRT_RATE_LIMIT_FRAMES=3, QRT_RATE_LIMIT_WINDOW=60)
async def test_a_flood_is_rate_limited_then_closed(aula):
    socket = await open_socket(aula.codigo)
    for _ in range(3):
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}
    await send(socket, {"type": "ping"})
    await expect_error(socket, "rate_limited")
    for _ in range(3):
        await send(socket, {"type": "ping"})
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4429}


async def test_a_student_socket_without_a_session_is_anonymous(aula, alice, pregunta):
    """Students carry no session cookie; a teacher's cookie makes the same URL a teacher socket."""
    student_socket = await open_socket(aula.codigo)
    await send(student_socket, {"type": "push", "question": pregunta.pk})
    assert (await receive(student_socket))["code"] == "forbidden"
    teacher_socket, state = await teacher(aula.codigo, alice)
    assert state["answered"] is None
    await student_socket.disconnect()
    await teacher_socket.disconnect()


async def test_a_teacher_who_comes_back_after_the_deadline_closes_the_round_for_everyone(aula, alice, pregunta):
    ana, _, _ = await student(aula.codigo, "Ana")
    ronda = await database_sync_to_async(Ronda.objects.create)(
        aula=aula, pregunta=pregunta, texto=pregunta.texto, correcta=True,
        limite=timezone.now() - timedelta(seconds=1),
    )
    teacher_socket, state = await teacher(aula.codigo, alice)
    assert state["round"] is None
    closed = await receive_type(ana, "closed")
    assert (closed["round"], closed["correct"]) == (ronda.pk, True)
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_a_student_may_say_how_sure_they_are(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    question = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": question["round"], "value": False, "sure": "very"})
    await expect_error(ana, "invalid")
    await send(ana, {"type": "answer", "round": question["round"], "value": False, "sure": False})
    assert await receive_type(ana, "answered") == {
        "type": "answered", "round": question["round"], "value": False, "sure": False,
    }
    tally = await receive_type(teacher_socket, "tally")
    while not tally["answers"]:
        tally = await receive_type(teacher_socket, "tally")
    assert tally["answers"][0]["sure"] is False
    stored = await database_sync_to_async(lambda: list(Respuesta.objects.values_list("valor", "seguro")))()
    assert stored == [(False, False)]
    await ana.disconnect()
    await teacher_socket.disconnect()


async def test_peer_instruction_shows_the_split_then_asks_again_without_revealing(aula, alice, pregunta):
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    first = await push(teacher_socket, pregunta)
    await receive_type(ana, "question")
    await send(ana, {"type": "answer", "round": first["round"], "value": False})
    await receive_type(ana, "answered")

    await send(teacher_socket, {"type": "split", "round": first["round"]})
    assert await receive_type(ana, "split") == {"type": "split", "round": first["round"], "true": 0, "false": 1}
    await send(teacher_socket, {"type": "revote", "round": first["round"]})
    split = await receive(ana)
    second = await receive(ana)
    assert split["type"] == "split" and "correct" not in split
    assert second["type"] == "question" and second["previous"] == first["round"]
    assert second["question"] == first["question"] and second["round"] != first["round"]

    await send(ana, {"type": "answer", "round": second["round"], "value": True})
    await receive_type(ana, "answered")
    await send(ana, {"type": "answer", "round": first["round"], "value": True})
    assert (await receive(ana))["code"] == "round_closed"
    await send(ana, {"type": "split", "round": first["round"]})
    assert (await receive(ana))["code"] == "forbidden"
    await ana.disconnect()
    await teacher_socket.disconnect()


@pytest.mark.parametrize("code", ["AULA%00", "AU\u0000LA", "x" * 13, "AULA-01", "%F0%9F%98%80"])
async def test_a_code_that_cannot_be_a_classroom_is_closed_with_4404_before_any_query(db, code):
    communicator = await open_socket(code)
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4404}


async def two_students_and_a_question(aula, alice, pregunta):
    """The teacher's socket, Ana's and Beto's, and the question pushed to them."""
    teacher_socket, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    question = await push(teacher_socket, pregunta)
    for socket in (ana, beto):
        await receive_type(socket, "question")
    return teacher_socket, ana, beto, question


async def test_a_split_on_view_never_leaves_out_the_last_answers(aula, alice, pregunta):
    teacher_socket, ana, beto, question = await two_students_and_a_question(aula, alice, pregunta)
    await send(teacher_socket, {"type": "split", "round": question["round"]})
    await receive_type(ana, "split")

    async def split_counting(answers: int) -> dict:
        split = await receive_type(ana, "split")
        while split["true"] + split["false"] < answers:
            split = await receive_type(ana, "split")
        return split

    await send(ana, {"type": "answer", "round": question["round"], "value": True})
    await split_counting(1)
    # Within a second of that update: it waits for the next one, but is not left out.
    await send(beto, {"type": "answer", "round": question["round"], "value": False})
    assert (await split_counting(2))["false"] == 1
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


async def test_a_split_on_view_stays_current_as_answers_arrive(aula, alice, pregunta):
    teacher_socket, ana, beto, question = await two_students_and_a_question(aula, alice, pregunta)
    await send(ana, {"type": "answer", "round": question["round"], "value": False})
    await receive_type(ana, "answered")
    await send(teacher_socket, {"type": "split", "round": question["round"]})
    for socket in (ana, beto):
        assert await receive_type(socket, "split") == {"type": "split", "round": question["round"], "true": 0, "false": 1}
    await send(beto, {"type": "answer", "round": question["round"], "value": True})
    assert await receive_type(ana, "split") == {"type": "split", "round": question["round"], "true": 1, "false": 1}
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()


async def test_without_a_split_on_view_students_hear_nothing_of_the_votes(aula, alice, pregunta):
    teacher_socket, ana, beto, question = await two_students_and_a_question(aula, alice, pregunta)
    await send(beto, {"type": "answer", "round": question["round"], "value": True})
    await receive_type(beto, "answered")
    await receive_type(teacher_socket, "tally")
    await send(ana, {"type": "ping"})
    assert await receive(ana) == {"type": "pong"}
    for socket in (teacher_socket, ana, beto):
        await socket.disconnect()
