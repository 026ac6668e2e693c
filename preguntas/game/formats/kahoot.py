"""Kahoot's quiz spreadsheet template (.xlsx), the one Kahoot imports from «Import spreadsheet».

The template's first sheet has its header on row 8: Question, Answer 1 to 4, Time limit and
Correct answer(s) in columns B to H (column A numbers the questions), then a question a row. The
right answers are numbers, ``1`` or ``1,3``. Reading finds the header in the first rows by its
names (Question…, Answer N…, Correct answer(s)…), wherever it is: one right answer is a single
choice (or true/false, for the answers «True» and «False»), several a multiple choice. The time
limit is not kept (the teacher chooses it when pushing a question). Rows with no question nor
answers are skipped silently; a row with no right answer is listed with the reason.

Written in the same layout, with the template's column names and 20 seconds a question. Left
out: numbers, polls and questions with more than 4 options (the template has no room for them).
Kahoot takes questions up to 120 characters and answers up to 75: longer ones are written anyway,
for the teacher to shorten in Kahoot.

An .xlsx file is a zip of XML: before openpyxl reads it, the archive is checked (what it unpacks
to, at most ``MAX_UNPACKED``; no DOCTYPE or ENTITY in any part), so that a small upload cannot
become a large one.
"""

import io
import re
import zipfile

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import MAX_BYTES, FileError, too_large
from preguntas.game.formats.items import ROW, TRUE_FALSE, Item, Parsed, too_many, true_false_options, with_options
from preguntas.game.formats.text import clean
from preguntas.game.xlsx_files import set_cell

HEADER_ROW = 8
HEADERS = [
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
]
MAX_ANSWERS = 4
TIME_LIMIT = 20
HEADER_SEARCH = 30  # rows looked through for the header
MAX_UNPACKED = 16 * MAX_BYTES
MAX_PARTS = 500
MAX_COLUMNS = 30  # read of each row: the template's 8, and room for extra columns before them
MAX_SHEET_ROWS = HEADER_SEARCH + 2 * MAX_ROWS  # rows read: the questions, and blank ones between them


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED:
            raise FileError(_("La hoja de cálculo ocupa demasiado una vez descomprimida."))
        for part in parts:
            content = archive.read(part)  # reads no more than the size checked above
            if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                raise FileError(_("La hoja de cálculo trae una declaración DOCTYPE o ENTITY: no se admite."))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError):
        raise FileError(_("El archivo no es una hoja de cálculo .xlsx válida.")) from None


def sheet_rows(data: bytes) -> list[tuple[int, tuple]]:
    """(row number, values) of each row of the workbook's first sheet."""
    if len(data) > MAX_BYTES:
        raise FileError(too_large())
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Bounds on both sides: openpyxl fills the rows and columns a sheet skips, up to the
            # size the sheet claims, which may be a million rows.
            rows = sheet.iter_rows(values_only=True, max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS)
            found = [(n, tuple(values)) for n, values in enumerate(rows, 1)]
        finally:
            workbook.close()
        if len(found) > MAX_SHEET_ROWS and any(v is not None for v in found[-1][1]):
            raise FileError(too_many())
        return found[:MAX_SHEET_ROWS]
    except FileError:
        raise
    except Exception:  # openpyxl raises all sorts on a broken workbook; every one means the same here
        raise FileError(_("El archivo no es una hoja de cálculo .xlsx válida.")) from None


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _columns(values: tuple) -> dict | None:
    """Where the header's columns are, if ``values`` is the header row."""
    found = {"answers": {}}
    for i, value in enumerate(values):
        name = cell_text(value).casefold()
        if name.startswith("question"):
            found.setdefault("question", i)
        elif match := re.match(r"answer\s*(\d+)", name):
            found["answers"].setdefault(int(match[1]), i)
        elif name.startswith("correct answer"):
            found.setdefault("correct", i)
    if "question" in found and "correct" in found and len(found["answers"]) >= 2:
        return found
    return None


