import csv

import segno

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preguntas import results as results_module
from preguntas.forms import AulaAjustesForm, AulaForm, PreguntaForm
from preguntas.models import Aula, Cuestionario, Pregunta


def _own_aula(request: HttpRequest, codigo: str) -> Aula:
    """A classroom of the logged-in teacher; anybody else's is a 404, not a 403."""
    return get_object_or_404(Aula, codigo=codigo.upper(), propietario=request.user)


def bank_context(request: HttpRequest) -> dict:
    """The teacher's question bank, filtered by the search box (?q=) and topic (?tema=)."""
    texto, tema = request.GET.get("q", "").strip(), request.GET.get("tema", "")
    banco = Pregunta.objects.visibles_para(request.user)
    return {
        "preguntas": banco.buscar(texto, tema),
        "temas": banco.exclude(tema="").values_list("tema", flat=True).distinct().order_by("tema"),
        "q": texto,
        "tema": tema,
    }


# Students ---------------------------------------------------------------


def alumno(request: HttpRequest, codigo: str = "") -> HttpResponse:
    """The answer page. Everything after the join happens over the socket."""
    return render(request, "preguntas/alumno.html", {"codigo": codigo.upper()[:12]})


# Classrooms -------------------------------------------------------------


@login_required
def aulas(request: HttpRequest) -> HttpResponse:
    form = AulaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.propietario = request.user
        aula = form.save()
        messages.success(request, _("Aula «%(nombre)s» creada.") % {"nombre": aula.nombre})
        return redirect("preguntas:panel", codigo=aula.codigo)
    return render(request, "preguntas/aulas.html", {"aulas": Aula.objects.de(request.user), "form": form})


@login_required
def aula_editar(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = _own_aula(request, codigo)
    form = AulaAjustesForm(request.POST or None, instance=aula)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("preguntas:aulas")
    return render(request, "preguntas/aula_editar.html", {"aula": aula, "form": form})


@login_required
@require_POST
def aula_archivar(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = _own_aula(request, codigo)
    aula.archivada = not aula.archivada
    aula.save(update_fields=["archivada"])
    return redirect("preguntas:aulas")


@login_required
def panel(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = _own_aula(request, codigo)
    context = {
        **bank_context(request),
        "aula": aula,
        "rondas": aula.rondas.filter(cerrada__isnull=False).order_by("-abierta")[:20],
        "cuestionarios": Cuestionario.objects.filter(propietario=request.user),
        "cuestionario": None,
    }
    if request.GET.get("cuestionario"):
        quiz = get_object_or_404(Cuestionario, pk=request.GET["cuestionario"], propietario=request.user)
        context.update(cuestionario=quiz, preguntas=quiz.en_orden())
    return render(request, "preguntas/panel.html", context)


@login_required
def proyector(request: HttpRequest, codigo: str) -> HttpResponse:
    """The classroom's big screen: join code and QR, the live question and its chart; no controls."""
    aula = _own_aula(request, codigo)
    join_url = request.build_absolute_uri(reverse("preguntas:alumno_codigo", args=[aula.codigo]))
    qr = segno.make(join_url, error="m").svg_inline(scale=8, border=2, dark="#212529", light="#ffffff")
    context = {
        "aula": aula,
        "join_url": join_url,
        "qr_svg": mark_safe(qr),  # generated here from our own URL, drawn as paths only
        "nombres": request.GET.get("nombres") == "1",
    }
    return render(request, "preguntas/proyector.html", context)


@login_required
def resultados(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = _own_aula(request, codigo)
    context = {"aula": aula, "results": results_module.classroom_results(aula)}
    return render(request, "preguntas/resultados.html", context)


def csv_response(filename: str, rows) -> HttpResponse:
    """A CSV download that spreadsheet programs open with the accents right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    csv.writer(response).writerows(rows)
    return response


@login_required
def resultados_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = _own_aula(request, codigo)
    rows = results_module.csv_rows(results_module.classroom_results(aula))
    return csv_response(f"resultados-{aula.codigo}.csv", rows)


@login_required
def cuaderno_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    """Gradebook: one row per student, one column per quiz."""
    aula = _own_aula(request, codigo)
    return csv_response(f"cuaderno-{aula.codigo}.csv", results_module.gradebook_rows(aula))


# Question bank ----------------------------------------------------------


@login_required
def preguntas(request: HttpRequest) -> HttpResponse:
    return render(request, "preguntas/preguntas.html", bank_context(request))


@login_required
def pregunta_editar(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a question, or edit one of the teacher's own (shared ones are read-only)."""
    pregunta = get_object_or_404(Pregunta, pk=pk, propietario=request.user) if pk else None
    form = PreguntaForm(request.POST or None, instance=pregunta, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance.propietario = request.user
        form.save()
        messages.success(request, _("Pregunta guardada."))
        return redirect("preguntas:preguntas")
    return render(request, "preguntas/pregunta_editar.html", {"form": form, "pregunta": pregunta})
