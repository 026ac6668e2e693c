"""A quiz runs from the panel in its own order, one «Siguiente» at a time."""

import pytest

from preguntas.models import Cuestionario, Pregunta, Ronda
from tests.browser.conftest import LAPTOP, PHONE, session_cookie
from tests.browser.pages import (
    find,
    join_classroom,
    js_errors,
    log_in_with_cookie,
    wait_panel_connected,
    wait_question,
    wait_text,
    wait_visible,
)

pytestmark = pytest.mark.browser

ORDER = ["Lima es la capital de Perú.", "Sídney es la capital de Australia.", "Bogotá es la capital de Colombia."]


def test_a_quiz_runs_in_order_with_next(live_app, demo, browser):
    quiz = Cuestionario.objects.create(nombre="Capitales", propietario=demo.profesor)
    for texto in ORDER:
        quiz.anadir(Pregunta.objects.get(texto=texto))
    teacher = browser(LAPTOP)
    log_in_with_cookie(teacher, live_app.url, session_cookie(demo.profesor))
    teacher.get(f"{live_app.url}/aulas/DEMO01/?cuestionario={quiz.pk}")
    wait_panel_connected(teacher)
    student = browser(PHONE)
    join_classroom(student, live_app.url, "DEMO01", "Flor")

    find(teacher, "#banco li[data-question] .btn-enviar").click()  # the quiz's first question
    for position, texto in enumerate(ORDER):
        wait_text(teacher, "#ronda-texto", texto)
        wait_text(teacher, "#progreso-cuestionario", f"Pregunta {position + 1} de {len(ORDER)}")
        wait_question(student, texto)
        assert not find(teacher, "#cuestionario-terminado").is_displayed()
        find(teacher, "#btn-cerrar").click()
        if position < len(ORDER) - 1:
            wait_visible(teacher, "#btn-siguiente").click()
    wait_text(teacher, "#revelada", "Respuesta correcta: Verdadero")
    assert not find(teacher, "#btn-siguiente").is_displayed(), "the quiz is over"
    wait_visible(teacher, "#cuestionario-terminado")
    assert find(teacher, "#cuestionario-terminado a").get_attribute("href").endswith("/aulas/DEMO01/resultados/")
    assert list(Ronda.objects.values_list("cuestionario_id", flat=True)) == [quiz.pk] * 3, "rounds remember their quiz"
    assert js_errors(teacher) == [] and js_errors(student) == []
