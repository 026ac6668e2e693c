"""Peer instruction: vote, see the split without the answer, discuss, vote again."""

import pytest

from preguntas.models import Ronda
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    answer_state,
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
    wait_visible,
)

pytestmark = pytest.mark.browser

QUESTION = "Sídney es la capital de Australia."  # false


def test_a_second_vote_after_seeing_the_split(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Iker")
    bank_send_button(teacher, QUESTION).click()
    wait_question(student, QUESTION)
    answer_button(student, True).click()
    wait_answer_sent(student, True)
    wait_tally(teacher, true=1, false=0, answered=1, connected=1)

    find(teacher, "#btn-reparto").click()
    wait_text(student, "#reparto", "La clase ha votado: Verdadero 1 · Falso 0")
    find(teacher, "#btn-revotar").click()
    wait_visible(student, "#segunda")
    wait_question(student, QUESTION)
    assert answer_state(student)[False] == {"pressed": False, "enabled": True}, "a fresh vote"
    wait_visible(teacher, "#segunda-votacion")
    assert not find(teacher, "#revelada").is_displayed(), "the answer stays hidden"

    answer_button(student, False).click()
    wait_answer_sent(student, False)
    find(teacher, "#btn-cerrar").click()
    wait_text(student, "#resultado-titulo", "¡Correcto!")
    first, second = Ronda.objects.order_by("pk")
    assert second.anterior == first

    teacher.get(f"{live_app.url}/aulas/DEMO01/resultados/")
    wait_text(teacher, ".segunda-votacion", "2ª votación: 0 % → 100 % de aciertos (+100)")
    assert js_errors(teacher) == [] and js_errors(student) == []
