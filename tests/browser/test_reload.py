"""A student who reloads the page mid-round stays the same student, on the same question."""

import pytest

from preguntas.models import Alumno, Pregunta, Respuesta
from tests.browser.conftest import PHONE
from tests.browser.pages import (
    answer_button,
    answer_state,
    content,
    find,
    join_classroom,
    js_errors,
    wait_answer_sent,
    wait_joined,
    wait_question,
    wait_text,
)

pytestmark = pytest.mark.browser

QUESTION = "Sídney es la capital de Australia."  # false


def test_a_student_who_reloads_keeps_the_open_question_and_their_answer(live_app, demo, browser, teacher_socket):
    teacher = teacher_socket(demo.aula, demo.profesor)
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Carla", with_link=False)
    question = teacher.push(Pregunta.objects.get(texto=QUESTION))
    wait_question(student, QUESTION)

    # Reloaded before answering: the same question, still open to an answer, no join form.
    student.refresh()
    wait_question(student, QUESTION)
    wait_joined(student, "Carla")
    assert not find(student, "#estado-unirse").is_displayed()
    assert answer_state(student) == {
        True: {"pressed": False, "enabled": True},
        False: {"pressed": False, "enabled": True},
    }
    assert content(student, "#estado-envio") == ""

    answer_button(student, False).click()
    wait_answer_sent(student, False)

    # Reloaded after answering: the answer is still there, and cannot be changed.
    student.refresh()
    wait_question(student, QUESTION)
    wait_answer_sent(student, False)
    wait_joined(student, "Carla")

    # One student and one answer for the server, however many reloads.
    assert list(Alumno.objects.filter(aula=demo.aula).values_list("nombre", flat=True)) == ["Carla"]
    assert list(Respuesta.objects.filter(ronda_id=question["round"]).values_list("alumno__nombre", "valor")) == [
        ("Carla", False)
    ]

    # The reloaded page still knows its answer when the round closes.
    teacher.close_round(question["round"])
    wait_text(student, "#resultado-titulo", "¡Correcto!")
    wait_text(student, "#resultado-detalle", "La respuesta era Falso")

    # Reloaded on the result screen: the same result, with the question and their own answer.
    student.refresh()
    wait_text(student, "#resultado-titulo", "¡Correcto!")
    wait_text(student, "#resultado-pregunta", QUESTION)
    wait_text(student, "#resultado-tuya", "Tu respuesta: Falso")
    wait_text(student, "#resultado-detalle", "La respuesta era Falso")
    assert js_errors(student) == []
