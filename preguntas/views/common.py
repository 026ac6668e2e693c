"""What several pages share: the teacher's own classroom, CSV and spreadsheet downloads, the bank's filter."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from preguntas.forms import BuscadorForm
from preguntas.game import csv_files, xlsx_files
from preguntas.models import Aula, Pregunta


def own_aula(request: HttpRequest, codigo: str) -> Aula:
    """A classroom of the logged-in teacher; anybody else's is a 404, not a 403."""
    return get_object_or_404(Aula, codigo=codigo.upper(), propietario=request.user)


def bank_context(request: HttpRequest) -> dict:
    """The teacher's question bank, filtered by the search box (?q=) and topic (?tema=); a filter
    that is no text (a NUL character) is a bad request."""
    form = BuscadorForm(request.GET)
    if not form.is_valid():
        raise BadRequest
    texto, tema = form.cleaned_data["q"], form.cleaned_data["tema"]
    banco = Pregunta.objects.visibles_para(request.user)
    return {
        "preguntas": banco.buscar(texto, tema),
        "temas": banco.exclude(tema="").values_list("tema", flat=True).distinct().order_by("tema"),
        "q": texto,
        "tema": tema,
    }


def csv_response(filename: str, rows) -> HttpResponse:
    """A CSV download that spreadsheet programs open with the accents right and no formulas
    (csv_files.write_rows)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    csv_files.write_rows(response, rows)
    return response


def file_response(filename: str, content_type: str, data: bytes) -> HttpResponse:
    """A download of a file already written (game/formats/)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, rows) -> HttpResponse:
    """A spreadsheet download: the rows of a CSV export as the sheet ``title`` (xlsx_files)."""
    response = HttpResponse(xlsx_files.workbook_bytes(title, rows), content_type=xlsx_files.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
