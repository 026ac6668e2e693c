"""Aiken: Moodle's documentation example and a teacher's file, what it leaves out, the round trip."""

import pytest

from preguntas.game.formats import Item, aiken, check
from tests.game.formats_helpers import DATA, SAMPLE, round_trip


@pytest.fixture
def result():
    return check(aiken.read((DATA / "aiken.txt").read_bytes()))


def test_the_documentation_example_with_both_option_styles(result):
    first, second = result.items[:2]
    assert first == Item(
        "choice", "¿Cuál es la respuesta correcta a esta pregunta?",
        options=[("¿Es esta?", False), ("¿Quizá esta?", False), ("¿Puede que esta?", False), ("¡Tiene que ser esta!", True)],
        where=1,
    )
    assert [text for text, _right in second.options] == ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"]
    assert second.options[0] == ("Moodle", True)


def test_questions_need_no_blank_line_between_them_and_several_letters_make_a_multiple_choice(result):
    by_text = {item.text: item for item in result.items}
    assert by_text["¿Qué río pasa por Zaragoza?"].options == [("Tajo", False), ("Ebro", True), ("Duero", False)]
    rivers = by_text["¿Qué ríos desembocan en el Mediterráneo?"]
    assert rivers.kind == "multi" and rivers.options == [("Ebro", True), ("Tajo", False), ("Ródano", True)]


def test_true_and_false_options_make_a_true_false_question(result):
    nile = next(item for item in result.items if item.text == "El Nilo desemboca en el océano Atlántico.")
    assert nile.kind == "tf" and nile.answer is False


def test_yes_and_no_options_stay_options():
    item = check(aiken.read("¿Llueve?\nA. Sí\nB. No\nANSWER: A".encode())).items[0]
    assert item.kind == "choice" and item.options == [("Sí", True), ("No", False)]


def test_what_cannot_be_imported_is_listed_with_its_line_and_reason(result):
    assert [(s.where, s.text, s.reasons) for s in result.skipped] == [
        (33, "¿Cuál es la capital de Chile?", ("«ANSWER: C» no es ninguna de las opciones.",)),
        (38, "¿Cuál es la capital de Bolivia?", ("Falta la línea «ANSWER:» con la letra de la respuesta correcta.",)),
        (42, "¿Qué océano baña Lisboa?",
         ("«ANSWER: Atlántico» debe dar la letra de la respuesta correcta, como «ANSWER: B».",)),
    ]
    assert len(result.items) == 5


def test_a_stray_answer_line_and_a_question_without_options_are_listed():
    result = aiken.read("ANSWER: A\n\n¿Sin opciones?\nANSWER: A\n".encode())
    assert [(s.where, s.reasons) for s in result.skipped] == [
        (1, ("Una línea «ANSWER:» sin pregunta ni opciones antes.",)),
        (3, ("No tiene opciones (A. …, B. …) antes de «ANSWER:».",)),
    ]


def test_only_single_choice_and_true_false_are_written():
    text = aiken.write(SAMPLE).decode()
    assert "¿Qué río pasa por Zaragoza?\nA. Ebro\nB. Tajo\nC. Duero\nANSWER: A\n" in text
    assert "Bogotá es la capital de Colombia.\nA. Verdadero\nB. Falso\nANSWER: A\n" in text
    for left_out in ("¿Qué países están en Sudamérica?", "¿Qué tema repasamos mañana?", "¿Cuántos países hay en Sudamérica?"):
        assert left_out not in text
    assert aiken.leaves_out(SAMPLE[4]) == "Aiken solo tiene preguntas de una respuesta correcta entre varias."


@pytest.mark.django_db
def test_round_trip_gives_the_single_choice_and_true_false_questions_back_without_topic_or_explanation(alice, bob):
    expected, got = round_trip("aiken", alice, bob, topic=False, explanation=False)
    assert got == expected and {kind for kind, *_rest in got} == {"tf", "choice"}
