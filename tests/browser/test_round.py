"""A whole class round in real browsers: the teacher's panel and two students' pages."""

import pytest
from selenium.webdriver.common.by import By

from preguntas.models import Pregunta
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    content,
    find,
    find_all,
    join_classroom,
    js_errors,
    screenshot,
    wait_answer_sent,
    wait_chips,
    wait_hidden,
    wait_panel_connected,
    wait_question,
    wait_tally,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

FIRST = "Bogotá es la capital de Colombia."  # true


def test_teacher_and_two_students_play_a_round_live(live_app, demo, browser):
    # The demo teacher logs in with the login form and opens the classroom.
    teacher = browser(LAPTOP)
    teacher.get(live_app.url + "/aulas/")
    wait_until(teacher, lambda d: "/cuentas/entrar/" in d.current_url, "the classroom list did not ask to log in")
    find(teacher, "input[name=username]").send_keys("profesor")
    find(teacher, "input[name=password]").send_keys("profesor")
    find(teacher, "form button[type=submit]").click()
    wait_until(teacher, lambda d: d.current_url == live_app.url + "/aulas/", "the login did not lead to the classrooms")
    teacher.find_element(By.LINK_TEXT, "3ºB Geografía").click()
    wait_panel_connected(teacher)
    assert content(teacher, "#codigo") == "DEMO01"

    # Two students join: one on a phone typing the code, one on a laptop from the link.
    ana = browser(PHONE)
    join_classroom(ana, live_app.url, "demo01", "Ana", with_link=False)
    beto = browser(LAPTOP)
    join_classroom(beto, live_app.url, "DEMO01", "Beto")
    for student in (ana, beto):
        wait_text(student, "#estado-esperando .fs-3", "Espera la siguiente pregunta")
        assert content(student, "#aula-nombre") == "3ºB Geografía"
        student.execute_script("window.sinRecargar = true;")
    wait_chips(teacher, {"Ana": set(), "Beto": set()})
    wait_text(teacher, "#conectados", "2")

    # The teacher pushes a question; both students see it without reloading.
    bank_send_button(teacher, FIRST).click()
    wait_visible(teacher, "#ronda")
    wait_text(teacher, "#ronda-texto", FIRST)
    for student in (ana, beto):
        wait_question(student, FIRST)
        assert student.execute_script("return window.sinRecargar") is True, "the page reloaded"
        assert all(button.is_enabled() for button in find_all(student, ".btn-respuesta"))
    screenshot(ana, "alumno.png")

    # They answer differently; the panel shows the counts and who answered, as they land.
    answer_button(ana, True).click()
    wait_answer_sent(ana, True)
    wait_tally(teacher, true=1, false=0, answered=1, connected=2)
    wait_chips(teacher, {"Ana": {"respondio"}, "Beto": set()})
    answer_button(beto, False).click()
    wait_answer_sent(beto, False)
    wait_tally(teacher, true=1, false=1, answered=2, connected=2)
    wait_chips(teacher, {"Ana": {"respondio"}, "Beto": {"respondio"}})
    # The panel may be projected: the correct answer stays hidden until the teacher reveals it.
    assert not find(teacher, "#revelada").is_displayed()
    assert not find_all(teacher, ".barra-etiqueta.correcta")
    screenshot(teacher, "panel.png")

    # The teacher closes; everyone sees the correct answer, each student whether they were right.
    find(teacher, "#btn-cerrar").click()
    wait_text(teacher, "#revelada", "Respuesta correcta: Verdadero")
    assert [label.get_attribute("id") for label in find_all(teacher, ".barra-etiqueta.correcta")] == ["etiqueta-true"]
    wait_chips(teacher, {"Ana": {"respondio", "acierto"}, "Beto": {"respondio", "fallo"}})
    wait_text(ana, "#resultado-titulo", "¡Correcto!")
    wait_text(ana, "#resultado-detalle", "La respuesta era Verdadero")
    wait_text(beto, "#resultado-titulo", "Incorrecto")
    wait_text(beto, "#resultado-detalle", "La respuesta era Verdadero")
    wait_text(beto, "#resultado-tuya", "Tu respuesta: Falso")
    wait_text(beto, "#resultado-pregunta", FIRST)
    assert [content(item, "span") for item in find_all(teacher, "#historial li")][:1] == [FIRST]

    # «Siguiente» pushes the next question of the bank; only Ana answers it.
    find(teacher, "#btn-siguiente").click()
    wait_until(teacher, lambda d: content(d, "#ronda-texto") not in ("", FIRST), "«Siguiente» pushed nothing")
    wait_hidden(teacher, "#revelada")
    second = Pregunta.objects.get(texto=content(teacher, "#ronda-texto"))
    for student in (ana, beto):
        wait_question(student, second.texto)
    answer_button(ana, second.respuesta).click()
    wait_answer_sent(ana, second.respuesta)
    wait_tally(teacher, true=int(second.respuesta), false=int(not second.respuesta), answered=1, connected=2)
    find(teacher, "#btn-cerrar").click()
    word = "Verdadero" if second.respuesta else "Falso"
    wait_text(teacher, "#revelada", f"Respuesta correcta: {word}")
    wait_text(ana, "#resultado-titulo", "¡Correcto!")
    wait_text(beto, "#resultado-titulo", "Sin respuesta")
    wait_text(beto, "#resultado-detalle", f"La respuesta era {word}")

    # The results page: one row per student, one column per round.
    teacher.find_element(By.LINK_TEXT, "Resultados").click()
    wait_visible(teacher, "table.resultados")
    rows = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in find_all(teacher, "table.resultados tbody tr")
    ]
    assert rows == [["Ana", "2", "✓", "✓"], ["Beto", "0", "✗", "–"]]
    footer = [cell.text for cell in find_all(teacher, "table.resultados tfoot td")]
    assert footer == ["", "50 %", "100 %"]
    screenshot(teacher, "resultados.png")

    for page in (teacher, ana, beto):
        assert js_errors(page) == []
