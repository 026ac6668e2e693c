"""The question bank: list, create, edit, copy and delete; CSV import, export and the blank template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preguntas.forms import CsvUploadForm, PreguntaForm
from preguntas.game import bank, csv_files
from preguntas.models import Pregunta
from preguntas.views.common import bank_context, csv_response


@login_required
def preguntas(request: HttpRequest) -> HttpResponse:
    return render(request, "preguntas/preguntas.html", bank_context(request))


@login_required
def pregunta_editar(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a question, or edit one of the teacher's own (shared ones are read-only)."""
    pregunta = get_object_or_404(Pregunta, pk=pk, propietario=request.user, archivada=False) if pk else None
    posted = request.method == "POST"
    form = PreguntaForm(request.POST if posted else None, request.FILES if posted else None, instance=pregunta, user=request.user)
    if posted and form.is_valid():
        form.instance.propietario = request.user
        form.save()
        messages.success(request, _("Pregunta guardada."))
        return redirect("preguntas:preguntas")
    return render(request, "preguntas/pregunta_editar.html", {"form": form, "pregunta": pregunta})


@login_required
@require_POST
def preguntas_borrar(request: HttpRequest) -> HttpResponse:
    """Delete the chosen questions of the teacher's own; those used in rounds are archived."""
    removal = bank.remove(request.user, request.POST.getlist("pregunta"))
    if removal.deleted:
        messages.success(request, ngettext(
            "%(n)s pregunta borrada.", "%(n)s preguntas borradas.", removal.deleted) % {"n": removal.deleted})
    if removal.archived:
        messages.info(request, ngettext(
            "%(n)s pregunta ya se usó en rondas: sale del banco y de tus cuestionarios, y sus resultados se conservan.",
            "%(n)s preguntas ya se usaron en rondas: salen del banco y de tus cuestionarios, y sus resultados se conservan.",
            removal.archived,
        ) % {"n": removal.archived})
    if not removal.deleted and not removal.archived:
        messages.warning(request, _("No has elegido ninguna pregunta tuya."))
    return redirect("preguntas:preguntas")


@login_required
@require_POST
def pregunta_copiar(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a shared question into the teacher's own bank and open it for editing."""
    shared = get_object_or_404(Pregunta.objects.visibles_para(request.user), pk=pk, propietario__isnull=True)
    own = bank.copy(request.user, shared)
    messages.success(request, _("Copiada a tus preguntas: ya puedes editarla."))
    return redirect("preguntas:pregunta_editar", pk=own.pk)


@login_required
def importar(request: HttpRequest) -> HttpResponse:
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = bank.import_questions(request.user, form.read_file())
        if result.error:
            form.add_error("archivo", result.error)
            result = None
        else:
            form = CsvUploadForm()
    context = {"form": form, "result": result, "max_rows": bank.MAX_ROWS, "max_kib": csv_files.MAX_BYTES // 1024}
    return render(request, "preguntas/importar.html", context)


@login_required
def plantilla_csv(request: HttpRequest) -> HttpResponse:
    return csv_response("plantilla-preguntas.csv", bank.template_rows())


@login_required
def exportar_csv(request: HttpRequest) -> HttpResponse:
    """The teacher's visible bank: their own questions and the shared ones."""
    return csv_response("preguntas.csv", bank.export_rows(Pregunta.objects.visibles_para(request.user)))
