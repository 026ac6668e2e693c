"""Each question kind over the classroom socket: the question, answers in their own field,
live counts, the reveal with its explanation, and a rejoin (docs/protocol.md)."""

import pytest
from channels.db import database_sync_to_async

from preguntas.models import Respuesta
from tests.factories import ChoiceFactory, MultiFactory, NumberFactory, PollFactory
from tests.sockets import receive_type, send, student, teacher

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def make(factory, owner, **fields):
    return factory(propietario=owner, **fields)


@database_sync_to_async
def stored(round_id):
    return sorted(Respuesta.objects.filter(ronda_id=round_id).values_list("alumno__nombre", "valor"))


async def push(panel, pregunta) -> dict:
    await send(panel, {"type": "push", "question": pregunta.pk})
    return await receive_type(panel, "question")


async def answer(socket, round_id, **fields) -> dict:
    await send(socket, {"type": "answer", "round": round_id, **fields})
    return await receive_type(socket, "answered")


async def refused(socket, round_id, **fields) -> str:
    await send(socket, {"type": "answer", "round": round_id, **fields})
    return (await receive_type(socket, "error"))["code"]


async def test_a_choice_question_is_sent_with_its_options_and_never_which_is_right(aula, alice):
    pregunta = await make(ChoiceFactory, alice, explicacion="El Tajo mide 1007 km.")
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    question = await push(panel, pregunta)
    assert question["kind"] == "choice" and question["image"] is None
    assert question["options"] == [{"id": 1, "text": "Tajo"}, {"id": 2, "text": "Ebro"},
                                   {"id": 3, "text": "Duero"}, {"id": 4, "text": "Guadiana"}]
    assert await receive_type(ana, "question") == question
    assert "correct" not in str(question) and "explanation" not in question


async def test_choice_answers_are_counted_per_option_and_revealed_with_the_explanation(aula, alice):
    pregunta = await make(ChoiceFactory, alice, explicacion="El Tajo mide 1007 km.")
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    round_id = (await push(panel, pregunta))["round"]
    assert await answer(ana, round_id, option=1) == {"type": "answered", "round": round_id, "option": 1}
    await answer(beto, round_id, option=3, sure=True)
    tally = await receive_type(panel, "tally")
    while tally["answered"] < 2:
        tally = await receive_type(panel, "tally")
    assert tally["options"] == {"1": 1, "2": 0, "3": 1, "4": 0} and "true" not in tally
    await send(panel, {"type": "close", "round": round_id})
    closed = await receive_type(ana, "closed")
    assert closed["correct_options"] == [1] and closed["right_options"] == ["1"]
    assert closed["options"] == {"1": 1, "2": 0, "3": 1, "4": 0}
    assert closed["explanation"] == "El Tajo mide 1007 km." and "correct" not in closed
    assert await receive_type(ana, "result") == {"type": "result", "round": round_id, "value": 1, "right": True}
    assert (await receive_type(beto, "result"))["right"] is False
    outcome = await receive_type(panel, "outcome")
    assert outcome["confidence"]["wrong_sure"] == 1
    assert await stored(round_id) == [("Ana", 1), ("Beto", 3)]


async def test_an_answer_in_the_wrong_shape_for_the_kind_is_invalid_and_nothing_is_stored(aula, alice):
    choice = await make(ChoiceFactory, alice)
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    round_id = (await push(panel, choice))["round"]
    assert await refused(ana, round_id, value=True) == "invalid"  # a true/false answer
    assert await refused(ana, round_id, option=9) == "invalid"  # an option of no question here
    assert await refused(ana, round_id, option="1") == "invalid"
    assert await refused(ana, round_id, options=[1]) == "invalid"  # a multiple-select answer
    assert await refused(ana, round_id, option=1, value=True) == "invalid"  # two answers at once
    assert await refused(ana, round_id) == "invalid"  # none
    assert await stored(round_id) == []
    assert (await answer(ana, round_id, option=2))["option"] == 2  # the socket still works


