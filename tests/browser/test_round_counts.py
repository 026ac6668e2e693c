"""The counts of a new round start at zero of the students connected, on the panel and the projector."""

import pytest

from preguntas.models import Cuestionario, Pregunta
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    find,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
    wait_panel_connected,
    wait_answer_sent,
    wait_question,
    wait_tally,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

FIRST, SECOND = "Lima es la capital de Perú.", "Sídney es la capital de Australia."


def test_next_starts_the_new_question_at_zero_on_the_panel_and_the_projector(live_app, demo, browser):
    quiz = Cuestionario.objects.create(nombre="Dos", propietario=demo.profesor)
    for texto in (FIRST, SECOND):
        quiz.anadir(Pregunta.objects.get(texto=texto))
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    teacher.get(f"{live_app.url}/aulas/DEMO01/?cuestionario={quiz.pk}")
    wait_panel_connected(teacher)
    projector = browser(LAPTOP)
    log_in_with_cookie(projector, live_app.url, session_cookie(demo.profesor))
    projector.get(f"{live_app.url}/aulas/DEMO01/proyector/")
    wait_until(projector, lambda d: find(d, "#conexion").get_attribute("data-status") == "open", "projector never connected")
    students = []
    for name in ("Ana", "Beto", "Carla"):
        students.append(browser(PHONE))
        join_classroom(students[-1], live_app.url, "DEMO01", name)

    bank_send_button(teacher, FIRST).click()
    for student, value in zip(students, (True, True, False)):
        wait_question(student, FIRST)
        answer_button(student, value).click()
        wait_answer_sent(student, value)
    for screen in (teacher, projector):
        wait_tally(screen, true=2, false=1, answered=3, connected=3)
    find(teacher, "#btn-cerrar").click()
    wait_visible(teacher, "#btn-siguiente").click()

    for screen in (teacher, projector):
        wait_text(screen, "#ronda-texto", SECOND)
        wait_tally(screen, true=0, false=0, answered=0, connected=3)
    assert js_errors(teacher) == [] and js_errors(projector) == []


def test_the_first_push_from_a_fresh_panel_counts_the_students_connected(live_app, demo, browser):
    for name in ("Dani", "Eva"):
        join_classroom(browser(PHONE), live_app.url, "DEMO01", name)
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    bank_send_button(teacher, FIRST).click()
    wait_text(teacher, "#ronda-texto", FIRST)
    wait_tally(teacher, true=0, false=0, answered=0, connected=2)
    assert js_errors(teacher) == []
