"""The question bank: list, create, edit, copy and delete; import from a file in any format,
export to each one, and the blank CSV template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preguntas.forms import BankFileForm, PreguntaForm
from preguntas.game import bank, csv_files, formats
from preguntas.game.formats import bank_csv
from preguntas.models import Pregunta
from preguntas.views.common import bank_context, csv_response, file_response


@login_required
def preguntas(request: HttpRequest) -> HttpResponse:
    exports = [(f, export_url(f.code)) for f in formats.FORMATS.values()]
    return render(request, "preguntas/preguntas.html", {**bank_context(request), "exports": exports})


def export_url(code: str) -> str:
    return reverse("preguntas:exportar_csv") if code == "csv" else reverse("preguntas:exportar", args=[code])


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
    """Import a file of questions in any format (detected); the page lists what was left out and why."""
    form = BankFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = formats.import_file(request.user, form.file_name(), form.read_file())
        if result.error:
            form.add_error("archivo", result.error)
            result = None
        else:
            form = BankFileForm()
    context = {
        "form": form,
        "result": result,
        "max_rows": bank.MAX_ROWS,
        "max_kib": csv_files.MAX_BYTES // 1024,
    }
    return render(request, "preguntas/importar.html", context)


@login_required
def plantilla_csv(request: HttpRequest) -> HttpResponse:
    return csv_response("plantilla-preguntas.csv", bank_csv.template_rows())


@login_required
def exportar(request: HttpRequest, formato: str) -> HttpResponse:
    """The teacher's visible bank (their own questions and the shared ones) in one format; the
    questions the format cannot hold are left out (the bank page says which)."""
    found = formats.FORMATS.get(formato)
    if found is None:
        raise Http404
    data = formats.export(found.code, Pregunta.objects.visibles_para(request.user))
    return file_response(found.filename, found.content_type, data)


@login_required
def exportar_csv(request: HttpRequest) -> HttpResponse:
    return exportar(request, "csv")
