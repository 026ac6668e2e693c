"""A roster: the teacher imports it, students pick their name, and the seat stays theirs."""

import pytest
from selenium.webdriver.common.by import By

from preguntas.models import Alumno
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    content,
    find,
    find_all,
    js_errors,
    log_in_with_cookie,
    screenshot,
    wait_joined,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser

ROSTER = "nombre;numero\nAna García;S-01\nBeto Ruiz;S-02\nCarla <b>Díaz</b>;\n"


def seat_buttons(driver) -> dict[str, bool]:
    """The roster as the student page offers it: name -> whether it can be picked."""
    return {
        " ".join((b.get_attribute("textContent") or "").replace("(en uso)", "").split()): b.is_enabled()
        for b in find_all(driver, "#puestos button")
    }


def pick(driver, name: str) -> None:
    for button in find_all(driver, "#puestos button"):
        if button.get_attribute("textContent").startswith(name):
            button.click()
            return
    raise AssertionError(f"{name!r} is not on the roster shown")


def open_join_page(driver, url: str, name: str = "") -> None:
    driver.get(f"{url}/unirse/DEMO01/")
    if name:
        find(driver, "#nombre").send_keys(name)
    find(driver, "#form-unirse button[type=submit]").click()


def test_students_pick_their_name_and_keep_their_seat(live_app, demo, browser, tmp_path):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    teacher.get(f"{live_app.url}/aulas/DEMO01/alumnos/")
    roster_file = tmp_path / "lista.csv"
    roster_file.write_text(ROSTER, encoding="utf-8")
    find(teacher, "input[type=file][name=archivo]").send_keys(str(roster_file))
    find(teacher, "form[enctype] button[type=submit]").click()
    wait_text(teacher, "#resumen-lista", "3 alumnos añadidos a la lista")
    assert "lista de clase" in content(teacher, "#modo-lista")
    screenshot(teacher, "alumnos.png")

    ana_phone = browser(PHONE)
    open_join_page(ana_phone, live_app.url)  # no name typed: the roster is offered
    wait_visible(ana_phone, "#estado-elegir")
    assert content(ana_phone, "#elegir-aula") == "3ºB Geografía"
    assert seat_buttons(ana_phone) == {"Ana García": True, "Beto Ruiz": True, "Carla <b>Díaz</b>": True}
    assert not find_all(ana_phone, "#puestos b"), "a name on the roster is text, not markup"
    screenshot(ana_phone, "elegir-nombre.png")
    pick(ana_phone, "Ana García")
    wait_joined(ana_phone, "Ana García")

    beto_phone = browser(PHONE)
    open_join_page(beto_phone, live_app.url, "beto ruiz")  # typed: matched to the roster
    wait_joined(beto_phone, "Beto Ruiz")

    intruder = browser(PHONE)
    open_join_page(intruder, live_app.url, "Ana García")  # someone else, with Ana's name
    wait_visible(intruder, "#estado-elegir")
    wait_until(intruder, lambda d: "otro dispositivo" in content(d, "#error-elegir"), "no explanation")
    assert seat_buttons(intruder) == {"Ana García": False, "Beto Ruiz": False, "Carla <b>Díaz</b>": True}

    ana_phone.refresh()  # a reload keeps the seat
    wait_joined(ana_phone, "Ana García")
    assert Alumno.objects.filter(aula=demo.aula, en_lista=True).count() == 3

    # Ana changed phones: the teacher frees her seat; the old phone must pick again.
    teacher.get(f"{live_app.url}/aulas/DEMO01/alumnos/")
    ana = Alumno.objects.get(aula=demo.aula, nombre="Ana García")
    row = find(teacher, f"tr[data-alumno='{ana.pk}']")
    row.find_element(By.XPATH, ".//button[normalize-space()='Liberar']").click()
    wait_until(teacher, lambda d: "queda libre" in d.page_source, "no confirmation")
    intruder.refresh()
    open_join_page(intruder, live_app.url)
    wait_visible(intruder, "#estado-elegir")
    wait_until(intruder, lambda d: seat_buttons(d).get("Ana García") is True, "Ana's seat never came free")
    wait_visible(ana_phone, "#estado-elegir")  # at once, without a reload: the old phone is out
    assert "liberado tu puesto" in content(ana_phone, "#error-elegir")
    ana_phone.refresh()
    wait_visible(ana_phone, "#estado-unirse")  # and stays out: the token that held the seat is gone
    assert content(ana_phone, "#alumno-nombre") == ""
    assert js_errors(teacher) == [] and js_errors(ana_phone) == [] and js_errors(beto_phone) == []
