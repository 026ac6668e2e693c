"""What a person does on the pages and what they see there, as small helpers over Selenium.

Every wait is a WebDriverWait with a generous timeout: the tests say *what* must happen,
never how fast (a busy 2-core CI box is slow, not broken).
"""

from pathlib import Path

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 30  # seconds; a ceiling for waiting, not an expectation
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def wait_until(driver: WebDriver, predicate, message: str, timeout: float = WAIT):
    """Poll ``predicate(driver)`` until it returns something truthy; return that."""
    return WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.1,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    ).until(predicate, message)


def find(driver: WebDriver, css: str):
    return driver.find_element(By.CSS_SELECTOR, css)


def find_all(driver: WebDriver, css: str):
    return driver.find_elements(By.CSS_SELECTOR, css)


def content(driver: WebDriver, css: str) -> str:
    """The element's text, visible or not, with white space folded."""
    return " ".join((find(driver, css).get_attribute("textContent") or "").split())


def wait_text(driver: WebDriver, css: str, expected: str, timeout: float = WAIT) -> None:
    """Wait until the element is displayed and its text reads ``expected``."""
    seen = []

    def check(d):
        element = find(d, css)
        seen[:] = [element.text]
        return element.is_displayed() and " ".join(element.text.split()) == expected

    try:
        wait_until(driver, check, "", timeout)
    except Exception as error:
        raise AssertionError(f"{css} never read {expected!r} (last: {seen!r})") from error


def wait_visible(driver: WebDriver, css: str, timeout: float = WAIT):
    return wait_until(driver, lambda d: find(d, css).is_displayed() and find(d, css), f"{css} never appeared", timeout)


def wait_hidden(driver: WebDriver, css: str, timeout: float = WAIT) -> None:
    wait_until(driver, lambda d: not find(d, css).is_displayed(), f"{css} never went away", timeout)


def screenshot(driver: WebDriver, name: str) -> Path:
    """Save the viewport as docs/screenshots/<name>, once bars and progress have stopped moving.

    The pointer is moved to a corner first, so that no button shows its hover colour."""
    driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 0, "y": 0})
    wait_until(
        driver,
        lambda d: d.execute_script("return document.getAnimations().every(a => a.playState !== 'running')"),
        "the page never stopped animating",
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    assert driver.save_screenshot(str(path)), f"could not save {path}"
    return path


def js_errors(driver: WebDriver) -> list[str]:
    """Errors of the page's scripts (uncaught exceptions, console errors) and anything the
    Content-Security-Policy blocked, since the last call."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and entry.get("source") in ("javascript", "security")
    ]


# The teacher ---------------------------------------------------------------


def log_in_with_cookie(driver: WebDriver, base_url: str, cookie: dict) -> None:
    """Carry an existing session (see conftest.session_cookie): the login form has its own test."""
    driver.get(base_url + "/cuentas/entrar/")
    driver.add_cookie({**cookie, "path": "/"})


def open_panel(driver: WebDriver, base_url: str, code: str) -> None:
    driver.get(f"{base_url}/aulas/{code}/")
    wait_panel_connected(driver)


def wait_panel_connected(driver: WebDriver) -> None:
    wait_until(driver, lambda d: find(d, "#conexion").get_attribute("data-status") == "open", "panel never connected")
    wait_text(driver, "#conexion-texto", "conectado")


def bank_send_button(driver: WebDriver, question_text: str):
    """The «Enviar» button of a question in the panel's bank."""
    for item in find_all(driver, "#banco li[data-question]"):
        if content_of(item, ".pregunta") == question_text:
            return item.find_element(By.CSS_SELECTOR, ".btn-enviar")
    raise AssertionError(f"{question_text!r} is not in the bank")


def content_of(element, css: str) -> str:
    return " ".join((element.find_element(By.CSS_SELECTOR, css).get_attribute("textContent") or "").split())


def chips(driver: WebDriver) -> dict[str, set[str]]:
    """The panel's student chips: name -> CSS classes (respondio, acierto, fallo, desconectado)."""
    return {
        " ".join((chip.get_attribute("textContent") or "").split()): set(chip.get_attribute("class").split()) - {"chip"}
        for chip in find_all(driver, "#alumnos .chip")
    }


def wait_chips(driver: WebDriver, expected: dict[str, set[str]], timeout: float = WAIT) -> None:
    seen = []

    def check(d):
        seen[:] = [chips(d)]
        return seen[0] == expected

    try:
        wait_until(driver, check, "", timeout)
    except Exception as error:
        raise AssertionError(f"chips never became {expected!r} (last: {seen!r})") from error


def wait_tally(driver: WebDriver, true: int, false: int, answered: int, connected: int) -> None:
    expected = {"#cuenta-true": true, "#cuenta-false": false, "#respondieron": answered, "#de-conectados": connected}
    seen = []

    def check(d):
        seen[:] = [{css: content(d, css) for css in expected}]
        return seen[0] == {css: str(n) for css, n in expected.items()}

    try:
        wait_until(driver, check, "")
    except Exception as error:
        raise AssertionError(f"tally never became {expected!r} (last: {seen!r})") from error


# The student ---------------------------------------------------------------


def join_classroom(driver: WebDriver, base_url: str, code: str, name: str, *, with_link: bool = True) -> None:
    """Join as a student: from the classroom's link (code prefilled) or typing the code."""
    if with_link:
        driver.get(f"{base_url}/unirse/{code}/")
    else:
        driver.get(base_url + "/")
        find(driver, "#codigo").send_keys(code)
    find(driver, "#nombre").send_keys(name)
    find(driver, "#form-unirse button[type=submit]").click()
    wait_joined(driver, name)


def wait_joined(driver: WebDriver, name: str) -> None:
    wait_until(driver, lambda d: content(d, "#alumno-nombre") == name, f"{name} never joined")


def answer_button(driver: WebDriver, value: bool):
    return find(driver, f".btn-respuesta[data-value={'true' if value else 'false'}]")


def wait_question(driver: WebDriver, text: str) -> None:
    """The student sees the question, on its own screen."""
    wait_visible(driver, "#estado-pregunta")
    wait_text(driver, "#pregunta-texto", text)


def answer_state(driver: WebDriver) -> dict:
    """What the answer buttons show: which is chosen, which can still be pressed."""
    return {
        value: {
            "pressed": answer_button(driver, value).get_attribute("aria-pressed") == "true",
            "enabled": answer_button(driver, value).is_enabled(),
        }
        for value in (True, False)
    }


def wait_answer_sent(driver: WebDriver, value: bool) -> None:
    word = "Verdadero" if value else "Falso"
    wait_text(driver, "#estado-envio", f"Respuesta enviada: {word}")
    assert answer_state(driver) == {
        value: {"pressed": True, "enabled": False},
        not value: {"pressed": False, "enabled": False},
    }
