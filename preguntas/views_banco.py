"""Question bank tools: CSV import, export and the blank template (logic in banco_csv.py)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preguntas import banco_csv
from preguntas.models import Pregunta
from preguntas.views import csv_response


class ImportForm(forms.Form):
    archivo = forms.FileField(
        label=gettext_lazy("Archivo CSV"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > banco_csv.MAX_BYTES:
            message = _("El archivo ocupa más de %(max)s KiB.") % {"max": banco_csv.MAX_BYTES // 1024}
            raise forms.ValidationError(message, code="demasiado_grande")
        return archivo


@login_required
def importar(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = banco_csv.import_questions(request.user, form.cleaned_data["archivo"].read(banco_csv.MAX_BYTES + 1))
        if result.error:
            form.add_error("archivo", result.error)
            result = None
        else:
            form = ImportForm()
    context = {"form": form, "result": result, "max_rows": banco_csv.MAX_ROWS, "max_kib": banco_csv.MAX_BYTES // 1024}
    return render(request, "preguntas/importar.html", context)


@login_required
def plantilla_csv(request: HttpRequest) -> HttpResponse:
    return csv_response("plantilla-preguntas.csv", banco_csv.template_rows())


@login_required
def exportar_csv(request: HttpRequest) -> HttpResponse:
    """The teacher's visible bank: their own questions and the shared ones."""
    return csv_response("preguntas.csv", banco_csv.export_rows(Pregunta.objects.visibles_para(request.user)))
