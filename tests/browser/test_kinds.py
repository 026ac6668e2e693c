"""Each question kind in real browsers: students on phones answer a choice with a map, a multiple
select, a number with math and a poll, by touch and by keyboard; the panel and the projector show
bars per option or a histogram, and the reveal with its explanation; then the results."""

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.audit import axe_violations, overflow, settled
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    content,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
    screenshot,
    wait_panel_connected,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

MAP = "¿Qué río está marcado en rojo en el mapa?"  # Tajo, option 2
MULTI = "¿Qué ríos desembocan en el océano Atlántico?"  # Tajo 1, Duero 3, Guadalquivir 4
SCALE = "En un mapa a escala"  # 2 km, with math
POLL = "¿Qué paisaje de España te gustaría estudiar a continuación?"


def option(driver, text):
    buttons = [b for b in find_all(driver, ".btn-respuesta") if b.find_element("css selector", ".opcion-texto").text == text]
    assert buttons, f"no option «{text}»"
    return buttons[0]


def push(teacher, text):
    """«Enviar» on the bank's question that starts with ``text`` (a formula reads otherwise once drawn)."""
    items = [li for li in find_all(teacher, "#banco li[data-question]")
             if li.find_element("css selector", ".pregunta").text.startswith(text)]
    assert items, f"no question starting «{text}» in the bank"
    click(teacher, items[0].find_element("css selector", ".btn-enviar"))


def wait_count(driver, key, n):
    wait_until(driver, lambda d: content(d, f"#cuenta-{key}") == str(n), f"#cuenta-{key} never became {n}")


def click(driver, element):
    """A real click, on an element first scrolled to the middle of the screen (the panel is long)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def close(teacher):
    click(teacher, find(teacher, "#btn-cerrar"))
    wait_visible(teacher, "#revelada")


def test_students_answer_every_kind_on_phones_and_the_teacher_sees_it_live(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    wait_panel_connected(teacher)
    projector = browser(LAPTOP)
    log_in_with_cookie(projector, live_app.url, session_cookie(demo.profesor))
    projector.get(f"{live_app.url}/aulas/DEMO01/proyector/")
    ana, beto = browser(PHONE), browser(PHONE)
    join_classroom(ana, live_app.url, "DEMO01", "Ana")
    join_classroom(beto, live_app.url, "DEMO01", "Beto")
    wait_text(teacher, "#conectados", "2")

    # A single choice with a map: the image and its alternative text, four options.
    push(teacher, MAP)
    for student in (ana, beto):
        wait_text(student, "#pregunta-texto", MAP)
        image = wait_visible(student, "#pregunta-imagen")
        assert "Mapa de la península ibérica" in image.get_attribute("alt")
        wait_until(student, lambda d: d.execute_script(
            "const i = document.getElementById('pregunta-imagen'); return i.complete && i.naturalWidth > 0;"), "no map")
        assert [b.find_element("css selector", ".opcion-texto").text for b in find_all(student, ".btn-respuesta")] == [
            "Duero", "Tajo", "Guadiana", "Guadalquivir"]
    settled(ana)
    assert axe_violations(ana) == [] and overflow(ana) is None
    screenshot(ana, "tipo-opciones.png")
    option(ana, "Tajo").send_keys(Keys.ENTER)  # by keyboard
    option(beto, "Duero").click()
    wait_text(ana, "#estado-envio", "Respuesta enviada: Tajo")
    wait_count(teacher, "2", 1)
    wait_count(teacher, "1", 1)
    screenshot(teacher, "tipo-panel.png")
    close(teacher)
    assert [el.get_attribute("id") for el in find_all(teacher, ".barra-etiqueta.correcta")] == ["etiqueta-2"]
    wait_text(teacher, "#revelada", "Respuesta correcta: Tajo")
    assert "Albarracín" in content(teacher, "#explicacion")
    wait_text(ana, "#resultado-titulo", "¡Correcto!")
    wait_text(beto, "#resultado-titulo", "Incorrecto")
    assert "Albarracín" in content(beto, "#resultado-explicacion")
    wait_text(beto, "#resultado-detalle", "La respuesta era Tajo")

    # A multiple select: tick several, then «Enviar»; all or nothing.
    push(teacher, MULTI)
    wait_text(ana, "#pregunta-texto", MULTI)
    wait_text(beto, "#pregunta-texto", MULTI)
    for text in ("Tajo", "Duero", "Guadalquivir"):
        option(ana, text).click()
    assert option(ana, "Duero").get_attribute("aria-pressed") == "true"
    find(ana, "#btn-enviar-varias").click()
    option(beto, "Tajo").click()
    find(beto, "#btn-enviar-varias").click()
    wait_text(ana, "#estado-envio", "Respuesta enviada: Tajo; Duero; Guadalquivir")
    wait_count(teacher, "1", 2)
    wait_count(teacher, "3", 1)
    wait_text(teacher, "#respondieron", "2")
    close(teacher)
    wait_text(ana, "#resultado-titulo", "¡Correcto!")
    wait_text(beto, "#resultado-titulo", "Incorrecto")

    # A number, with math drawn by KaTeX; a decimal comma is fine.
    push(teacher, SCALE)
    for student in (ana, beto):
        wait_visible(student, "#form-numero")
        wait_until(student, lambda d: d.find_elements("css selector", "#pregunta-texto .katex"), "no math drawn")
    find(ana, "#numero").send_keys("2", Keys.ENTER)
    find(beto, "#numero").send_keys("2,5")
    find(beto, "#form-numero button").click()
    wait_text(beto, "#estado-envio", "Respuesta enviada: 2,5")
    wait_text(teacher, "#respondieron", "2")
    close(teacher)
    wait_text(ana, "#resultado-titulo", "¡Correcto!")
    wait_text(beto, "#resultado-titulo", "Incorrecto")
    wait_text(projector, "#revelada", "Respuesta correcta: 2")
    assert len(find_all(projector, "#barras .barra-fila")) >= 2
    assert find_all(projector, "#barras .barra-etiqueta.correcta")
    screenshot(projector, "tipo-numero.png")

    # A poll: votes counted, nobody right or wrong.
    push(teacher, POLL)
    wait_text(ana, "#pregunta-texto", POLL)
    option(ana, "Los ríos").click()
    wait_count(teacher, "3", 1)
    close(teacher)
    wait_text(teacher, "#revelada", "Encuesta: no hay respuesta correcta")
    wait_text(ana, "#resultado-titulo", "Respuesta enviada")

    # The results: a column per round, the poll a vote and not a mark.
    teacher.get(f"{live_app.url}/aulas/DEMO01/resultados/")
    rows = {row.find_element("css selector", "th").text: row for row in find_all(teacher, "tbody tr")}
    assert rows["Ana"].find_element("css selector", "td.fw-bold").text == "3"
    assert "Encuesta" in content(teacher, ".rondas")
    for driver in (teacher, projector, ana, beto):
        assert js_errors(driver) == []
