"""The question editor on a 375-px phone, by keyboard: a kind chosen, options added, moved and
marked, formulas drawn as typed, the phone preview; no axe-core violation, nothing wider than
the phone, nothing the Content-Security-Policy blocks (KaTeX included)."""

import pytest
from PIL import Image
from selenium.webdriver.common.keys import Keys

from preguntas.models import Pregunta
from tests.browser.audit import axe_violations, overflow
from tests.browser.conftest import PHONE, session_cookie
from tests.browser.pages import content, find, find_all, js_errors, log_in_with_cookie, wait_until, wait_visible
from tests.factories import PreguntaFactory, TeacherFactory

pytestmark = pytest.mark.browser

STATEMENT = "¿Cuánto es \\( \\frac{1}{2} + \\frac{1}{4} \\)? <b>sin negrita</b>"


def problems(driver, label: str) -> list[str]:
    found = [f"{label}: {v}" for v in axe_violations(driver)]
    if wide := overflow(driver):
        found.append(f"{label}: {wide}")
    return found + [f"{label}: {e}" for e in js_errors(driver)]


def loaded(driver, url: str) -> None:
    driver.get(url)
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete", url)


def focused(driver):
    return driver.switch_to.active_element


def shown_options(driver) -> list[str]:
    return [row.find_element("css selector", "input[name=opciones]").get_attribute("value")
            for row in find_all(driver, "#opciones [data-option]") if row.is_displayed()]


def preview_answers(driver) -> list[str]:
    return [" ".join(b.text.split()) for b in find_all(driver, "#movil-respuestas .btn-respuesta")]


@pytest.fixture
def teacher(live_app):
    return TeacherFactory(username="lucia")


def test_a_choice_question_is_written_by_keyboard_on_a_phone(live_app, browser, teacher):
    driver = browser(PHONE)
    log_in_with_cookie(driver, live_app.url, session_cookie(teacher))
    loaded(driver, f"{live_app.url}/preguntas/nueva/")
    found = problems(driver, "new question")

    # The kind: from true/false to one answer among several, with the arrow keys.
    find(driver, "#id_tipo_0").send_keys(Keys.ARROW_RIGHT)
    wait_visible(driver, "fieldset[data-answer=opciones]")
    assert not find(driver, "fieldset[data-answer=respuesta]").is_displayed()
    assert shown_options(driver) == ["", ""]
    assert {m.get_attribute("type") for m in find_all(driver, "input[name=opciones_correcta]")} == {"radio"}

    # The statement: its formula drawn under it and in the phone preview; the markup stays text.
    find(driver, "#id_texto").send_keys(STATEMENT)
    wait_visible(driver, "#texto-vista .katex")
    wait_until(driver, lambda d: find_all(d, "#movil-texto .katex"), "the preview never drew the formula")
    assert "<b>sin negrita</b>" in content(driver, "#movil-texto") and not find_all(driver, "#movil b")

    # Two options typed, a third added with the button, then moved up to the top.
    find(driver, "#opcion-1").send_keys("\\( \\frac{3}{4} \\)")
    find(driver, "#opcion-2").send_keys("\\( \\frac{2}{6} \\)")
    find(driver, "#opcion-anadir").send_keys(Keys.ENTER)
    focused(driver).send_keys("Ninguna")
    assert shown_options(driver) == ["\\( \\frac{3}{4} \\)", "\\( \\frac{2}{6} \\)", "Ninguna"]
    find(driver, "[aria-label='Subir la opción 3']").send_keys(Keys.ENTER)
    focused(driver).send_keys(Keys.ENTER)
    assert shown_options(driver) == ["Ninguna", "\\( \\frac{3}{4} \\)", "\\( \\frac{2}{6} \\)"]
    wait_until(driver, lambda d: preview_answers(d)[:1] == ["▲ Ninguna"], "the preview never followed the move")
    assert len(find_all(driver, "#movil-respuestas .katex")) == 2

    # The right one: the radio of the row that now reads 3/4.
    find(driver, "#opcion-1").find_element("xpath", "ancestor::li").find_element("css selector", "input[type=radio]").send_keys(Keys.SPACE)
    find(driver, "#id_explicacion").send_keys("\\[ \\frac{1}{2} + \\frac{1}{4} = \\frac{3}{4} \\]")
    wait_visible(driver, "#movil-explicacion .katex-display")
    found += problems(driver, "choice question filled in")

    find(driver, "#editor button[type=submit]").send_keys(Keys.ENTER)
    wait_until(driver, lambda d: d.current_url.endswith("/preguntas/"), "the question was not saved")
    pregunta = Pregunta.objects.get(propietario=teacher)
    assert pregunta.tipo == "choice"
    assert [(o["id"], o["text"], o["correct"]) for o in pregunta.opciones] == [
        (1, "Ninguna", False), (2, "\\( \\frac{3}{4} \\)", True), (3, "\\( \\frac{2}{6} \\)", False),
    ]
    wait_visible(driver, "#tabla-preguntas .katex")
    found += problems(driver, "bank")
    assert found == []


