"""The question-kind seam: the registry, and what the true/false kind owns."""

import pytest

from preguntas.game import kinds
from preguntas.game.errors import GameError
from tests.factories import PreguntaFactory, RondaFactory


def test_questions_and_rounds_find_their_kind_by_its_code(db):
    pregunta = PreguntaFactory()
    ronda = RondaFactory(pregunta=pregunta, tipo=pregunta.tipo)
    assert pregunta.tipo == ronda.tipo == kinds.DEFAULT == "tf"
    assert kinds.of(pregunta) is kinds.of(ronda) is kinds.get("tf")


def test_every_registered_kind_offers_the_whole_interface():
    names = ("options", "parse", "to_wire", "option_of", "is_right", "right_options", "label", "choices",
             "from_text", "to_text")
    for code in kinds.KINDS:
        kind = kinds.get(code)
        assert kind.CODE == code
        assert all(callable(getattr(kind, name)) for name in names), code


def test_true_false_answers_are_booleans_and_nothing_else():
    tf = kinds.get("tf")
    assert tf.parse(True) is True and tf.parse(False) is False
    for value in ("true", 1, 0, None, [True], {"value": True}):
        with pytest.raises(GameError) as error:
            tf.parse(value)
        assert error.value.code == "invalid"


def test_true_false_counts_each_answer_under_its_option_and_knows_the_right_one():
    tf = kinds.get("tf")
    assert [o.key for o in tf.options()] == ["true", "false"]
    assert [o.value for o in tf.options()] == [True, False]
    assert (tf.option_of(True), tf.option_of(False)) == ("true", "false")
    assert tf.is_right(True, True) and not tf.is_right(False, True)
    assert tf.right_options(False) == ["false"]


def test_true_false_reads_the_words_teachers_write():
    tf = kinds.get("tf")
    assert [tf.from_text(w) for w in ("Verdadero", " v ", "SÍ", "1", "falso", "no", "0", "quizás")] == [
        True, True, True, True, False, False, False, None
    ]
    assert tf.from_text(tf.to_text(True)) is True and tf.from_text(tf.to_text(False)) is False
