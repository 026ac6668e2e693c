"""Homework: the teacher assigns a quiz and follows it; each student does it at their own pace.

Plain HTTP pages with forms (docs/protocol.md, «Homework»): every answer is a POST with CSRF,
and the student is known by the device token of their seat, kept in a cookie set when they start.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preguntas.forms import TareaForm, TareaPlazoForm, TareaUnirseForm
from preguntas.game import homework, kinds, results, students
from preguntas.game.errors import GameError
from preguntas.models import Alumno, Aula, Tarea
from preguntas.views.common import own_aula

COOKIE_AGE = 60 * 60 * 24 * 180  # a school term and more


# The teacher ---------------------------------------------------------------


@login_required
def tareas(request: HttpRequest, codigo: str) -> HttpResponse:
    """The classroom's homework, and the form to assign a quiz."""
    aula = own_aula(request, codigo)
    form = TareaForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tarea = homework.assign(aula, data["cuestionario"], **{k: data[k] for k in (
                "abre", "vence", "revelar", "intentos", "cuenta", "segundos", "barajar")})
        except GameError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Tarea «%(nombre)s» asignada.") % {"nombre": tarea.nombre})
            return redirect("preguntas:tarea", codigo=aula.codigo, pk=tarea.pk)
    if not form.is_bound:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form.initial.update(abre=now, vence=now + timedelta(days=7))
    context = {"aula": aula, "form": form, "tareas": aula.tareas.all(), "now": timezone.now()}
    return render(request, "preguntas/tareas.html", context, status=400 if form.is_bound else 200)


def _own_tarea(request: HttpRequest, codigo: str, pk: int) -> Tarea:
    return get_object_or_404(Tarea, pk=pk, aula=own_aula(request, codigo))


