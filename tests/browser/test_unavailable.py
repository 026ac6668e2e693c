"""An answer the server could not store (`unavailable`) is sent again by the page, and lands once."""

import pytest

from preguntas.models import Pregunta, Respuesta
from tests.browser.conftest import PHONE
from tests.browser.pages import answer_button, join_classroom, js_errors, wait_answer_sent, wait_question

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."


@pytest.fixture
def failing_stores(live_app):
    """The server with its first two batches of answers failing, as when the database is down."""
    live_app.stop()
    live_app.app = "tests.multiprocess.slow_asgi:application"
    live_app.env["QRT_TEST_FAILED_STORES"] = "2"
    live_app.start()
    yield live_app
    live_app.stop()
    live_app.app = "QuestionsRT.asgi:application"
    del live_app.env["QRT_TEST_FAILED_STORES"]
    live_app.start()


def test_the_page_sends_an_answer_again_after_unavailable(failing_stores, demo, browser, teacher_socket):
    student = browser(PHONE)
    join_classroom(student, failing_stores.url, "DEMO01", "Gala")
    question = teacher_socket(demo.aula, demo.profesor).push(Pregunta.objects.get(texto=QUESTION))
    wait_question(student, QUESTION)
    answer_button(student, False).click()
    wait_answer_sent(student, False)  # after two refusals, without a reload or a reconnect
    assert list(Respuesta.objects.filter(ronda_id=question["round"]).values_list("alumno__nombre", "valor")) == [
        ("Gala", False)
    ]
    assert js_errors(student) == []
