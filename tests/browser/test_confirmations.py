"""What cannot be undone asks first, and says what it did; a student can leave the classroom."""

import pytest
from selenium.webdriver.support import expected_conditions

from preguntas.models import Cuestionario
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    content,
    find,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser


def answer_dialog(driver, accept: bool) -> str:
    alert = wait_until(driver, expected_conditions.alert_is_present(), "no confirmation was asked")
    text = alert.text
    alert.accept() if accept else alert.dismiss()
    return text


def test_deleting_a_quiz_asks_first_and_says_it_is_gone(live_app, demo, browser):
    quiz = Cuestionario.objects.create(nombre="Repaso de ríos", propietario=demo.profesor)
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    teacher.get(f"{live_app.url}/cuestionarios/{quiz.pk}/")
    assert content(teacher, "h1") == "Repaso de ríos"

    find(teacher, "input[value=borrar] ~ button").click()
    assert "¿Borrar el cuestionario «Repaso de ríos»?" in answer_dialog(teacher, accept=False)
    assert Cuestionario.objects.filter(pk=quiz.pk).exists(), "cancelled: nothing deleted"

    find(teacher, "input[value=borrar] ~ button").click()
    answer_dialog(teacher, accept=True)
    wait_until(teacher, lambda d: d.current_url.endswith("/cuestionarios/"), "not back to the quizzes")
    assert "Cuestionario «Repaso de ríos» borrado." in content(teacher, "main .alert")
    assert not Cuestionario.objects.filter(pk=quiz.pk).exists()
    assert js_errors(teacher) == []


def test_a_student_leaves_and_the_device_forgets_them(live_app, demo, browser):
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Gala")
    find(student, "#btn-salir").click()
    answer_dialog(student, accept=True)
    wait_visible(student, "#estado-unirse")
    assert student.execute_script("return localStorage.getItem('qrt-token-DEMO01')") is None
    student.refresh()
    wait_visible(student, "#estado-unirse")  # a reload does not bring Gala back
    assert js_errors(student) == []
