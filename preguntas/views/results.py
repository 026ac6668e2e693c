"""A classroom's results, their CSV, and the gradebook CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preguntas.game import results
from preguntas.views.common import csv_response, own_aula


@login_required
def resultados(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    return render(request, "preguntas/resultados.html", {"aula": aula, "results": results.classroom_results(aula)})


@login_required
def resultados_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    return csv_response(f"resultados-{aula.codigo}.csv", results.export_rows(results.classroom_results(aula)))


@login_required
def cuaderno_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    """Gradebook: one row per student, one column per quiz."""
    aula = own_aula(request, codigo)
    return csv_response(f"cuaderno-{aula.codigo}.csv", results.gradebook_rows(aula))
