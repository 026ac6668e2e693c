"""A classroom's results and its gradebook, as a page and as CSV and spreadsheet downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preguntas.game import results
from preguntas.views.common import csv_response, own_aula, xlsx_response


@login_required
def resultados(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    context = {"aula": aula, "results": results.classroom_results(aula), "tareas": aula.tareas.order_by("vence", "pk")}
    return render(request, "preguntas/resultados.html", context)


@login_required
def resultados_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    rows = results.export_rows(results.classroom_results(aula), results.homework_columns(aula))
    return csv_response(f"resultados-{aula.codigo}.csv", rows)


@login_required
def cuaderno_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    """Gradebook: one row per student, one column per quiz."""
    aula = own_aula(request, codigo)
    return csv_response(f"cuaderno-{aula.codigo}.csv", results.gradebook_rows(aula))


@login_required
def resultados_xlsx(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    rows = results.export_rows(results.classroom_results(aula), results.homework_columns(aula))
    return xlsx_response(f"resultados-{aula.codigo}.xlsx", "Resultados", rows)


@login_required
def cuaderno_xlsx(request: HttpRequest, codigo: str) -> HttpResponse:
    """Gradebook: one row per student, one column per quiz."""
    aula = own_aula(request, codigo)
    return xlsx_response(f"cuaderno-{aula.codigo}.xlsx", "Cuaderno", results.gradebook_rows(aula))
