"""When the connection drops, the pages say so and come back by themselves, in sync."""

import pytest

from preguntas.game import rounds
from preguntas.models import Pregunta
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    answer_button,
    bank_send_button,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
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

FIRST = "Lima es la capital de Perú."  # true
SECOND = "Río de Janeiro es la capital de Brasil."  # false
RECONNECT_WAIT = 60  # the back-off between attempts grows to 5 s

# Keeps the page's sockets at hand so the test can drop them, as a flaky Wi-Fi does.
TRACK_SOCKETS = """
(() => {
  const open = [];
  window.WebSocket = class extends window.WebSocket {
    constructor(...args) { super(...args); open.push(this); }
  };
  window.dropSockets = () => { for (const ws of open.splice(0)) ws.close(); };
})();
"""

# Notes whether the banner was shown, however briefly, and which question the page showed
# the moment it went away.
WATCH_BANNER = """
window.bannerShown = null;
window.questionWhenBannerWent = null;
const banner = document.getElementById("reconectando");
new MutationObserver(() => {
  if (!banner.hidden && banner.offsetHeight > 0) {
    window.bannerShown = banner.textContent.trim();
  } else if (banner.hidden && window.bannerShown) {
    window.questionWhenBannerWent = document.getElementById("pregunta-texto").textContent;
  }
}).observe(banner, {attributes: true});
"""


def test_the_pages_reconnect_by_themselves_and_resync(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    student = browser(PHONE)
    student.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRACK_SOCKETS})
    join_classroom(student, live_app.url, "DEMO01", "Dani")
    wait_chips(teacher, {"Dani": set()})
    bank_send_button(teacher, FIRST).click()
    wait_question(student, FIRST)
    answer_button(student, True).click()
    wait_answer_sent(student, True)
    wait_tally(teacher, true=1, false=0, answered=1, connected=1)
    for page in (teacher, student):
        page.execute_script("window.sinRecargar = true;")

    # 1. The student's socket closes: the banner shows, the page reconnects and rejoins.
    student.execute_script(WATCH_BANNER)
    student.execute_script("window.dropSockets();")
    wait_until(student, lambda d: d.execute_script("return window.bannerShown"), "no «Reconectando…» banner")
    assert student.execute_script("return window.bannerShown") == "Reconectando…"
    wait_hidden(student, "#reconectando", timeout=RECONNECT_WAIT)
    wait_question(student, FIRST)
    wait_answer_sent(student, True)
    wait_tally(teacher, true=1, false=0, answered=1, connected=1)

    # 2. The server goes away: both pages say they are reconnecting and keep what they showed.
    student.execute_script(WATCH_BANNER)
    live_app.stop()
    wait_visible(student, "#reconectando")
    wait_text(student, "#reconectando", "Reconectando…")
    wait_text(teacher, "#conexion-texto", "reconectando…")
    assert find(teacher, "#conexion").get_attribute("data-status") == "reconnecting"
    assert not any(button.is_enabled() for button in find_all(teacher, ".btn-enviar, #btn-cerrar"))
    wait_question(student, FIRST)
    wait_answer_sent(student, True)

    # Meanwhile the class moves on (as through another server of the same classroom).
    rounds.push(demo.aula, demo.profesor, Pregunta.objects.get(texto=SECOND).pk)

    # The server is back: the pages reconnect by themselves and show the classroom as it is now.
    live_app.start()
    wait_hidden(student, "#reconectando", timeout=RECONNECT_WAIT)
    wait_question(student, SECOND)
    # The banner stayed up until the page had caught up, not just until the socket opened.
    assert student.execute_script("return window.questionWhenBannerWent") == SECOND
    assert all(button.is_enabled() for button in find_all(student, ".btn-respuesta"))
    wait_until(teacher, lambda d: d.find_element("id", "conexion").get_attribute("data-status") == "open",
               "the panel never reconnected", timeout=RECONNECT_WAIT)
    wait_panel_connected(teacher)
    wait_text(teacher, "#ronda-texto", SECOND)
    wait_tally(teacher, true=0, false=0, answered=0, connected=1)
    wait_chips(teacher, {"Dani": set()})

    # And the class goes on live.
    answer_button(student, False).click()
    wait_answer_sent(student, False)
    wait_tally(teacher, true=0, false=1, answered=1, connected=1)
    find(teacher, "#btn-cerrar").click()
    wait_text(teacher, "#revelada", "Respuesta correcta: Falso")
    wait_text(student, "#resultado-titulo", "¡Correcto!")
    for page in (teacher, student):
        assert page.execute_script("return window.sinRecargar") is True, "the page reloaded"
        assert js_errors(page) == []
