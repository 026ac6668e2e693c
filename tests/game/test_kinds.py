"""The question kinds: the registry, and what each kind owns (answers, counts, right or wrong)."""

import math
from types import SimpleNamespace

import pytest

from preguntas.game import kinds
from preguntas.game.errors import GameError
from tests.factories import ChoiceFactory, MultiFactory, NumberFactory, PollFactory, PreguntaFactory, RondaFactory, options

INTERFACE = ("problems", "options", "question", "parse", "to_wire", "keys", "is_right", "right_options", "reveal",
             "wire_counts", "spread", "chance", "label", "correct_label")


def question(tipo, **fields):
    base = {"tipo": tipo, "opciones": [], "numero": None, "tolerancia": 0, "correcta": None}
    return SimpleNamespace(**(base | fields))


CHOICE = question("choice", opciones=options(("Tajo", True), ("Ebro", False), ("Duero", False), ("Guadiana", False)))
MULTI = question("multi", opciones=options(("Tajo", True), ("Ebro", False), ("Duero", True), ("Júcar", False)))
POLL = question("poll", opciones=options(("Galicia", False), ("Andalucía", False), ("Aragón", False)))
NUMBER = question("number", numero=3.14, tolerancia=0.005)


def refused(kind, q, raw):
    with pytest.raises(GameError) as error:
        kind.parse(q, raw)
    return error.value.code == "invalid"


@pytest.mark.parametrize("factory", [PreguntaFactory, ChoiceFactory, MultiFactory, PollFactory, NumberFactory])
def test_questions_and_rounds_find_their_kind_by_its_code(db, factory):
    pregunta = factory()
    ronda = RondaFactory(pregunta=pregunta)
    assert pregunta.tipo == ronda.tipo and kinds.of(pregunta) is kinds.of(ronda) is kinds.get(pregunta.tipo)
    assert kinds.of(ronda).problems(ronda) == []


def test_every_registered_kind_offers_the_whole_interface():
    assert set(kinds.KINDS) == {"tf", "choice", "multi", "poll", "number"}
    for code in kinds.KINDS:
        kind = kinds.get(code)
        assert kind.CODE == code and kind.FIELD in ("value", "option", "options", "number")
        assert all(callable(getattr(kind, name)) for name in INTERFACE), code


def test_true_false_answers_are_booleans_and_nothing_else():
    tf, q = kinds.get("tf"), question("tf", correcta=True)
    assert tf.parse(q, True) is True and tf.parse(q, False) is False
    assert all(refused(tf, q, raw) for raw in ("true", 1, 0, None, [True], {"value": True}))
    assert [o.key for o in tf.options(q)] == ["true", "false"] and tf.keys(False) == ["false"]
    assert tf.is_right(q, True) and not tf.is_right(q, False) and tf.right_options(q) == ["true"]
    assert tf.reveal(q) == {"correct": True} and tf.wire_counts({"true": 2, "false": 1}) == {"true": 2, "false": 1}
    assert tf.problems(question("tf")) and tf.chance(q) == 0.5


def test_a_choice_is_one_option_of_its_own_question():
    choice = kinds.get("choice")
    assert choice.parse(CHOICE, 3) == 3
    assert all(refused(choice, CHOICE, raw) for raw in (0, 5, "1", True, 1.0, [1], None, 2**63))
    assert choice.is_right(CHOICE, 1) and not choice.is_right(CHOICE, 2)
    assert choice.right_options(CHOICE) == ["1"] and choice.reveal(CHOICE) == {"correct_options": [1]}
    assert choice.label(CHOICE, 2) == "Ebro" and choice.correct_label(CHOICE) == "Tajo"
    assert choice.chance(CHOICE) == 0.25
    assert choice.question(CHOICE) == {"options": [{"id": 1, "text": "Tajo"}, {"id": 2, "text": "Ebro"},
                                                    {"id": 3, "text": "Duero"}, {"id": 4, "text": "Guadiana"}]}


def test_a_multiple_select_is_right_only_with_every_right_option_and_no_other():
    multi = kinds.get("multi")
    assert multi.parse(MULTI, [3, 1]) == [1, 3]
    assert all(refused(multi, MULTI, raw) for raw in ([], [1, 1], [1, 9], 1, "1,3", [1, "3"], [1, 2, 3, 4, 1], None))
    assert multi.is_right(MULTI, [1, 3])
    assert not multi.is_right(MULTI, [1]) and not multi.is_right(MULTI, [1, 2, 3])
    assert multi.keys([1, 3]) == ["1", "3"] and multi.reveal(MULTI) == {"correct_options": [1, 3]}
    assert multi.label(MULTI, [1, 3]) == "Tajo; Duero"
    assert math.isclose(multi.chance(MULTI), 1 / 15)


