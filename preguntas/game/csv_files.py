"""CSV files: reading one a teacher uploads (the question bank and the roster), and writing
every export.

Reading: UTF-8 with or without a BOM, ``,`` or ``;`` as separator (Spanish Excel writes ``;``),
a header line, blank lines skipped. Problems with the whole file come back as one message.

Writing: every cell quoted, and no cell nor any piece of one starts a formula. A spreadsheet
that opens our ``,`` file with another separator (Spanish Excel splits at ``;``) loses track of
the quotes after the first cell and splits the text of later cells at that separator: so
``text_cell`` puts an apostrophe in front of every piece of a text, between separators and
line breaks, that would start a formula (``x;=2+5;`` is written ``x;'=2+5;``). ``clean_cell``
takes those apostrophes away on import: our exports import back unchanged.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _

MAX_BYTES = 1024 * 1024
# A cell starting with one of these (after any apostrophes or quotes) gets an apostrophe in front,
# so that spreadsheets read no formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a cell inside our text: the separators it may assume, line breaks.
CELL_BREAKS = re.compile(r"([,;\t\r\n])")


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


def would_be_formula(text: str) -> bool:
    """Whether a spreadsheet could take the text for a formula: it starts with one of
    ``FORMULA_STARTS``, perhaps after apostrophes (so that ``'=A1`` keeps its own apostrophe
    through an export and an import) or quotes (which a spreadsheet that lost track of the
    quoting may take for the start of a quoted cell)."""
    return text.lstrip("'\"")[:1] in FORMULA_STARTS


def text_cell(text: str) -> str:
    """Text as an exported cell: neither the cell nor any piece of it after a separator or a line
    break read as a formula (``clean_cell`` undoes it)."""
    pieces = CELL_BREAKS.split(text)  # text, break, text, break, ..., text
    pieces[2::2] = ["'" + piece if would_be_formula(piece) else piece for piece in pieces[2::2]]
    cell = "".join(pieces)
    return "'" + cell if would_be_formula(text) else cell


def clean_cell(cell: str) -> str:
    """Trim a cell and undo the apostrophes our exports put in front of would-be formulas."""
    if cell[:1] == "'" and would_be_formula(cell[1:]):  # before NFC, which may join "=" to what follows
        cell = cell[1:]
    pieces = CELL_BREAKS.split(cell)
    pieces[2::2] = [piece[1:] if piece[:1] == "'" and would_be_formula(piece[1:]) else piece for piece in pieces[2::2]]
    return unicodedata.normalize("NFC", "".join(pieces)).strip()


def write_rows(out, rows) -> None:
    """Write an export's rows (cells of text, numbers or None for empty) as CSV to ``out``:
    every cell quoted and guarded by ``text_cell``, numbers included."""
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([text_cell("" if cell is None else str(cell)) for cell in row])
