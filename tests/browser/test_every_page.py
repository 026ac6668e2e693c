"""Every page on a 375-px phone and on a laptop: no page wider than the phone, and no axe-core
violation of any impact, on every teacher page and on each screen of the student page."""

import pytest
from django.utils import timezone

from preguntas.models import Alumno, Cuestionario, Pregunta, Respuesta, Ronda
from tests.browser.audit import axe_violations, overflow
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    wait_answer_sent,
    wait_panel_connected,
    wait_question,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."  # true
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}


class Audit:
    """Collects what is wrong on each page, so that one run reports every page at once."""

    def __init__(self, driver, viewport):
        self.driver, self.viewport, self.problems = driver, viewport, []

    def check(self, label: str) -> None:
        self.problems += [f"{label}: {v}" for v in axe_violations(self.driver)]
        if self.viewport is PHONE and (wide := overflow(self.driver)):
            self.problems.append(f"{label}: {wide}")
        self.problems += [f"{label}: {e}" for e in js_errors(self.driver)]

    def visit(self, url: str, label: str | None = None) -> None:
        self.driver.get(url)
        wait_until(self.driver, lambda d: d.execute_script("return document.readyState") == "complete", url)
        self.check(label or url)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def tap(driver, element) -> None:
    """Click from the page's side: Selenium's own click misplaces its point under phone emulation
    once the page has scrolled."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def classroom_with_history(demo):
    """DEMO01 with a quiz, a closed round answered by two students, and a question of the teacher's own."""
    aula, profesor = demo.aula, demo.profesor
    shared = list(Pregunta.objects.filter(propietario=None).order_by("pk")[:3])
    quiz = Cuestionario.objects.create(nombre="Capitales", propietario=profesor)
    for pregunta in shared:
        quiz.anadir(pregunta)
    own = Pregunta.objects.create(texto="Quito está en Ecuador.", respuesta=True, tema="Capitales", propietario=profesor)
    ronda = Ronda.objects.create(aula=aula, pregunta=shared[0], texto=shared[0].texto, correcta=shared[0].respuesta,
                                 cerrada=timezone.now(), cuestionario=quiz)
    ana = Alumno.objects.create(aula=aula, nombre="Ana", numero="S-001")
    beto = Alumno.objects.create(aula=aula, nombre="Beto")
    Respuesta.objects.create(ronda=ronda, alumno=ana, valor=shared[0].respuesta, seguro=False)
    Respuesta.objects.create(ronda=ronda, alumno=beto, valor=not shared[0].respuesta)
    return quiz, own, ana


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_teacher_page_fits_a_phone_and_passes_axe(live_app, demo, browser, size):
    quiz, own, ana = classroom_with_history(demo)
    driver = browser(VIEWPORTS[size])
    audit = Audit(driver, VIEWPORTS[size])
    url, code = live_app.url, demo.aula.codigo

    audit.visit(f"{url}/cuentas/entrar/")
    find(driver, "input[name=username]").send_keys(demo.profesor.username)
    find(driver, "input[name=password]").send_keys("not-the-password")
    find(driver, "form button[type=submit]").click()
    wait_visible(driver, "form .text-danger li")
    assert not find_all(driver, ".is-valid"), "no field is marked right next to the error"
    audit.check("login, wrong password")
    audit.visit(f"{url}/cuentas/contrasena/olvidada/")
    audit.visit(f"{url}/cuentas/contrasena/olvidada/enviada/")
    audit.visit(f"{url}/cuentas/contrasena/nueva/MQ/no-es-un-token/")
    log_in_with_cookie(driver, url, session_cookie(demo.profesor))
    for path in [
        "/aulas/",
        f"/aulas/{code}/editar/",
        f"/aulas/{code}/resultados/",
        f"/aulas/{code}/alumnos/",
        "/aulas/DEMO02/alumnos/",
        f"/aulas/{code}/alumnos/{ana.pk}/",
        "/preguntas/",
        "/preguntas/nueva/",
        f"/preguntas/{own.pk}/editar/",
        "/preguntas/importar/",
        "/cuestionarios/",
        f"/cuestionarios/{quiz.pk}/",
        "/cuentas/contrasena/",
        "/cuentas/contrasena/hecho/",
        f"/aulas/{code}/proyector/",
        f"/aulas/{code}/?cuestionario={quiz.pk}",
    ]:
        audit.visit(url + path)

    # The panel and the projector (in another tab) with no round, during one and after its reveal.
    driver.get(f"{url}/aulas/{code}/proyector/")
    projector = driver.current_window_handle
    driver.switch_to.new_window("tab")
    panel = driver.current_window_handle
    size = audit.viewport  # a new tab needs the phone's metrics of its own
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size.width, "height": size.height, "deviceScaleFactor": 1, "mobile": size.mobile})
    driver.get(f"{url}/aulas/{code}/")
    wait_panel_connected(driver)
    audit.check("panel, no round")
    tap(driver, bank_send_button(driver, QUESTION))
    wait_text(driver, "#ronda-texto", QUESTION)
    audit.check("panel, round open")
    driver.switch_to.window(projector)
    wait_text(driver, "#ronda-texto", QUESTION)
    audit.check("projector, round open")
    driver.switch_to.window(panel)
    tap(driver, find(driver, "#btn-cerrar"))
    wait_visible(driver, "#revelada")
    audit.check("panel, revealed")
    driver.switch_to.window(projector)
    wait_visible(driver, "#revelada")
    audit.check("projector, revealed")
    audit.assert_clean()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_student_screen_fits_a_phone_and_passes_axe(live_app, demo, browser, teacher_socket, size):
    driver = browser(VIEWPORTS[size])
    audit = Audit(driver, VIEWPORTS[size])
    url = live_app.url

    audit.visit(f"{url}/", "join")
    find(driver, "#codigo").send_keys("NOEXISTE")
    find(driver, "#nombre").send_keys("Ana")
    find(driver, "#form-unirse button[type=submit]").click()
    wait_visible(driver, "#error-unirse")
    audit.check("join, unknown classroom")

    driver.get(f"{url}/unirse/DEMO02/")
    find(driver, "#form-unirse button[type=submit]").click()
    wait_visible(driver, "#estado-elegir")
    audit.check("pick your name")
    driver.execute_script("localStorage.clear()")

    join_classroom(driver, url, "DEMO01", "Carla")
    wait_visible(driver, "#estado-esperando")
    audit.check("waiting")
    teacher = teacher_socket(demo.aula, demo.profesor)
    question = teacher.push(Pregunta.objects.get(texto=QUESTION))
    wait_question(driver, QUESTION)
    audit.check("question")
    answer_button(driver, True).click()
    wait_answer_sent(driver, True)
    audit.check("answer sent")
    teacher.close_round(question["round"])
    wait_visible(driver, "#estado-resultado")
    audit.check("result")
    assert find_all(driver, "h1"), "every screen has a heading"
    audit.assert_clean()