def read(data: bytes) -> Parsed:
    try:
        rows = sheet_rows(data)
    except FileError as error:
        return Parsed(error=str(error))
    header = next(
        ((i, columns) for i, (_n, values) in enumerate(rows[:HEADER_SEARCH]) if (columns := _columns(values))), None
    )
    if header is None:
        return Parsed(error=_(
            "No se encuentra la cabecera de la plantilla de Kahoot: una fila con «Question», «Answer 1», "
            "«Answer 2»… y «Correct answer(s)»."
        ))
    start, columns = header
    answer_columns = [columns["answers"][k] for k in sorted(columns["answers"])]
    parsed = Parsed(unit=ROW)
    for n, values in rows[start + 1 :]:
        def at(i):
            return values[i] if i < len(values) else None

        text = cell_text(at(columns["question"]))
        answers = [cell_text(at(i)) for i in answer_columns]
        correct = cell_text(at(columns["correct"]))
        if not text and not any(answers) and not correct:
            continue
        if len(parsed.items) + len(parsed.skipped) >= MAX_ROWS:
            return Parsed(error=too_many())
        right, reason = _right_answers(correct, answers)
        if reason:
            parsed.skip(n, text, reason)
            continue
        options = [(answer, i in right) for i, answer in enumerate(answers, 1) if answer]
        parsed.items.append(with_options(text, options, several=len(right) > 1, where=n))
    return parsed


def _right_answers(cell: str, answers: list[str]) -> tuple[set[int], str]:
    """The numbers in «Correct answer(s)» (``1``, ``1,3``), or the reason they are no answers."""
    if not cell:
        return set(), _("Falta la respuesta correcta (columna «Correct answer(s)»: 1, 2, 3 o 4; varias con comas).")
    numbers = set()
    for token in re.split(r"[\s,;]+", cell.strip()):
        if not token.isdigit() or not 1 <= int(token) <= len(answers):
            return set(), _(
                "«%(value)s» en «Correct answer(s)» no es el número de una respuesta (de 1 a %(n)s)."
            ) % {"value": Truncator(cell).chars(20), "n": len(answers)}
        if not answers[int(token) - 1]:
            return set(), _("La respuesta correcta %(n)s está vacía.") % {"n": token}
        numbers.add(int(token))
    return numbers, ""


def leaves_out(item: Item) -> str:
    if item.kind not in (TRUE_FALSE.CODE, "choice", "multi"):
        return _("La plantilla de Kahoot solo tiene preguntas con respuesta correcta entre opciones.")
    if len(item.options) > MAX_ANSWERS:
        return _("Tiene %(n)s opciones; la plantilla de Kahoot admite %(max)s.") % {
            "n": len(item.options), "max": MAX_ANSWERS
        }
    return ""


def write(items) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    set_cell(sheet, 2, 2, _("Preguntas exportadas de QuestionsRT.")).font = Font(bold=True)
    set_cell(sheet, 3, 2, _("Impórtalas en Kahoot: Crear → Kahoot → Importar hoja de cálculo."))
    for c, name in enumerate(HEADERS, 2):
        set_cell(sheet, HEADER_ROW, c, name).font = Font(bold=True)
    r = HEADER_ROW
    for item in items:
        if leaves_out(item):
            continue
        r += 1
        options = true_false_options(item.answer) if item.kind == TRUE_FALSE.CODE else item.options
        right = [i for i, (_text, is_right) in enumerate(options, 1) if is_right]
        set_cell(sheet, r, 1, r - HEADER_ROW)
        set_cell(sheet, r, 2, item.text)
        for c, (text, _right) in enumerate(options, 3):
            set_cell(sheet, r, c, text)
        set_cell(sheet, r, 7, TIME_LIMIT)
        set_cell(sheet, r, 8, right[0] if len(right) == 1 else ",".join(map(str, right)))
    sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
