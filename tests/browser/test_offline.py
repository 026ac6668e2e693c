"""An answer given while the connection is down is sent when it comes back, if it still can be."""

import pytest

from preguntas.game import rounds
from preguntas.models import Pregunta, Respuesta
from tests.browser.conftest import PHONE
from tests.browser.pages import (
    answer_button,
    answer_state,
    join_classroom,
    js_errors,
    wait_answer_sent,
    wait_question,
    wait_text,
    wait_visible,
)

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."
RECONNECT_WAIT = 60  # the back-off between attempts grows to 5 s


def offline_answer(live_app, demo, browser, teacher_socket, value: bool):
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Eva")
    question = teacher_socket(demo.aula, demo.profesor).push(Pregunta.objects.get(texto=QUESTION))
    wait_question(student, QUESTION)
    live_app.stop()
    wait_visible(student, "#reconectando")
    answer_button(student, value).click()
    word = "Verdadero" if value else "Falso"
    wait_text(student, "#estado-envio", f"Sin conexión: enviaremos «{word}» en cuanto vuelva la conexión.")
    assert answer_state(student)[value] == {"pressed": True, "enabled": False}
    return student, question


def test_an_answer_given_offline_is_sent_on_reconnect(live_app, demo, browser, teacher_socket):
    student, question = offline_answer(live_app, demo, browser, teacher_socket, True)
    live_app.start()
    wait_answer_sent(student, True)
    assert list(Respuesta.objects.filter(ronda_id=question["round"]).values_list("alumno__nombre", "valor")) == [
        ("Eva", True)
    ]
    assert js_errors(student) == []


def test_an_answer_given_offline_is_dropped_if_the_round_closed_meanwhile(live_app, demo, browser, teacher_socket):
    student, question = offline_answer(live_app, demo, browser, teacher_socket, False)
    rounds.close(demo.aula, question["round"])
    live_app.start()
    wait_text(
        student, "#aviso-espera", "La pregunta se cerró antes de recuperar la conexión: tu respuesta no se envió.",
        timeout=RECONNECT_WAIT,
    )
    assert not Respuesta.objects.exists()


def test_a_multiple_select_or_a_number_given_offline_is_sent_on_reconnect(live_app, demo, browser, teacher_socket):
    """Every kind's answer waits in the queue in its own field (`options`, `number`)."""
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Eva")
    multi = Pregunta.objects.get(texto="¿Qué ríos desembocan en el océano Atlántico?")
    question = teacher_socket(demo.aula, demo.profesor).push(multi)
    wait_question(student, multi.texto)
    live_app.stop()
    wait_visible(student, "#reconectando")
    for text in ("Tajo", "Duero"):
        [button] = [b for b in student.find_elements("css selector", ".btn-respuesta") if b.text.endswith(text)]
        button.click()
    student.find_element("css selector", "#btn-enviar-varias").click()
    wait_text(student, "#estado-envio", "Sin conexión: enviaremos «Tajo; Duero» en cuanto vuelva la conexión.")
    live_app.start()
    wait_text(student, "#estado-envio", "Respuesta enviada: Tajo; Duero", timeout=RECONNECT_WAIT)
    assert list(Respuesta.objects.filter(ronda_id=question["round"]).values_list("valor", flat=True)) == [[1, 3]]

    number = Pregunta.objects.get(texto="¿Cuántas comunidades autónomas tiene España?")
    question = teacher_socket(demo.aula, demo.profesor).push(number)  # the first socket went with the server
    wait_question(student, number.texto)
    live_app.stop()
    wait_visible(student, "#reconectando")
    student.find_element("css selector", "#numero").send_keys("17\n")
    wait_text(student, "#estado-envio", "Sin conexión: enviaremos «17» en cuanto vuelva la conexión.")
    live_app.start()
    wait_text(student, "#estado-envio", "Respuesta enviada: 17", timeout=RECONNECT_WAIT)
    assert list(Respuesta.objects.filter(ronda_id=question["round"]).values_list("valor", flat=True)) == [17]
    assert js_errors(student) == []
