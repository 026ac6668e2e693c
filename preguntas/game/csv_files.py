"""Reading a CSV file a teacher uploads: the steps the question bank and the roster share.

UTF-8 with or without a BOM, ``,`` or ``;`` as separator (Spanish Excel writes ``;``), a
header line, blank lines skipped. Problems with the whole file come back as one message.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _

MAX_BYTES = 1024 * 1024
# A cell starting with one of these gets an apostrophe in front, so that spreadsheets read no formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    header: list[str]  # names trimmed, NFC, casefolded
    rows: list[tuple[int, list[str]]]  # (line number, cells)
    delimiter: str
    first_line: str

    def header_shown(self) -> str:
        return Truncator(self.first_line.strip()).chars(80)


class FileError(Exception):
    """The file cannot be read at all; the message says why, for the teacher."""


def too_large() -> str:
    return _("El archivo ocupa más de %(max)s KiB.") % {"max": MAX_BYTES // 1024}


def read_table(data: bytes) -> Table:
    if len(data) > MAX_BYTES:
        raise FileError(too_large())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = _("El archivo no está en UTF-8 (línea %(line)s). En Excel, usa «Guardar como» → «CSV UTF-8».")
        raise FileError(message % {"line": line}) from None
    if "\x00" in text:
        raise FileError(_("El archivo no parece un CSV de texto."))
    if not text.strip():
        raise FileError(_("El archivo está vacío."))

    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [unicodedata.normalize("NFC", name).strip().casefold() for name in next(reader)]
        rows = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error:  # in practice, a cell past csv.field_size_limit(): a quote left open
        raise FileError(
            _("No se puede leer el CSV cerca de la línea %(line)s: ¿unas comillas sin cerrar?") % {"line": reader.line_num}
        ) from None
    return Table(header, rows, delimiter, first_line)


def text_cell(text: str) -> str:
    """A name or question as an exported cell: never read as a formula (``clean_cell`` undoes it)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def clean_cell(cell: str) -> str:
    """Trim a cell and undo the apostrophe our exports put in front of a would-be formula."""
    cell = unicodedata.normalize("NFC", cell)
    if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
        cell = cell[1:]
    return cell.strip()
