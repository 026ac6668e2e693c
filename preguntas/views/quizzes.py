"""Quizzes: a teacher's ordered lists of questions, run from the panel with «Siguiente»."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preguntas.forms import CuestionarioEdicionForm, CuestionarioForm
from preguntas.models import Cuestionario, Pregunta
from preguntas.views.common import bank_context


@login_required
def cuestionarios(request: HttpRequest) -> HttpResponse:
    form = CuestionarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.propietario = request.user
        cuestionario = form.save()
        return redirect("preguntas:cuestionario", pk=cuestionario.pk)
    lista = Cuestionario.objects.filter(propietario=request.user)
    return render(request, "preguntas/cuestionarios.html", {"cuestionarios": lista, "form": form})


@login_required
def cuestionario(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Cuestionario, pk=pk, propietario=request.user)
    form = CuestionarioForm(instance=quiz)
    context = {**bank_context(request), "cuestionario": quiz, "form": form, "en_orden": quiz.en_orden()}
    return render(request, "preguntas/cuestionario.html", context)


@login_required
@require_POST
def cuestionario_editar(request: HttpRequest, pk: int) -> HttpResponse:
    """One edit of a quiz: rename, or add/remove/move a question of the teacher's bank."""
    quiz = get_object_or_404(Cuestionario, pk=pk, propietario=request.user)
    edit = CuestionarioEdicionForm(request.POST)
    if not edit.is_valid():
        return HttpResponseBadRequest()
    accion = edit.cleaned_data["accion"]
    if accion == "renombrar":
        form = CuestionarioForm(request.POST, instance=quiz)
        if form.is_valid():
            form.save()
    elif accion == "borrar":
        quiz.delete()
        messages.success(request, _("Cuestionario «%(nombre)s» borrado.") % {"nombre": quiz.nombre})
        return redirect("preguntas:cuestionarios")
    else:
        pregunta = get_object_or_404(Pregunta.objects.visibles_para(request.user), pk=edit.cleaned_data["pregunta"])
        if accion == "anadir":
            quiz.anadir(pregunta)
        elif accion == "quitar":
            quiz.quitar(pregunta)
        else:
            quiz.mover(pregunta, -1 if accion == "subir" else +1)
    url = reverse("preguntas:cuestionario", args=[quiz.pk])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