def test_editing_on_a_phone_keeps_ids_and_previews_a_chosen_image(live_app, browser, teacher, tmp_path):
    pregunta = PreguntaFactory(
        propietario=teacher, tipo="multi", respuesta=None, texto="¿Qué ríos desembocan en el Atlántico?",
        opciones=[{"id": 1, "text": "Tajo", "correct": True}, {"id": 2, "text": "Ebro", "correct": False},
                  {"id": 3, "text": "Duero", "correct": True}],
    )
    driver = browser(PHONE)
    log_in_with_cookie(driver, live_app.url, session_cookie(teacher))
    loaded(driver, f"{live_app.url}/preguntas/{pregunta.pk}/editar/")
    found = problems(driver, "edit question")
    assert shown_options(driver) == ["Tajo", "Ebro", "Duero"]
    assert {m.get_attribute("type") for m in find_all(driver, "input[name=opciones_correcta]")} == {"checkbox"}
    assert preview_answers(driver) == ["▲ Tajo", "◆ Ebro", "● Duero"]

    # A picture chosen shows in the preview at once (read in the page; the policy allows data:),
    # and then its text is required.
    picture = tmp_path / "mapa.png"
    Image.new("RGB", (640, 400), (30, 120, 200)).save(picture)
    find(driver, "#id_imagen").send_keys(str(picture))
    wait_until(driver, lambda d: (find(d, "#movil-imagen").get_attribute("src") or "").startswith("data:image/png"),
               "the chosen image never showed in the preview")
    assert find(driver, "#id_imagen_alt").get_attribute("required") is not None
    find(driver, "#id_imagen_alt").send_keys("Mapa de España")
    found += problems(driver, "image chosen")
    driver.execute_script("document.getElementById('id_imagen').value = ''")  # not sent: the server tests cover uploads
    find(driver, "#id_imagen_alt").clear()

    # Ebro removed, Miño added: Tajo and Duero keep their ids, Miño gets the next one.
    find(driver, "[aria-label='Quitar la opción 2']").send_keys(Keys.ENTER)
    assert shown_options(driver) == ["Tajo", "Duero"]
    assert focused(driver).get_attribute("value") == "Duero"
    assert find(driver, "[aria-label='Quitar la opción 2']").get_attribute("disabled") is not None  # two at least
    find(driver, "#opcion-anadir").send_keys(Keys.ENTER)
    focused(driver).send_keys("Miño")
    find(driver, "#editor button[type=submit]").send_keys(Keys.ENTER)
    wait_until(driver, lambda d: d.current_url.endswith("/preguntas/"), "the question was not saved")
    pregunta.refresh_from_db()
    assert [(o["id"], o["text"], o["correct"]) for o in pregunta.opciones] == [
        (1, "Tajo", True), (3, "Duero", True), (4, "Miño", False),
    ]
    assert found == []


def test_without_javascript_the_editor_still_saves_a_question_with_options(live_app, browser, teacher):
    """The page as it comes from the server: six option rows, every answer on show."""
    driver = browser(PHONE)
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    log_in_with_cookie(driver, live_app.url, session_cookie(teacher))
    loaded(driver, f"{live_app.url}/preguntas/nueva/")
    assert len([i for i in find_all(driver, "input[name=opciones]") if i.is_displayed()]) == 6
    assert find(driver, "fieldset[data-answer=numero]").is_displayed()
    find(driver, "#id_tipo_0").send_keys(Keys.ARROW_RIGHT * 3)  # the poll
    find(driver, "#id_texto").send_keys("¿Qué región te gustaría visitar?")
    for n, text in enumerate(["Galicia", "Aragón", "Murcia"], 1):
        find(driver, f"#opcion-{n}").send_keys(text)
    find(driver, "#editor button[type=submit]").send_keys(Keys.ENTER)
    wait_until(driver, lambda d: d.current_url.endswith("/preguntas/"), "the question was not saved")
    pregunta = Pregunta.objects.get(propietario=teacher)
    assert pregunta.tipo == "poll" and [o["text"] for o in pregunta.opciones] == ["Galicia", "Aragón", "Murcia"]
