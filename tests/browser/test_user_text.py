"""Questions and names are text: markup typed by a teacher or a student shows as typed and runs nothing."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from preguntas.models import Pregunta, Ronda
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    content,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
    wait_answer_sent,
    wait_chips,
    wait_question,
    wait_tally,
    wait_text,
    wait_visible,
)

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
QUESTION = f'¿Se ve como texto? {IMG} <script>window.xss = "pregunta"; alert(2)</script>'
TOPIC = "<b onmouseover=alert(3)>Tema</b>"
# Names are at most 40 characters: one payload each.
NAME_IMG = IMG
NAME_SCRIPT = '<script>window.xss = "nombre"</script>'

# Installed before any page script: records alerts instead of blocking on them.
SPY = "window.alerts = []; window.alert = (message) => { window.alerts.push(String(message)); };"

# What the payloads would leave behind had any of them been parsed as HTML.
TRACES = """
return {
  images: document.querySelectorAll('img[src="x"]').length,
  bold: document.querySelectorAll('b[onmouseover]').length,
  scripts: [...document.scripts].filter((s) => s.textContent.includes("xss")).length,
  flag: window.xss === undefined ? null : String(window.xss),
  alerts: window.alerts,
};
"""
CLEAN = {"images": 0, "bold": 0, "scripts": 0, "flag": None, "alerts": []}


def new_browser(browser, viewport):
    driver = browser(viewport)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SPY})
    return driver


def assert_inert(driver, *literals):
    """The page shows each literal as text, and nothing in it ran or became an element."""
    body = driver.find_element(By.TAG_NAME, "body").text
    for literal in literals:
        assert literal in body, f"{literal!r} is not visible as text on {driver.current_url}"
    assert driver.execute_script(TRACES) == CLEAN, driver.current_url
    assert not expected_conditions.alert_is_present()(driver)


def test_markup_in_questions_and_names_is_shown_as_text_and_runs_nothing(live_app, demo, browser):
    pregunta = Pregunta.objects.create(texto=QUESTION, respuesta=False, tema=TOPIC, propietario=demo.profesor)

    teacher = new_browser(browser, LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    students = {NAME_IMG: new_browser(browser, PHONE), NAME_SCRIPT: new_browser(browser, PHONE)}
    for name, student in students.items():
        join_classroom(student, live_app.url, "DEMO01", name)
        wait_text(student, "#alumno-nombre", name)
    assert sorted(demo.aula.alumnos.values_list("nombre", flat=True)) == sorted(students)

    # The panel: the bank, the topic filter, the student chips.
    wait_chips(teacher, {NAME_IMG: set(), NAME_SCRIPT: set()})
    assert_inert(teacher, QUESTION, TOPIC, NAME_IMG, NAME_SCRIPT)
    assert TOPIC in [option.get_attribute("textContent") for option in find_all(teacher, "select[name=tema] option")]

    # Live: the round card on the panel, the question on the students' phones.
    bank_send_button(teacher, pregunta.texto).click()
    wait_text(teacher, "#ronda-texto", QUESTION)
    for name, student in students.items():
        wait_question(student, QUESTION)
        assert_inert(student, QUESTION)
    answer_button(students[NAME_IMG], True).click()
    wait_answer_sent(students[NAME_IMG], True)
    wait_chips(teacher, {NAME_IMG: {"respondio"}, NAME_SCRIPT: set()})
    answer_button(students[NAME_SCRIPT], False).click()
    wait_answer_sent(students[NAME_SCRIPT], False)
    wait_chips(teacher, {NAME_IMG: {"respondio"}, NAME_SCRIPT: {"respondio"}})
    wait_tally(teacher, true=1, false=1, answered=2, connected=2)
    find(teacher, "#btn-cerrar").click()
    wait_text(teacher, "#revelada", "Respuesta correcta: Falso")
    wait_chips(teacher, {NAME_IMG: {"respondio", "fallo"}, NAME_SCRIPT: {"respondio", "acierto"}})
    assert content(teacher, "#historial li span") == QUESTION
    assert_inert(teacher, QUESTION, NAME_IMG, NAME_SCRIPT)
    wait_text(students[NAME_SCRIPT], "#resultado-titulo", "¡Correcto!")
    wait_text(students[NAME_IMG], "#resultado-titulo", "Incorrecto")

    # The panel as the server renders it (the history) after a reload.
    teacher.refresh()
    wait_text(teacher, "#historial li span", QUESTION)
    wait_chips(teacher, {NAME_IMG: set(), NAME_SCRIPT: set()})
    assert_inert(teacher, QUESTION, NAME_IMG, NAME_SCRIPT)

    # The results page: names in the rows, the question in the round list and the column tooltip.
    teacher.get(f"{live_app.url}/aulas/DEMO01/resultados/")
    wait_visible(teacher, "table.resultados")
    assert find(teacher, "table.resultados thead th[title]").get_attribute("title") == QUESTION
    assert_inert(teacher, QUESTION, NAME_IMG, NAME_SCRIPT)

    # The question bank page.
    teacher.get(f"{live_app.url}/preguntas/?q=texto")
    assert_inert(teacher, QUESTION, TOPIC)

    # The admin: change lists and change pages that show questions, rounds and names.
    ronda = Ronda.objects.get()
    for path, literals in [
        ("/admin/preguntas/pregunta/", [QUESTION, TOPIC]),
        (f"/admin/preguntas/pregunta/{pregunta.pk}/change/", []),
        ("/admin/preguntas/alumno/", [NAME_IMG, NAME_SCRIPT]),
        ("/admin/preguntas/ronda/", [QUESTION]),
        (f"/admin/preguntas/ronda/{ronda.pk}/change/", [QUESTION, NAME_IMG, NAME_SCRIPT]),
        ("/admin/preguntas/respuesta/", [NAME_IMG, NAME_SCRIPT]),
        (f"/admin/preguntas/aula/{demo.aula.pk}/change/", [QUESTION]),
    ]:
        teacher.get(live_app.url + path)
        wait_visible(teacher, "#content")
        assert_inert(teacher, *literals)
    # Form fields hold the text as their value, not as markup.
    teacher.get(f"{live_app.url}/admin/preguntas/pregunta/{pregunta.pk}/change/")
    assert find(teacher, "textarea[name=texto], input[name=texto]").get_attribute("value") == QUESTION
    assert find(teacher, "input[name=tema]").get_attribute("value") == TOPIC

    for driver in (teacher, *students.values()):
        assert js_errors(driver) == []
