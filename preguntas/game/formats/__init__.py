"""The question bank in files: our CSV and the formats other tools export (Moodle GIFT and XML,
Aiken, Kahoot's spreadsheet). One module per format, one registry (``FORMATS``) as the seam.

A format's module provides:

- ``read(data: bytes) -> Parsed``: the items of a file, and those it leaves out with the reasons
  (a question of a kind the bank has not, a row it cannot make sense of); a problem with the whole
  file (not UTF-8, too large, not that format at all) is ``Parsed.error`` and nothing else;
- ``leaves_out(item) -> str``: why the format cannot hold a question, or "" when it can;
- ``write(items) -> bytes``: the file, with the items it can hold.

Importing is never all or nothing: ``save`` keeps every good item and lists the others, each
with its reasons (the kind's own ``problems``, too long a text, a duplicate of the teacher's bank
or of an earlier question of the file). Limits for every format: ``csv_files.MAX_BYTES`` per file
and ``bank.MAX_ROWS`` questions.
"""

import re
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import PurePath
from types import ModuleType

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preguntas.game.bank import normalise_text
from preguntas.game.csv_files import MAX_BYTES, too_large
from preguntas.game.formats.items import Item, Parsed, Skipped, problems
from preguntas.models import Pregunta

@dataclass(frozen=True)
class Format:
    code: str  # in the export's address: /preguntas/exportar/gift/
    name: str  # as the pages name it
    module_path: str
    filename: str  # of the download
    content_type: str
    extensions: tuple[str, ...]  # of the files it reads by their name alone
    carries: Promise  # what it keeps of a question, for the bank page

    @property
    def module(self) -> ModuleType:
        return import_module(self.module_path)

    def read(self, data: bytes) -> Parsed:
        parsed = self.module.read(data)
        return replace(parsed, format_name=self.name)

    def write(self, items: list[Item]) -> bytes:
        return self.module.write(items)

    def leaves_out(self, item: Item) -> str:
        return self.module.leaves_out(item)


TEXT = "text/plain; charset=utf-8"
FORMATS = {
    f.code: f
    for f in [
        Format(
            "csv", "CSV", "preguntas.game.formats.bank_csv", "preguntas.csv", "text/csv; charset=utf-8", (".csv",),
            gettext_lazy("todas las preguntas, con su tema y su explicación"),
        ),
        Format(
            "gift", "Moodle GIFT", "preguntas.game.formats.gift", "preguntas-gift.txt", TEXT, (".gift",),
            gettext_lazy("todas menos las encuestas"),
        ),
        Format(
            "moodle-xml", "Moodle XML", "preguntas.game.formats.moodle_xml", "preguntas-moodle.xml",
            "application/xml; charset=utf-8", (".xml",),
            gettext_lazy("todas menos las encuestas"),
        ),
        Format(
            "aiken", "Aiken", "preguntas.game.formats.aiken", "preguntas-aiken.txt", TEXT, (".aiken",),
            gettext_lazy("verdadero o falso y una respuesta entre varias; sin tema ni explicación"),
        ),
        Format(
            "kahoot", "Kahoot (.xlsx)", "preguntas.game.formats.kahoot", "preguntas-kahoot.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",),
            gettext_lazy(
                "verdadero o falso y preguntas de hasta 4 opciones con alguna correcta; sin tema ni explicación"
            ),
        ),
    ]
}

ZIP = b"PK\x03\x04"
OLD_EXCEL = b"\xd0\xcf\x11\xe0"
AIKEN_ANSWER = re.compile(r"^\s*ANSWER\s*:\s*[A-Za-z]", re.MULTILINE | re.IGNORECASE)
GIFT_ANSWERS = re.compile(r"\{\s*(?:[=~#}]|T\s*[#}]|F\s*[#}]|TRUE\b|FALSE\b)")


class UnknownFormat(Exception):
    pass


