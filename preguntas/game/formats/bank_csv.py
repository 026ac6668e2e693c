r"""Our own CSV: the one format that holds every question whole.

A header line, then a question a line, separated by ``,`` or ``;`` (Spanish Excel writes ``;``),
in UTF-8 with or without a BOM (csv_files reads it). Columns, in any order, named in any case:

- ``tipo``: ``vf`` (verdadero o falso), ``una`` (una respuesta entre varias), ``varias`` (varias
  correctas), ``encuesta`` or ``numero`` (``número``, and the codes tf, choice, multi, poll and
  number, are read too). Empty: vf.
- ``texto``: the statement, up to 300 characters.
- ``respuesta``: for vf, verdadero or falso (also v/f, sí/no, true/false, 1/0); for numero, the
  number and, after ``±``, how far from it an answer may be: ``3.14±0.005`` (``+-`` or ``+/-`` for
  ``±``; a decimal comma is fine; no tolerance: the exact number). Empty for the others.
- ``opciones``: for una, varias and encuesta, the options in order, separated by ``|``, each
  right one with a ``*`` in front: ``*Tajo|Ebro|Duero``. In an option's text, ``\|`` is a ``|``,
  ``\*`` at its start a ``*`` that marks nothing, ``\\`` a ``\``.
- ``tema`` and ``explicacion`` (shown to the class when the answer is revealed): optional.

A file without a ``tipo`` column is one from before there were kinds, ``texto,respuesta,tema``
(tema optional): every row a true/false question, read exactly as it always was.

Each row is imported or not on its own: bad rows come back with their line and reasons. Exports
quote every cell and keep spreadsheets from reading a formula (csv_files.write_rows), and write
the number always with its ``±`` so that no spreadsheet takes ``3.14`` for a date.
"""

import csv
import io
import re
import unicodedata

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from preguntas.game import kinds
from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import FileError, clean_cell, read_table, write_rows
from preguntas.game.formats.items import (
    LINE, TRUE_FALSE, WITH_OPTIONS, Item, Parsed, explanation_problems, text_problems, too_many, topic_problems,
)
from preguntas.game.formats.text import parse_number, show_number

COLUMNS = ("tipo", "texto", "respuesta", "opciones", "tema", "explicacion")
OLD_COLUMNS = ("texto", "respuesta", "tema")
KIND_WORDS = {"tf": "vf", "choice": "una", "multi": "varias", "poll": "encuesta", "number": "numero"}
PLUS_MINUS = re.compile(r"\s*(?:±|\+/-|\+-)\s*")


def is_header(line: str) -> bool:
    """Whether a file's first line is our header (detect() asks, for a file with no telling name)."""
    delimiter = ";" if line.count(";") > line.count(",") else ","
    names = next(csv.reader([line], delimiter=delimiter), [])
    return _header_ok([unicodedata.normalize("NFC", name).strip().casefold() for name in names])


def _header_ok(header: list[str]) -> bool:
    named = [name for name in header if name]  # Excel may leave empty columns at the end
    required = ("texto",) if "tipo" in named else ("texto", "respuesta")
    return all(name in named for name in required) and set(named) <= set(COLUMNS) and len(set(named)) == len(named)


def read(data: bytes) -> Parsed:
    try:
        table = read_table(data)
    except FileError as error:
        return Parsed(error=str(error))
    if not _header_ok(table.header):
        return Parsed(
            error=_("La primera línea debe ser la cabecera «%(columns)s» (o, para verdadero o falso, la de antes: "
                    "«%(old)s»); es «%(found)s».")
            % {"columns": table.delimiter.join(COLUMNS), "old": table.delimiter.join(OLD_COLUMNS),
               "found": table.header_shown()}
        )
    if len(table.rows) > MAX_ROWS:
        return Parsed(error=too_many())
    parsed = Parsed(unit=LINE)
    for line, cells in table.rows:
        values = dict(zip(table.header, (clean_cell(cell) for cell in cells)))
        reasons = []
        if len(cells) > len(table.header):
            reasons.append(
                _("Tiene más columnas que la cabecera (¿un separador dentro del texto? Ponlo entre comillas).")
            )
        texto = values.get("texto", "")
        reasons += text_problems(texto)
        item, kind_reasons = _item(values)
        reasons += kind_reasons
        tema, explicacion = values.get("tema", ""), values.get("explicacion", "")
        reasons += topic_problems(tema) + explanation_problems(explicacion)
        if reasons:
            parsed.skip(line, texto, *reasons)
        else:
            item.text, item.topic, item.explanation, item.where = texto, tema, explicacion, line
            parsed.items.append(item)
    return parsed


