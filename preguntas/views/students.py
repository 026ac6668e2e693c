"""A classroom's students: the roster (add, import from CSV), seats held by devices, extra time,
one student's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preguntas.forms import CsvUploadForm, NuevoAlumnoForm, TiempoExtraForm
from preguntas.game import results, roster, students
from preguntas.models import Alumno, TiempoExtra
from preguntas.realtime import notify
from preguntas.views.common import csv_response, own_aula


@login_required
def alumnos(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    form = NuevoAlumnoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster.add(aula, form.cleaned_data["nombre"], form.cleaned_data["numero"].strip())
        except ValueError as reason:
            form.add_error("nombre", str(reason))
        else:
            return redirect("preguntas:alumnos", codigo=aula.codigo)
    return _page(request, aula, form=form)


def _page(request, aula, form=None, import_form=None, imported=None, status=200):
    alumnos = aula.alumnos.con_presencia().annotate(respuestas_n=Count("respuestas"))
    context = {
        "aula": aula,
        "alumnos": alumnos,
        "con_lista": any(a.en_lista for a in alumnos),
        "form": form or NuevoAlumnoForm(),
        "import_form": import_form or CsvUploadForm(),
        "imported": imported,
        "tiempos": TiempoExtra.choices,
        "max_rows": roster.MAX_ROWS,
    }
    return render(request, "preguntas/alumnos.html", context, status=status)


@login_required
@require_POST
def importar_lista(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    form = CsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, aula, import_form=form, status=400)
    result = roster.import_csv(aula, form.read_file())
    if result.error:
        form.add_error("archivo", result.error)
        return _page(request, aula, import_form=form, status=400)
    return _page(request, aula, imported=result)


def _own_alumno(request, codigo: str, pk: int) -> Alumno:
    return get_object_or_404(Alumno, pk=pk, aula=own_aula(request, codigo))


@login_required
@require_POST
def alumno_tiempo(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    alumno = _own_alumno(request, codigo, pk)
    form = TiempoExtraForm(request.POST)
    if form.is_valid():
        alumno.tiempo_extra = form.cleaned_data["tiempo_extra"]
        alumno.save(update_fields=["tiempo_extra"])
        notify.extra_time_changed(alumno)
        messages.success(request, _("Tiempo extra de «%(nombre)s»: %(tiempo)s.") % {
            "nombre": alumno.nombre, "tiempo": alumno.get_tiempo_extra_display()})
    return redirect("preguntas:alumnos", codigo=alumno.aula.codigo)


@login_required
@require_POST
def alumno_liberar(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    alumno = _own_alumno(request, codigo, pk)
    students.release(alumno)
    notify.students_released(alumno.aula, [alumno.pk])
    messages.success(request, _("«%(nombre)s» queda libre: el alumno puede elegirlo en otro dispositivo.") % {"nombre": alumno.nombre})
    return redirect("preguntas:alumnos", codigo=alumno.aula.codigo)


@login_required
@require_POST
def alumno_quitar(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """Remove a student who never answered; one with answers keeps them, and only leaves the roster."""
    alumno = _own_alumno(request, codigo, pk)
    answers = alumno.respuestas.count()
    if answers:
        alumno.en_lista = False
        alumno.save(update_fields=["en_lista"])
        messages.info(request, ngettext(
            "«%(nombre)s» sale de la lista; su %(n)s respuesta se conserva en los resultados.",
            "«%(nombre)s» sale de la lista; sus %(n)s respuestas se conservan en los resultados.",
            answers,
        ) % {"nombre": alumno.nombre, "n": answers})
    else:
        alumno.delete()
        notify.students_released(alumno.aula, [pk])
        messages.success(request, _("«%(nombre)s» ya no está en el aula.") % {"nombre": alumno.nombre})
    return redirect("preguntas:alumnos", codigo=alumno.aula.codigo)


@login_required
def alumno_historial(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """One student's answers, question by question, across every session."""
    alumno = _own_alumno(request, codigo, pk)
    days = results.student_history(alumno)
    rows = [row for _, day_rows in days for row in day_rows]
    context = {
        "aula": alumno.aula,
        "alumno": alumno,
        "days": days,
        "asked": len(rows),
        "answered": sum(row.valor is not None for row in rows),
        "right": sum(row.right is True for row in rows),
        "tareas": results.student_homework(alumno),
    }
    return render(request, "preguntas/alumno_historial.html", context)


@login_required
def lista_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    aula = own_aula(request, codigo)
    return csv_response(f"lista-{aula.codigo}.csv", roster.export_rows(aula))


@login_required
def lista_plantilla_csv(request: HttpRequest) -> HttpResponse:
    return csv_response("plantilla-lista.csv", roster.template_rows())