@login_required
def tarea(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """One homework: who has started and finished, their scores, and the per-question analysis."""
    tarea = _own_tarea(request, codigo, pk)
    found = results.homework_results(tarea)
    context = {
        "aula": tarea.aula,
        "tarea": tarea,
        "results": found,
        "started": sum(s.row.started for s in found.students),
        "finished": sum(s.row.finished for s in found.students),
        "now": timezone.now(),
        "abierta": homework.is_open(tarea),
        "intentos_hechos": tarea.intentos_hechos.count(),
        "link": request.build_absolute_uri(reverse("preguntas:tarea_alumno", args=[tarea.aula.codigo, tarea.pk])),
    }
    return render(request, "preguntas/tarea.html", context)


@login_required
def tarea_progreso(request: HttpRequest, codigo: str, pk: int) -> JsonResponse:
    """The progress table as JSON, for the homework page to refresh itself."""
    tarea = _own_tarea(request, codigo, pk)
    rows = homework.progress(tarea)
    return JsonResponse({
        "students": [row.as_dict() for row in rows],
        "started": sum(r.started for r in rows),
        "finished": sum(r.finished for r in rows),
    })


@login_required
@require_POST
def tarea_plazo(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """Extend or shorten the due time."""
    tarea = _own_tarea(request, codigo, pk)
    form = TareaPlazoForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Escribe la fecha y la hora del nuevo plazo."))
    else:
        try:
            homework.change_due(tarea, form.cleaned_data["vence"])
        except GameError as error:
            messages.warning(request, error.detail)
        else:
            messages.success(request, _("El plazo de «%(nombre)s» vence ahora el %(vence)s.") % {
                "nombre": tarea.nombre,
                "vence": date_format(timezone.localtime(tarea.vence), "SHORT_DATETIME_FORMAT"),
            })
    return redirect("preguntas:tarea", codigo=tarea.aula.codigo, pk=tarea.pk)


@login_required
@require_POST
def tarea_borrar(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """Delete the homework, with its students' attempts and answers."""
    tarea = _own_tarea(request, codigo, pk)
    codigo, nombre = tarea.aula.codigo, tarea.nombre
    homework.delete(tarea)
    messages.success(request, _("Tarea «%(nombre)s» borrada, con sus intentos y respuestas.") % {"nombre": nombre})
    return redirect("preguntas:tareas", codigo=codigo)


# The student ---------------------------------------------------------------


def _cookie_name(aula: Aula) -> str:
    return f"qrt-tarea-{aula.codigo}"


def _student(request: HttpRequest, aula: Aula) -> Alumno | None:
    """The student this device is, by the token its cookie holds (none: not joined here yet)."""
    token = request.COOKIES.get(_cookie_name(aula))
    if not token:
        return None
    try:
        alumno = students.rejoin(aula, token)
    except GameError:
        return None
    return None if alumno.retirado else alumno


def _student_tarea(codigo: str, pk: int) -> Tarea:
    aula = students.find_aula(codigo)
    if aula is None:
        raise Http404
    return get_object_or_404(Tarea.objects.select_related("aula"), pk=pk, aula=aula)


def tarea_alumno(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """The student's page: join, start, one question at a time, the result; a reload goes on
    where they were."""
    tarea = _student_tarea(codigo, pk)
    alumno = _student(request, tarea.aula)
    context = {"aula": tarea.aula, "tarea": tarea, "alumno": alumno, "now": timezone.now()}
    if alumno is None:
        return _join_page(request, tarea, context)
    return render(request, "preguntas/tarea_alumno.html", {**context, **_state(request, tarea, alumno)})


def _join_page(request, tarea, context, error: str = "", status: int = 200):
    if homework.is_due(tarea):
        context["state"] = "vencida"
    elif not homework.is_open(tarea):
        context["state"] = "cerrada"
    else:
        context.update(state="unirse", seats=students.seats(tarea.aula), error=error)
    return render(request, "preguntas/tarea_alumno.html", context, status=status)


def _state(request: HttpRequest, tarea: Tarea, alumno: Alumno) -> dict:
    """What the student sees now, as the rules say."""
    now = timezone.now()
    intento = homework.current(tarea, alumno)
    revealed = homework.may_reveal(tarea, now)
    after = request.GET.get("tras", "")
    if intento is not None and after.isdigit() and len(after) < 19:
        respuesta = intento.respuestas.select_related("pregunta").filter(pregunta_id=int(after)).first()
        if respuesta is not None:
            return {"state": "tras", "intento": intento, "respuesta": respuesta, "revealed": revealed,
                    "position": homework.position(intento)}
    if homework.is_due(tarea, now):
        return {"state": "vencida", **_summary(tarea, alumno, revealed)}
    if not homework.is_open(tarea, now):
        return {"state": "cerrada"}
    if intento is not None and intento.terminado is None:
        pregunta = homework.show(intento, now)
        if pregunta is not None:
            return {
                "state": "pregunta", "intento": intento, "pregunta": pregunta,
                "opciones": homework.options_shown(intento, pregunta),
                "varias": kinds.of(pregunta).FIELD == "options",
                "seconds_left": homework.seconds_left(intento, now), "position": homework.position(intento),
            }
    return {"state": "inicio", "left": homework.attempts_left(tarea, alumno), **_summary(tarea, alumno, revealed)}


def _summary(tarea: Tarea, alumno: Alumno, revealed: bool) -> dict:
    intentos = homework.attempts(tarea, alumno)
    counted = homework.counted(tarea, intentos)
    rows = []
    if counted is not None and revealed:
        mine = {r.pregunta_id: r for r in counted.respuestas.all()}
        rows = [
            results.HistoryRow(p, mine[p.pk].valor if p.pk in mine else None, None)
            for p in tarea.preguntas.order_by("orden", "pk")
        ]
    return {
        "intentos": intentos, "counted": counted, "revealed": revealed, "rows": rows,
        "score": homework.score(counted) if counted else None, "total": tarea.preguntas.count(),
    }


@require_POST
def tarea_unirse(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """Join the classroom for homework, with the same rules as a live join: a roster seat, a
    name, or the token this device already holds."""
    tarea = _student_tarea(codigo, pk)
    aula = tarea.aula
    context = {"aula": aula, "tarea": tarea, "alumno": None, "now": timezone.now()}
    form = TareaUnirseForm(request.POST)
    if not form.is_valid():
        return _join_page(request, tarea, context, _("Elige tu nombre en la lista o escríbelo."), status=400)
    data = form.cleaned_data
    alumno = None
    if data["token"]:  # the device already joined this classroom (the live page's token)
        try:
            alumno = students.rejoin(aula, data["token"])
        except GameError:
            alumno = None
    try:
        if alumno is not None:
            pass
        elif data["puesto"]:
            alumno = students.claim(aula, data["puesto"])
        else:
            alumno = students.join(aula, data["nombre"])
    except GameError as error:
        return _join_page(request, tarea, context, error.detail, status=400)
    response = redirect("preguntas:tarea_alumno", codigo=aula.codigo, pk=tarea.pk)
    response.set_cookie(
        _cookie_name(aula), alumno.token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_POST
def tarea_empezar(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    tarea = _student_tarea(codigo, pk)
    alumno = _student(request, tarea.aula)
    if alumno is None:
        return redirect("preguntas:tarea_alumno", codigo=tarea.aula.codigo, pk=tarea.pk)
    try:
        homework.start(tarea, alumno)
    except GameError as error:
        messages.warning(request, error.detail)
    return redirect("preguntas:tarea_alumno", codigo=tarea.aula.codigo, pk=tarea.pk)


@require_POST
def tarea_responder(request: HttpRequest, codigo: str, pk: int) -> HttpResponse:
    """One answer to the current question; then the page says how it went (or only that it was kept)."""
    tarea = _student_tarea(codigo, pk)
    alumno = _student(request, tarea.aula)
    url = reverse("preguntas:tarea_alumno", args=[tarea.aula.codigo, tarea.pk])
    intento = homework.current(tarea, alumno) if alumno else None
    if intento is None:
        return redirect(url)
    pregunta = homework.next_question(intento)
    pregunta_id = request.POST.get("pregunta", "")
    try:
        if pregunta is None or pregunta_id != str(pregunta.pk):
            raise GameError("not_current", _("Esa no es la pregunta que toca; vuelve a la tarea."))
        raw = homework.raw_answer(pregunta, request.POST.getlist("opcion"), request.POST.get("numero", ""))
        outcome = homework.answer(intento, pregunta.pk, raw, sure=False if request.POST.get("no_seguro") else None)
    except GameError as error:
        messages.warning(request, error.detail)
        return redirect(url)
    if outcome.timed_out:
        messages.warning(request, _("Se acabó el tiempo de esa pregunta: cuenta como sin responder."))
    return redirect(f"{url}?tras={pregunta.pk}")
