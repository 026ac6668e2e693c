"""The projector: join code and QR, the live question and its chart, no controls."""

import pytest

from preguntas.models import Pregunta
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    open_panel,
    chips,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    screenshot,
    wait_answer_sent,
    wait_chips,
    wait_question,
    wait_tally,
    wait_text,
    wait_until,
)

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."  # true


def open_projector(driver, live_app, demo, query=""):
    log_in_with_cookie(driver, live_app.url, session_cookie(demo.profesor))
    driver.get(f"{live_app.url}/aulas/DEMO01/proyector/{query}")
    wait_until(driver, lambda d: find(d, "#conexion").get_attribute("data-status") == "open", "projector never connected")


def test_the_projector_shows_the_round_live_and_the_answer_only_after_close(live_app, demo, browser, teacher_socket):
    projector = browser(LAPTOP)
    open_projector(projector, live_app, demo)
    assert find(projector, "#codigo").text == "DEMO01"
    assert find(projector, ".qr svg").is_displayed()
    assert not find_all(projector, "button"), "the projector has no controls"
    assert not find_all(projector, "#alumnos"), "no student names unless the teacher asks"

    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Ana")
    teacher = teacher_socket(demo.aula, demo.profesor)
    question = teacher.push(Pregunta.objects.get(texto=QUESTION))
    wait_text(projector, "#ronda-texto", QUESTION)
    wait_question(student, QUESTION)
    answer_button(student, False).click()
    wait_answer_sent(student, False)
    wait_tally(projector, true=0, false=1, answered=1, connected=1)
    assert not find(projector, "#revelada").is_displayed()
    # How many answered, not how they voted: the split waits for «Mostrar reparto» or the close.
    assert not any(row.is_displayed() for row in find_all(projector, ".barra-fila"))
    wait_text(projector, "#reparto-espera", "El reparto de votos se verá al cerrar la pregunta.")
    teacher.send({"type": "split", "round": question["round"]})
    wait_until(projector, lambda d: all(row.is_displayed() for row in find_all(d, ".barra-fila")), "no split")
    assert not find(projector, "#reparto-espera").is_displayed()
    screenshot(projector, "proyector.png")

    teacher.close_round(question["round"])
    wait_text(projector, "#revelada", "Respuesta correcta: Verdadero")
    assert js_errors(projector) == []


def test_the_teacher_can_show_names_on_the_projector(live_app, demo, browser):
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Beto")
    projector = browser(LAPTOP)
    open_projector(projector, live_app, demo, "?nombres=1")
    wait_chips(projector, {"Beto": set()})
    assert set(chips(projector)) == {"Beto"}


def test_a_classroom_can_show_the_split_live_on_the_projector(live_app, demo, browser, teacher_socket):
    demo.aula.reparto_en_directo = True
    demo.aula.save()
    projector = browser(LAPTOP)
    open_projector(projector, live_app, demo)
    teacher_socket(demo.aula, demo.profesor).push(Pregunta.objects.get(texto=QUESTION))
    wait_text(projector, "#ronda-texto", QUESTION)
    assert all(row.is_displayed() for row in find_all(projector, ".barra-fila"))
    assert not find_all(projector, "#reparto-espera") or not find(projector, "#reparto-espera").is_displayed()


def test_the_panel_says_when_the_split_is_on_screen(live_app, demo, browser):
    panel = browser(LAPTOP)
    log_in_with_cookie(panel, live_app.url, session_cookie(demo.profesor))
    open_panel(panel, live_app.url, "DEMO01")
    bank_send_button(panel, QUESTION).click()
    wait_text(panel, "#btn-reparto", "Mostrar reparto")
    assert all(row.is_displayed() for row in find_all(panel, ".barra-fila")), "the teacher's own panel shows it"
    find(panel, "#btn-reparto").click()
    wait_text(panel, "#btn-reparto", "Reparto a la vista")
    assert find(panel, "#btn-reparto").get_attribute("aria-pressed") == "true"
    assert js_errors(panel) == []
