"""Students may say they are not sure; the teacher sees who guessed and who is sure but wrong."""

import pytest

from preguntas.models import Pregunta, Respuesta
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    find,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
    wait_answer_sent,
    wait_question,
    wait_tally,
    wait_text,
)

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."  # true


def test_confidence_is_sent_with_the_answer_and_shown_after_the_reveal(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    sure, guessing = browser(PHONE), browser(PHONE)
    join_classroom(sure, live_app.url, "DEMO01", "Gil")
    join_classroom(guessing, live_app.url, "DEMO01", "Hana")
    bank_send_button(teacher, QUESTION).click()
    for student in (sure, guessing):
        wait_question(student, QUESTION)
    answer_button(sure, False).click()  # wrong, and sure of it
    find(guessing, "#no-seguro").click()
    answer_button(guessing, True).click()  # right, guessing
    wait_answer_sent(sure, False)
    wait_answer_sent(guessing, True)
    assert not find(guessing, "#no-seguro").is_enabled()
    wait_tally(teacher, true=1, false=1, answered=2, connected=2)
    assert not find(teacher, "#confianza").is_displayed(), "nothing about confidence before the reveal"

    find(teacher, "#btn-cerrar").click()
    wait_text(teacher, "#confianza", "Aciertos seguros: 0 · Aciertos adivinando: 1 · Errores seguros: 1")
    assert sorted(Respuesta.objects.values_list("alumno__nombre", "seguro")) == [("Gil", True), ("Hana", False)]

    teacher.get(f"{live_app.url}/aulas/DEMO01/resultados/")
    wait_text(teacher, ".confianza",
              "Aciertos seguros 0 · Aciertos adivinando 1 · Errores seguros (ideas erróneas) 1 · Errores dudando 0")
    assert Pregunta.objects.filter(texto=QUESTION).exists()
    assert js_errors(teacher) == [] and js_errors(sure) == [] and js_errors(guessing) == []