def detect(filename: str, data: bytes) -> Format:
    """The format of an uploaded file, by what it holds and, for text, by its name: a spreadsheet
    is Kahoot's, XML is Moodle's, a ``.csv`` ours; other text is told apart by its look (our CSV's
    header, GIFT's braces, Aiken's ``ANSWER:`` lines). Raises UnknownFormat, with the reason."""
    if data.startswith(ZIP):
        return FORMATS["kahoot"]
    if data.startswith(OLD_EXCEL):
        raise UnknownFormat(_("Es una hoja de Excel antigua (.xls): guárdala como «Libro de Excel (.xlsx)»."))
    head = data[:512].decode("utf-8-sig", errors="replace").lstrip()
    if head.startswith(("<?xml", "<quiz")):
        return FORMATS["moodle-xml"]
    extension = PurePath(filename or "").suffix.casefold()
    for f in FORMATS.values():
        if extension in f.extensions:
            return f
    text = data[:MAX_BYTES].decode("utf-8-sig", errors="replace")
    first_line = text.lstrip().split("\n", 1)[0]
    if FORMATS["csv"].module.is_header(first_line):
        return FORMATS["csv"]
    if GIFT_ANSWERS.search(text):
        return FORMATS["gift"]
    if AIKEN_ANSWER.search(text):
        return FORMATS["aiken"]
    raise UnknownFormat(
        _("No se reconoce el formato del archivo. Sube un CSV, un archivo GIFT o Aiken (.txt), "
          "un Moodle XML (.xml) o una hoja de Kahoot (.xlsx).")
    )


def read(filename: str, data: bytes) -> Parsed:
    """A file in any of the formats, detected (see ``detect``)."""
    if len(data) > MAX_BYTES:
        return Parsed(error=too_large())
    try:
        found = detect(filename, data)
    except UnknownFormat as error:
        return Parsed(error=str(error))
    return found.read(data)


def check(parsed: Parsed, bank_texts=(), bank_topics=()) -> Parsed:
    """The items that can go into a bank, without touching the database: each item's problems
    (items.problems), then duplicates of ``bank_texts`` (the statements already in the bank) or of
    an earlier item (bank.normalise_text). A topic spelled with other capitals than one of
    ``bank_topics`` is written the bank's way. The left-out items join ``skipped``, in file order."""
    if parsed.error:
        return parsed
    in_bank = {normalise_text(t) for t in bank_texts}
    in_file: dict[str, int] = {}
    topics = {t.casefold(): t for t in bank_topics}
    items, skipped = [], list(parsed.skipped)
    for item in parsed.items:
        reasons = problems(item)
        key = normalise_text(item.text)
        if not reasons and key in in_bank:
            reasons.append(_("Ya está en el banco de preguntas."))
        if not reasons and key in in_file:
            reasons.append(_("Repite la pregunta de la %(where)s.") % {"where": parsed.unit.name(in_file[key])})
        if reasons:
            skipped.append(Skipped(item.where, item.text, tuple(reasons)))
            continue
        in_file[key] = item.where
        items.append(replace(item, topic=topics.setdefault(item.topic.casefold(), item.topic)))
    skipped.sort(key=lambda s: s.where)
    return replace(parsed, items=items, skipped=skipped)


def bank_of(user):
    """The questions an import is checked against: a teacher's visible bank, or the shared one (no user)."""
    if user is None:
        return Pregunta.objects.filter(propietario__isnull=True, archivada=False)
    return Pregunta.objects.visibles_para(user)


def save(user, parsed: Parsed) -> Parsed:
    """Check a file's items against the bank and create the good ones, in one transaction, as the
    teacher's own questions (``user`` None: shared questions). The result's items are those created."""
    bank = bank_of(user)
    result = check(
        parsed,
        bank_texts=bank.values_list("texto", flat=True),
        bank_topics=bank.exclude(tema="").values_list("tema", flat=True).distinct(),
    )
    if result.items:
        with transaction.atomic():
            Pregunta.objects.bulk_create(item.as_pregunta(user) for item in result.items)
    return result


def import_file(user, filename: str, data: bytes) -> Parsed:
    """Read a file in any format and save what it holds (see ``read`` and ``save``)."""
    parsed = read(filename, data)
    return parsed if parsed.error else save(user, parsed)


def export(code: str, preguntas) -> bytes:
    """The questions as a file in one format; those it cannot hold are left out (Format.leaves_out)."""
    return FORMATS[code].write([Item.of(p) for p in preguntas])
