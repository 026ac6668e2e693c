"""Spreadsheet (.xlsx) downloads: the rows of a CSV export as one sheet.

Numbers are written as numbers and text as text, always: openpyxl takes a string starting
with ``=`` for a formula (and ``#N/A`` for an error) unless the cell's type is set, so every
string cell is typed as a string here. A text that would start a formula (``csv_files``) is
also marked with Excel's quote prefix, so that it stays text when someone edits the cell.
"""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from preguntas.game.csv_files import would_be_formula

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME_COLUMN_WIDTH = 30


def set_cell(sheet, row: int, column: int, value):
    """Write text as a string cell (never a formula), a number as a number; nothing for None or
    "". Returns the cell written, if any."""
    if value is None or value == "":
        return None
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a sheet cannot hold
        cell.data_type = "s"
        cell.quotePrefix = would_be_formula(value)
    else:
        cell.value = value
    return cell


def workbook_bytes(title: str, rows) -> bytes:
    """A workbook with one sheet named ``title``: the rows (text, numbers, None for empty), the
    first one a bold header kept in view."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = set_cell(sheet, r, c, value)
            if cell is not None and r == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = NAME_COLUMN_WIDTH
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
