"""Homework, as a class lives it: the teacher assigns a quiz; three students on phones do it at their
own pace (one reloads half-way, one has a roster seat with extra time, one comes after the due time);
the teacher follows the progress, then reads the results and the gradebook."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from preguntas.models import Alumno, Aula, Cuestionario, Tarea
from tests.browser.audit import axe_violations, overflow
from tests.browser.conftest import PHONE, session_cookie
from tests.browser.pages import (
    content,
    find,
    find_all,
    js_errors,
    log_in_with_cookie,
    screenshot,
    wait_text,
    wait_until,
    wait_visible,
)
from tests.factories import ChoiceFactory, NumberFactory, PreguntaFactory

pytestmark = pytest.mark.browser


def tap(driver, element) -> None:
    """Click from the page's side (Selenium's own click misplaces its point under phone emulation)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def clean(driver, label: str) -> list[str]:
    """What is wrong with the page on a phone: axe-core, width, script errors."""
    problems = [f"{label}: {v}" for v in axe_violations(driver)]
    if wide := overflow(driver):
        problems.append(f"{label}: {wide}")
    return problems + [f"{label}: {e}" for e in js_errors(driver)]


def take_seat(driver, url: str, name: str) -> None:
    """From the classroom's link: the homework it offers, then one's name on the roster."""
    driver.get(f"{url}/unirse/DEMO02/")
    tap(driver, wait_visible(driver, ".tarea-enlace"))
    seat = Alumno.objects.get(aula__codigo="DEMO02", nombre=name)
    tap(driver, find(driver, f"label[for=puesto-{seat.pk}]"))
    tap(driver, find(driver, "#form-unirse button[type=submit]"))
    wait_text(driver, "#alumno-nombre", name)


def answer(driver, position: str, option: str | None = None, number: str | None = None) -> None:
    wait_text(driver, "#posicion", position)
    if number is not None:
        find(driver, "#numero").send_keys(number)
    else:
        tap(driver, find(driver, f"label[for=opcion-{option}]"))
    tap(driver, find(driver, "#btn-enviar"))
    wait_visible(driver, "#estado-tras")


def next_question(driver) -> None:
    tap(driver, find(driver, "#btn-siguiente"))


