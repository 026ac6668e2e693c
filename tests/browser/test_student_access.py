"""The student page on a phone, with the keyboard alone and for screen readers."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from preguntas.models import Pregunta, Respuesta
from tests.browser.conftest import PHONE
from tests.browser.pages import (
    answer_button,
    js_errors,
    wait_answer_sent,
    wait_joined,
    wait_question,
    wait_text,
    wait_until,
)

pytestmark = pytest.mark.browser

FIRST = "Ottawa es la capital de Canadá."  # true
SECOND = "Río de Janeiro es la capital de Brasil."  # false

# Where the answer buttons sit in the viewport, and whether anything is wider than the phone.
LAYOUT = """
const buttons = [...document.querySelectorAll(".btn-respuesta")].map((b) => {
  const r = b.getBoundingClientRect();
  return {tag: b.tagName, type: b.type, left: r.left, right: r.right, height: r.height};
});
return {width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, buttons: buttons};
"""


def keys(driver, *sequence) -> None:
    ActionChains(driver).send_keys(*sequence).perform()


def focused_id(driver) -> str:
    return driver.switch_to.active_element.get_attribute("id")


def tab_to(driver, element, limit: int = 15) -> int:
    """Press Tab until ``element`` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        keys(driver, Keys.TAB)
        if driver.switch_to.active_element == element:
            return presses
    raise AssertionError(f"{element.text!r} is not reachable with Tab")


def test_the_student_page_works_with_the_keyboard_on_a_phone(live_app, demo, browser, teacher_socket):
    teacher = teacher_socket(demo.aula, demo.profesor)
    student = browser(PHONE)

    # Joining from the classroom's link: the name field has the focus, Enter joins.
    student.get(f"{live_app.url}/unirse/DEMO01/")
    wait_until(student, lambda d: focused_id(d) == "nombre", "the name field does not have the focus")
    keys(student, "Elena", Keys.ENTER)
    wait_joined(student, "Elena")
    wait_text(student, "#estado-esperando .fs-3", "Espera la siguiente pregunta")

    question = teacher.push(Pregunta.objects.get(texto=FIRST))
    wait_question(student, FIRST)

    # Screen readers hear the question: it sits in a polite live region.
    region = student.execute_script(
        "const r = document.getElementById('pregunta-texto').closest('[aria-live]');"
        "return r && [r.getAttribute('aria-live'), r.contains(document.querySelector('.btn-respuesta'))];"
    )
    assert region == ["polite", False]

    # Two real buttons, each at least 64 px tall, inside a 375 px wide screen, no sideways scroll.
    layout = student.execute_script(LAYOUT)
    assert layout["width"] == 375
    assert layout["scrollWidth"] <= 375
    assert len(layout["buttons"]) == 2
    for button in layout["buttons"]:
        assert (button["tag"], button["type"]) == ("BUTTON", "button")
        assert button["height"] >= 64
        assert 0 <= button["left"] < button["right"] <= 375

    # Tab reaches Verdadero, then Falso; Enter answers.
    tab_to(student, answer_button(student, True))
    keys(student, Keys.TAB)
    assert student.switch_to.active_element == answer_button(student, False)
    keys(student, Keys.ENTER)
    wait_answer_sent(student, False)
    teacher.close_round(question["round"])
    wait_text(student, "#resultado-titulo", "Incorrecto")

    # Next round: the space bar answers too.
    question = teacher.push(Pregunta.objects.get(texto=SECOND))
    wait_question(student, SECOND)
    tab_to(student, answer_button(student, True))
    keys(student, Keys.SPACE)
    wait_answer_sent(student, True)
    teacher.close_round(question["round"])
    wait_text(student, "#resultado-titulo", "Incorrecto")

    assert list(Respuesta.objects.order_by("pk").values_list("alumno__nombre", "valor")) == [
        ("Elena", False),
        ("Elena", True),
    ]
    assert js_errors(student) == []