def _item(values: dict[str, str]) -> tuple[Item | None, list[str]]:
    """The kind and answer of a row as an item (its text and topic come later), or the reasons it has none."""
    kind = kind_of(values.get("tipo", ""))
    answer = values.get("respuesta", "")
    if kind is None:
        return None, [
            _("Tipo «%(value)s» no válido: usa vf, una, varias, encuesta o numero.")
            % {"value": Truncator(values["tipo"]).chars(20)}
        ]
    if kind == TRUE_FALSE.CODE:
        if not answer:
            return None, [_("Falta la respuesta (verdadero o falso).")]
        if TRUE_FALSE.from_text(answer) is None:
            return None, [
                _("Respuesta «%(value)s» no válida: usa verdadero o falso.") % {"value": Truncator(answer).chars(20)}
            ]
        return Item(kind, "", answer=TRUE_FALSE.from_text(answer)), []
    if kind == "number":
        if not answer:
            return None, [_("Falta el número correcto (en la columna respuesta).")]
        number = parse_number_answer(answer)
        if number is None:
            return None, [
                _("Respuesta «%(value)s» no válida: escribe un número, como 3.14 o 3.14±0.01.")
                % {"value": Truncator(answer).chars(20)}
            ]
        item = Item(kind, "", number=number[0], tolerance=number[1])
    else:
        item = Item(kind, "", options=split_options(values.get("opciones", "")))
    return item, kinds.get(kind).problems(item)


def kind_of(cell: str) -> str | None:
    """A ``tipo`` cell's kind code; an empty cell is true/false; None if it names no kind."""
    word = "".join(c for c in unicodedata.normalize("NFKD", cell.strip().casefold()) if not unicodedata.combining(c))
    if not word:
        return TRUE_FALSE.CODE
    if word in kinds.KINDS:
        return word
    return next((code for code, name in KIND_WORDS.items() if name == word), None)


def parse_number_answer(text: str) -> tuple[float, float] | None:
    """``3.14±0.005`` → (3.14, 0.005); ``3.14`` → (3.14, 0); None if it is no number."""
    parts = PLUS_MINUS.split(text.strip(), maxsplit=1)
    number = parse_number(parts[0])
    tolerance = parse_number(parts[1]) if len(parts) == 2 else 0.0
    if number is None or tolerance is None:
        return None
    return number, tolerance


def split_options(cell: str) -> list[tuple[str, bool]]:
    r"""``*Tajo|Ebro|Duero`` → [("Tajo", True), ("Ebro", False), ("Duero", False)] (see the module
    docstring for ``\|``, ``\*`` and ``\\``). An empty cell has no options."""
    if not cell.strip():
        return []
    options, text, right, escaped = [], "", False, False
    for char in cell:
        if escaped:
            text += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            options.append((text.strip(), right))
            text, right = "", False
        elif char == "*" and not right and not text.strip():
            right = True
        else:
            text += char
    options.append((text.strip() + ("\\" if escaped else ""), right))
    return options


def join_options(options: list[tuple[str, bool]]) -> str:
    def one(text: str, right: bool) -> str:
        text = text.replace("\\", "\\\\").replace("|", "\\|")
        if text.startswith("*"):
            text = "\\" + text
        return ("*" if right else "") + text

    return "|".join(one(text, right) for text, right in options)


def leaves_out(item: Item) -> str:
    return ""


def _row(item: Item) -> list[str]:
    answer = options = ""
    if item.kind == TRUE_FALSE.CODE:
        answer = TRUE_FALSE.to_text(item.answer)
    elif item.kind == "number":
        answer = f"{show_number(item.number)}±{show_number(item.tolerance)}"
    elif item.kind in WITH_OPTIONS:
        options = join_options(item.options)
    return [KIND_WORDS[item.kind], item.text, answer, options, item.topic, item.explanation]


def rows(items):
    """Header and one row per item, as ``write`` writes them (csv_files.write_rows defuses formulas)."""
    yield list(COLUMNS)
    for item in items:
        yield _row(item)


def write(items) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read the accents right
    write_rows(out, rows(items))
    return out.getvalue().encode("utf-8")


def template_rows():
    """The blank template: the header and an example of each kind."""
    examples = [
        Item("tf", _("Bogotá es la capital de Colombia."), topic=_("Capitales"), answer=True),
        Item("tf", _("El río Nilo desemboca en el océano Atlántico."), topic=_("Ríos"), answer=False,
             explanation=_("Desemboca en el mar Mediterráneo.")),
        Item("choice", _("¿Qué río pasa por Zaragoza?"), topic=_("Ríos"),
             options=[(_("Ebro"), True), (_("Tajo"), False), (_("Duero"), False)]),
        Item("multi", _("¿Qué países están en Sudamérica?"), topic=_("Países"),
             options=[(_("Perú"), True), (_("Chile"), True), (_("México"), False), (_("Cuba"), False)]),
        Item("poll", _("¿Qué tema repasamos el próximo día?"),
             options=[(_("Ríos"), False), (_("Capitales"), False), (_("Montañas"), False)]),
        Item("number", _("¿Cuántos países hay en Sudamérica?"), topic=_("Países"), number=12, tolerance=0),
    ]
    return rows(examples)