async def test_a_multiple_select_answer_is_stored_as_a_set_and_right_only_when_exact(aula, alice):
    multi = await make(MultiFactory, alice)
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    round_id = (await push(panel, multi))["round"]
    assert (await answer(ana, round_id, options=[3, 1]))["options"] == [3, 1]
    await answer(beto, round_id, options=[1])
    assert await refused(ana, round_id, number=1) == "invalid"
    await send(panel, {"type": "close", "round": round_id})
    closed = await receive_type(ana, "closed")
    assert closed["correct_options"] == [1, 3] and closed["options"] == {"1": 2, "2": 0, "3": 1, "4": 0}
    assert (await receive_type(ana, "result"))["right"] is True
    assert (await receive_type(beto, "result"))["right"] is False
    assert await stored(round_id) == [("Ana", [1, 3]), ("Beto", [1])]


async def test_a_poll_counts_votes_but_nobody_is_right_or_wrong(aula, alice):
    poll = await make(PollFactory, alice)
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    round_id = (await push(panel, poll))["round"]
    await answer(ana, round_id, option=2, sure=True)
    await send(panel, {"type": "close", "round": round_id})
    closed = await receive_type(ana, "closed")
    assert closed["correct_options"] == [] and closed["right_options"] == [] and closed["options"]["2"] == 1
    assert (await receive_type(ana, "result"))["right"] is None
    outcome = await receive_type(panel, "outcome")
    assert outcome["right"] == outcome["wrong"] == [] and sum(outcome["confidence"].values()) == 0


async def test_a_number_round_reveals_the_number_and_tolerance_and_the_answers_spread(aula, alice):
    number = await make(NumberFactory, alice, numero=1007, tolerancia=10)
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    beto, _, _ = await student(aula.codigo, "Beto")
    round_id = (await push(panel, number))["round"]
    assert "options" not in await receive_type(ana, "question")
    assert (await answer(ana, round_id, number=1000))["number"] == 1000
    await answer(beto, round_id, number=1100.5)
    assert await refused(ana, round_id, number="1007") == "invalid"
    tally = await receive_type(panel, "tally")
    while tally["answered"] < 2:
        tally = await receive_type(panel, "tally")
    assert sum(b["n"] for b in tally["histogram"]) == 2 and "options" not in tally
    await send(panel, {"type": "close", "round": round_id})
    closed = await receive_type(ana, "closed")
    assert (closed["correct_number"], closed["tolerance"]) == (1007, 10)
    assert sum(b["n"] for b in closed["histogram"] if b["right"]) == 1  # Ana, within 1007 ± 10
    assert (await receive_type(ana, "result"))["right"] is True
    assert (await receive_type(beto, "result"))["right"] is False


async def test_a_student_who_rejoins_gets_the_options_and_their_own_answer_back(aula, alice):
    multi = await make(MultiFactory, alice)
    panel, _ = await teacher(aula.codigo, alice)
    ana, joined, _ = await student(aula.codigo, "Ana")
    question = await push(panel, multi)
    await answer(ana, question["round"], options=[1, 3])
    await ana.disconnect()
    from tests.sockets import open_socket

    again = await open_socket(aula.codigo)
    await send(again, {"type": "join", "token": joined["token"]})
    state = await receive_type(again, "state")
    assert state["round"]["kind"] == "multi" and state["round"]["options"] == question["options"]
    assert state["answered"] is True and state["value"] == [1, 3]


async def test_a_number_split_shows_the_class_its_spread_without_the_right_range(aula, alice):
    number = await make(NumberFactory, alice, numero=1007, tolerancia=10)
    panel, _ = await teacher(aula.codigo, alice)
    ana, _, _ = await student(aula.codigo, "Ana")
    round_id = (await push(panel, number))["round"]
    await answer(ana, round_id, number=990)
    await send(panel, {"type": "split", "round": round_id})
    split = await receive_type(ana, "split")
    assert sum(b["n"] for b in split["histogram"]) == 1
    assert all(set(b) == {"from", "to", "n"} for b in split["histogram"])
