"""Classrooms: the list, settings, archive; the control panel and the projector; the answer page."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preguntas.forms import AulaAjustesForm, AulaForm, PanelForm
from preguntas.game import homework, kinds, students
from preguntas.game.kinds import options as option_kinds
from preguntas.models import Aula, Cuestionario
from preguntas.views.common import bank_context, own_aula


def alumno(request: HttpRequest, codigo: str = "") -> HttpResponse:
    """The answer page. Everything after the join happens over the socket."""
    context = {"codigo": codigo.upper()[:12], "tareas": _homework_offered(codigo), **_option_looks()}
    return render(request, "preguntas/alumno.html", context)


def _homework_offered(codigo: str) -> list:
    """The classroom's open homework, offered on its answer page while no live round is open."""
    aula = students.find_aula(codigo) if codigo else None
    if aula is None or aula.ronda_abierta() is not None:
        return []
    return list(homework.open_for(aula))


def _option_looks() -> dict:
    """How the live pages draw a round's options (static/js/opciones.js): true/false's own, and
    the shapes and colours the options of the other kinds take in turn."""
    true_false = [option._asdict() for option in kinds.get("tf").options()]
    return {"opciones_vf": true_false, "opciones_aspecto": {"icons": option_kinds.ICONS, "tones": option_kinds.TONES}}


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
    aula = own_aula(request, codigo)
    form = AulaAjustesForm(request.POST or None, instance=aula)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ajustes de «%(nombre)s» guardados.") % {"nombre": aula.nombre})
        return redirect("preguntas:aulas")
    return render(request, "preguntas/aula_editar.html", {"aula": aula, "form": form})


@login_required
@require_POST
def aula_archivar(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    aula.archivada = not aula.archivada
    aula.save(update_fields=["archivada"])
    if aula.archivada:
        messages.success(request, _(
            "«%(nombre)s» archivada: sus alumnos ya no pueden entrar y sus resultados se conservan. "
            "«Reactivar» la vuelve a abrir."
        ) % {"nombre": aula.nombre})
    else:
        messages.success(request, _("«%(nombre)s» vuelve a estar activa.") % {"nombre": aula.nombre})
    return redirect("preguntas:aulas")


@login_required
def panel(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    context = {
        **bank_context(request),
        "aula": aula,
        "rondas": aula.rondas.filter(cerrada__isnull=False).order_by("-abierta")[:20],
        "cuestionarios": Cuestionario.objects.filter(propietario=request.user),
        "cuestionario": None,
        "tareas_abiertas": homework.open_for(aula),
        **_option_looks(),
    }
    form = PanelForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest()
    if form.cleaned_data["cuestionario"]:
        quiz = get_object_or_404(Cuestionario, pk=form.cleaned_data["cuestionario"], propietario=request.user)
        context.update(cuestionario=quiz, preguntas=quiz.en_orden())
    return render(request, "preguntas/panel.html", context)


@login_required
def proyector(request: HttpRequest, codigo: str) -> HttpResponse:
    """The classroom's big screen: join code and QR, the live question and its chart; no controls."""
    aula = own_aula(request, codigo)
    join_url = request.build_absolute_uri(reverse("preguntas:alumno_codigo", args=[aula.codigo]))
    qr = segno.make(join_url, error="m").svg_inline(scale=8, border=2, dark="#212529", light="#ffffff")
    context = {
        "aula": aula,
        "join_url": join_url,
        "join_host": request.get_host(),
        "join_path": reverse("preguntas:alumno_codigo", args=[aula.codigo]),
        "qr_svg": mark_safe(qr),  # generated here from our own URL, drawn as paths only
        "nombres": request.GET.get("nombres") == "1",
        **_option_looks(),
    }
    return render(request, "preguntas/proyector.html", context)