def test_a_class_does_its_homework_and_the_teacher_follows_it(live_app, demo, browser):
    profesor = demo.profesor
    aula = Aula.objects.get(codigo="DEMO02")
    quiz = Cuestionario.objects.create(nombre="Ríos y capitales", propietario=profesor)
    quiz.anadir(PreguntaFactory(propietario=profesor, texto="Lima es la capital de Perú.", respuesta=True))
    quiz.anadir(ChoiceFactory(propietario=profesor, texto="¿Cuál es el río más largo de la península ibérica?"))
    quiz.anadir(NumberFactory(propietario=profesor, texto="¿Cuántos kilómetros mide el Tajo?"))
    problems = []

    # The teacher assigns the quiz, from a phone: due in an hour, 60 s a question.
    teacher = browser(PHONE)
    log_in_with_cookie(teacher, live_app.url, session_cookie(profesor))
    teacher.get(f"{live_app.url}/aulas/DEMO02/tareas/")
    problems += clean(teacher, "assign")
    now = timezone.localtime()
    teacher.execute_script(
        "document.getElementById('id_abre').value = arguments[0];"
        "document.getElementById('id_vence').value = arguments[1];",
        (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"), (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    find(teacher, "#id_segundos").send_keys("60")
    tap(teacher, find(teacher, "#form-tarea button[type=submit]"))
    wait_text(teacher, "#tarea-nombre", "Ríos y capitales")
    tarea = Tarea.objects.get(aula=aula)
    assert "60 s por pregunta" in content(teacher, "#tarea-plazo")
    problems += clean(teacher, "homework page")

    # Lucía has a roster seat and 1.5 × the time: 90 s a question.
    lucia = browser(PHONE)
    take_seat(lucia, live_app.url, "Lucía Fernández")
    assert "con tu tiempo extra" in content(lucia, "#tarea-reglas")
    problems += clean(lucia, "start")
    tap(lucia, find(lucia, "#btn-empezar"))
    wait_text(lucia, "#pregunta-texto", "Lima es la capital de Perú.")
    assert int(find(lucia, "#cuenta-atras").get_attribute("data-seconds")) in range(85, 91)
    problems += clean(lucia, "question")
    answer(lucia, "Pregunta 1 de 3", option="true")
    wait_text(lucia, "#resultado-titulo", "¡Correcto!")
    problems += clean(lucia, "after an answer")
    next_question(lucia)
    wait_visible(lucia, "#estado-pregunta")
    screenshot(lucia, "tarea.png")
    answer(lucia, "Pregunta 2 de 3", option="1")
    next_question(lucia)

    # Bruno answers the first question, reloads on the second and goes on from there.
    bruno = browser(PHONE)
    take_seat(bruno, live_app.url, "Bruno López")
    tap(bruno, find(bruno, "#btn-empezar"))
    answer(bruno, "Pregunta 1 de 3", option="false")
    wait_text(bruno, "#resultado-titulo", "Incorrecto")
    next_question(bruno)
    wait_text(bruno, "#posicion", "Pregunta 2 de 3")
    bruno.refresh()
    wait_text(bruno, "#posicion", "Pregunta 2 de 3")
    assert int(find(bruno, "#cuenta-atras").get_attribute("data-seconds")) <= 60
    answer(bruno, "Pregunta 2 de 3", option="1")

    # The teacher's page follows them as they go.
    teacher.refresh()
    wait_until(teacher, lambda d: "Han empezado 2" in content(d, "#progreso-resumen"), "2 students never showed as started")
    answer(lucia, "Pregunta 3 de 3", number="1007")
    next_question(lucia)
    wait_visible(lucia, "#tarea-resumen")
    assert "3 de 3 aciertos" in content(lucia, "#tarea-resumen")
    problems += clean(lucia, "summary")

    def row(name):
        return next(r for r in find_all(teacher, "#progreso tbody tr") if name in r.get_attribute("textContent"))

    wait_until(teacher, lambda d: "terminada" in row("Lucía Fernández").get_attribute("textContent"), "Lucía never finished")
    assert "en curso" in row("Bruno López").get_attribute("textContent")
    assert "Han terminado 1" in content(teacher, "#progreso-resumen").replace("han terminado", "Han terminado")
    next_question(bruno)
    answer(bruno, "Pregunta 3 de 3", number="500")

    # Carmen comes after the due time.
    Tarea.objects.filter(pk=tarea.pk).update(vence=timezone.now() - timedelta(seconds=1))
    carmen = browser(PHONE)
    carmen.get(f"{live_app.url}/unirse/DEMO02/tareas/{tarea.pk}/")
    wait_text(carmen, "#estado-vencida .alert", "El plazo de esta tarea ya venció: no se aceptan más respuestas.")
    assert not find_all(carmen, "#form-unirse")
    problems += clean(carmen, "after the due time")
    carmen.get(f"{live_app.url}/unirse/DEMO02/")
    assert not find_all(carmen, ".tarea-enlace")

    # Afterwards: the results, apart from the live rounds, and the gradebook.
    teacher.refresh()
    assert [c.text for c in find_all(teacher, ".resultados tbody tr td.fw-bold")] == ["3", "1"]
    problems += clean(teacher, "homework results")
    teacher.get(f"{live_app.url}/aulas/DEMO02/resultados/")
    assert "Ríos y capitales" in content(teacher, ".tareas-resultados")
    problems += clean(teacher, "classroom results")
    client = Client()
    client.force_login(profesor)
    gradebook = client.get("/aulas/DEMO02/cuaderno.csv").content.decode("utf-8-sig").splitlines()
    assert gradebook[0].endswith('"Ríos y capitales (tarea)"')
    assert any(line.startswith('"Lucía Fernández"') and line.endswith('"3"') for line in gradebook)
    assert any(line.startswith('"Carmen Ruiz"') and line.endswith('""') for line in gradebook)
    assert not problems, "\n".join(problems)
