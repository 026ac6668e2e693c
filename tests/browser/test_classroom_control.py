"""The teacher decides who is in an open classroom: lock it, rename a student, remove one; a student
renames themselves."""

import pytest

from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    chips,
    find,
    find_all,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    open_panel,
    wait_text,
    wait_until,
    wait_visible,
)

pytestmark = pytest.mark.browser


def chip(driver, name):
    return next(c for c in find_all(driver, "#alumnos .chip") if " ".join(c.text.split()) == name)


def test_lock_rename_and_remove_from_the_panel(live_app, demo, browser):
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    open_panel(teacher, live_app.url, "DEMO01")
    ana, beto = browser(PHONE), browser(PHONE)
    join_classroom(ana, live_app.url, "DEMO01", "Ana")
    join_classroom(beto, live_app.url, "DEMO01", "Beto")
    wait_until(teacher, lambda d: {"Ana", "Beto"} <= set(chips(d)), "the students never showed on the panel")

    find(teacher, "#btn-bloquear").click()
    wait_visible(teacher, "#aula-cerrada")
    assert find(teacher, "#btn-bloquear").get_attribute("aria-pressed") == "true"
    late = browser(PHONE)
    late.get(f"{live_app.url}/unirse/DEMO01/")
    find(late, "#nombre").send_keys("Carla")
    find(late, "#form-unirse button[type=submit]").click()
    wait_text(late, "#error-unirse", "El aula está cerrada a nuevos alumnos: pide a tu docente que la abra.")

    chip(teacher, "Beto").click()
    field = wait_visible(teacher, "#alumno-nombre-nuevo")
    field.clear()
    field.send_keys("Bernardo")
    find(teacher, "#alumno-acciones button[type=submit]").click()
    wait_text(beto, "#alumno-nombre", "Bernardo")
    wait_until(teacher, lambda d: "Bernardo" in chips(d), "the panel never showed the new name")

    chip(teacher, "Ana").click()
    wait_visible(teacher, "#btn-quitar-alumno").click()
    teacher.switch_to.alert.accept()
    wait_text(ana, "#error-unirse", "Tu docente te ha quitado del aula.")
    wait_until(teacher, lambda d: "Ana" not in chips(d), "the removed student stayed on the panel")

    find(teacher, "#btn-bloquear").click()
    wait_until(teacher, lambda d: not find(d, "#aula-cerrada").is_displayed(), "the classroom stayed locked")
    twin = browser(PHONE)
    twin.get(f"{live_app.url}/unirse/DEMO01/")
    find(twin, "#nombre").send_keys("Bernardo")
    find(twin, "#form-unirse button[type=submit]").click()
    wait_text(twin, "#aviso-espera", "Ya había alguien llamado «Bernardo» en el aula: tú eres «Bernardo 2».")

    find(twin, "#btn-cambiar-nombre").click()
    field = wait_visible(twin, "#nombre-nuevo")
    field.clear()
    field.send_keys("Berni")
    find(twin, "#form-nombre button[type=submit]").click()
    wait_text(twin, "#alumno-nombre", "Berni")
    wait_text(twin, "#aviso-espera", "Ahora eres «Berni».")
    wait_until(teacher, lambda d: "Berni" in chips(d), "the panel never showed the name the student chose")
    assert all(js_errors(d) == [] for d in (teacher, ana, beto, late, twin))