def test_a_poll_has_no_right_answer_and_no_chance_level():
    poll = kinds.get("poll")
    assert not poll.SCORED and poll.parse(POLL, 2) == 2 and poll.is_right(POLL, 2) is None
    assert poll.right_options(POLL) == [] and poll.reveal(POLL) == {"correct_options": []} and poll.chance(POLL) is None
    assert poll.problems(question("poll", opciones=options(("Sí", True), ("No", False))))


def test_a_number_is_right_within_its_tolerance():
    number = kinds.get("number")
    assert number.parse(NUMBER, 3) == 3 and number.parse(NUMBER, 3.1415) == 3.1415
    assert all(refused(number, NUMBER, raw) for raw in ("3.14", True, None, [3.14], float("nan"), float("inf"), 1e13))
    assert number.is_right(NUMBER, 3.145) and number.is_right(NUMBER, 3.135) and not number.is_right(NUMBER, 3.146)
    assert number.is_right(question("number", numero=0.3, tolerancia=0), 0.1 + 0.2)
    assert number.reveal(NUMBER) == {"correct_number": 3.14, "tolerance": 0.005} and number.options(NUMBER) == []
    assert number.problems(question("number")) and number.problems(question("number", numero=1, tolerancia=-1))


def test_a_number_round_draws_its_answers_as_a_histogram_marking_the_right_range():
    number = kinds.get("number")
    bins = number.spread(NUMBER, [3.14, 3.0, 3.2, 4, 1])
    assert sum(b["n"] for b in bins) == 5 and len(bins) <= number.BINS + 1
    assert [(b["from"], b["to"]) for b in bins][:2] == [(1, 1.5), (1.5, 2)]  # round widths
    assert [b["n"] for b in bins if b["right"]] == [3]  # 3.0, 3.14 and 3.2 share the bar holding 3.14
    assert bins[0]["from"] == 1 and bins[-1]["to"] >= 4
    whole = number.spread(question("number", numero=17, tolerancia=0), [17, 17, 16, 19, 5])
    assert all(float(b["to"] - b["from"]).is_integer() for b in whole)  # whole numbers, whole bars
    assert sum(b["n"] for b in whole if b["right"]) >= 2 and not whole[0]["right"]  # the 17s, not the 5
    assert all(b["n"] == 0 for b in number.spread(NUMBER, []))


@pytest.mark.parametrize("opciones, n_problems", [
    (options(("Tajo", True)), 1),  # one option
    (options(*[(str(i), i == 1) for i in range(7)]), 1),  # seven
    (options(("Tajo", True), ("", False)), 1),  # an empty one
    (options(("Tajo", True), ("tajo", False)), 1),  # the same twice
    (options(("Tajo", True), ("Ebro", True)), 1),  # two right in a single choice
    (options(("Tajo", False), ("Ebro", False)), 1),  # none right
    ([{"id": 1, "text": "Tajo", "correct": True}, {"id": 1, "text": "Ebro", "correct": False}], 1),  # same id
])
def test_a_choice_question_needs_two_to_six_distinct_options_and_one_right(opciones, n_problems):
    assert len(kinds.get("choice").problems(question("choice", opciones=opciones))) == n_problems


def test_true_false_reads_the_words_teachers_write():
    tf = kinds.get("tf")
    assert [tf.from_text(w) for w in ("Verdadero", " v ", "SÍ", "1", "falso", "no", "0", "quizás")] == [
        True, True, True, True, False, False, False, None
    ]
    assert tf.from_text(tf.to_text(True)) is True and tf.from_text(tf.to_text(False)) is False


def test_a_teachers_copy_of_a_shared_question_keeps_its_options_number_and_explanation(db, alice):
    from preguntas.game import bank

    shared = ChoiceFactory(propietario=None, explicacion="El Tajo mide 1007 km.")
    own = bank.copy(alice, shared)
    assert (own.tipo, own.opciones, own.explicacion, own.copiada_de) == ("choice", shared.opciones, shared.explicacion, shared)
    number = bank.copy(alice, NumberFactory(propietario=None, numero=3.14, tolerancia=0.01))
    assert (number.numero, number.tolerancia) == (3.14, 0.01)
