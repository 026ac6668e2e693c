"""Scoring that teaches: speed points and the leaderboard are the teacher's choice; extra time is private."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from preguntas.models import Alumno, Respuesta
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
    screenshot,
    wait_answer_sent,
    wait_question,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

QUESTION = "Lima es la capital de Perú."  # true


def test_top_five_with_speed_points_after_each_question(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    teacher.get(f"{live_app.url}/aulas/DEMO01/editar/")
    find(teacher, "input[name=puntos_velocidad]").click()
    find(teacher, "input[name=clasificacion][value=top5]").click()
    find(teacher, "main form button[type=submit]").click()
    wait_until(teacher, lambda d: d.current_url.endswith("/aulas/"), "settings not saved")

    open_panel(teacher, live_app.url, "DEMO01")
    right, wrong = browser(PHONE), browser(PHONE)
    join_classroom(right, live_app.url, "DEMO01", "Iker")
    join_classroom(wrong, live_app.url, "DEMO01", "Julia")
    bank_send_button(teacher, QUESTION).click()
    for student in (right, wrong):
        wait_question(student, QUESTION)
    answer_button(right, True).click()
    answer_button(wrong, False).click()
    wait_answer_sent(right, True)
    wait_answer_sent(wrong, False)
    find(teacher, "#btn-cerrar").click()

    wait_visible(teacher, "#clasificacion")
    places = [" ".join(li.text.split()) for li in find_all(teacher, "#clasificacion-lista li")]
    assert len(places) == 2 and re.fullmatch(r"1º Iker — 1 acierto · [0-9.,]+ puntos", places[0]), places
    assert places[1] == "2º Julia — 0 aciertos · 0 puntos"
    wait_until(right, lambda d: content(d, "#mi-puesto").startswith("Vas 1º de 2 · 1 acierto ·"), "no own place")
    wait_until(wrong, lambda d: content(d, "#mi-puesto") == "Vas 2º de 2 · 0 aciertos · 0 puntos", "no own place")
    assert find(wrong, "#top-lista").is_displayed()
    screenshot(wrong, "clasificacion.png")
    points = int(re.sub(r"\D", "", content(right, "#mi-puesto").split("·")[-1]))
    assert 500 < points <= 1000

    teacher.get(f"{live_app.url}/aulas/DEMO01/resultados/")
    assert content(teacher, "td.puntos") == str(points)
    teacher.find_element(By.LINK_TEXT, "Julia").click()  # her history, question by question
    wait_text(teacher, "#resumen", "Aciertos: 0 · Respuestas: 1 · Preguntas desde que se unió: 1")
    assert QUESTION in content(teacher, ".historial-alumno")
    assert js_errors(teacher) == [] and js_errors(right) == [] and js_errors(wrong) == []


def seconds_shown(driver) -> int:
    return int(re.search(r"\d+", content(driver, "#cuenta-atras")).group())


def test_extra_time_lets_one_student_answer_after_the_others_time_is_up(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    extra, plain = browser(PHONE), browser(PHONE)
    join_classroom(extra, live_app.url, "DEMO01", "Kai")
    join_classroom(plain, live_app.url, "DEMO01", "Lola")
    kai = Alumno.objects.get(nombre="Kai")

    teacher.get(f"{live_app.url}/aulas/DEMO01/alumnos/")
    Select(find(teacher, f"tr[data-alumno='{kai.pk}'] select[name=tiempo_extra]")).select_by_value("200")
    find(teacher, f"tr[data-alumno='{kai.pk}'] form[action$='/tiempo/'] button[type=submit]").click()
    wait_until(teacher, lambda d: Alumno.objects.get(pk=kai.pk).tiempo_extra == 200, "extra time never saved")
    extra.refresh()  # the student's page learns its own time when it joins
    join_check = lambda d: content(d, "#alumno-nombre") == "Kai"  # noqa: E731
    wait_until(extra, join_check, "Kai never rejoined")

    open_panel(teacher, live_app.url, "DEMO01")
    Select(find(teacher, "#segundos")).select_by_value("10")
    bank_send_button(teacher, QUESTION).click()
    for student in (extra, plain):
        wait_question(student, QUESTION)
    assert seconds_shown(extra) > 10 >= seconds_shown(plain)  # 20 s for Kai, 10 s for the class

    wait_text(plain, "#cuenta-atras", "Se acabó el tiempo")
    assert not answer_button(plain, True).is_enabled()
    wait_visible(teacher, "#tiempo-extra")
    assert content(teacher, "#tiempo-extra").startswith("Tiempo extra para algunos alumnos")
    assert "Kai" not in content(plain, "body") and "extra" not in content(plain, "body").lower()

    answer_button(extra, True).click()  # after the class's time, within Kai's
    wait_answer_sent(extra, True)
    wait_text(extra, "#resultado-titulo", "¡Correcto!")  # the server closes the round at Kai's deadline
    wait_text(plain, "#resultado-titulo", "Sin respuesta")
    assert list(Respuesta.objects.values_list("alumno__nombre", flat=True)) == ["Kai"]
    assert js_errors(teacher) == [] and js_errors(extra) == [] and js_errors(plain) == []
