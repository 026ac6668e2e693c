"""Question bank as CSV: import with per-row errors, export, the blank template, duplicates.

The file has a header line and the columns ``texto,respuesta,tema`` (``tema`` may be left
out), separated by ``,`` or ``;`` (Spanish Excel writes ``;``), in UTF-8 with or without a
BOM. Each row is imported or not on its own: the good rows go in, the bad ones come back
with their line number and a reason.

Two statements are the same question when they match after ``normalise_text``: Unicode
NFC, casefold, runs of white space collapsed to one space, trailing periods dropped.
Accents count ("Perú" and "Peru" are different questions).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from preguntas.game import kinds
from preguntas.game.csv_files import MAX_BYTES, FileError, clean_cell, read_table
from preguntas.game.errors import is_id
from preguntas.models import CuestionarioPregunta, Pregunta, Ronda

MAX_ROWS = 2000
COLUMNS = ("texto", "respuesta", "tema")
REQUIRED_COLUMNS = ("texto", "respuesta")
TEXT_MAX_LENGTH = Pregunta._meta.get_field("texto").max_length
TOPIC_MAX_LENGTH = Pregunta._meta.get_field("tema").max_length

# The file has no kind column: every question in it is of the default kind.
KIND = kinds.get(kinds.DEFAULT)


def normalise_text(text: str) -> str:
    """The key under which two statements count as the same question (see the module docstring)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).rstrip(".").rstrip()


@dataclass(frozen=True)
class NewQuestion:
    line: int
    texto: str
    respuesta: bool
    tema: str


@dataclass(frozen=True)
class RowError:
    line: int
    texto: str
    reasons: tuple[str, ...]


@dataclass
class ImportResult:
    """What a file holds. ``error`` is a problem with the whole file: then nothing is imported."""

    questions: list[NewQuestion] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error: str = ""


def parse_csv(data: bytes, bank_texts=(), bank_topics=()) -> ImportResult:
    """Read and check a CSV file against the teacher's bank, without touching the database.

    ``bank_texts`` are the statements already in the bank (for duplicates), ``bank_topics``
    its topics (a topic spelled with other capitals is written the bank's way).
    """
    try:
        table = read_table(data)
    except FileError as error:
        return ImportResult(error=str(error))
    if not _header_ok(table.header):
        return ImportResult(
            error=_("La primera línea debe ser la cabecera «%(columns)s» (tema es opcional); es «%(found)s».")
            % {"columns": table.delimiter.join(COLUMNS), "found": table.header_shown()}
        )
    if len(table.rows) > MAX_ROWS:
        return ImportResult(error=_("El archivo tiene más de %(max)s preguntas: divídelo en varios.") % {"max": MAX_ROWS})
    return _check_rows(table.rows, table.header, bank_texts, bank_topics)


def _header_ok(header: list[str]) -> bool:
    named = [name for name in header if name]  # Excel may leave empty columns at the end
    return (
        all(name in named for name in REQUIRED_COLUMNS)
        and all(name in COLUMNS for name in named)
        and len(set(named)) == len(named)
    )


def _check_rows(rows, header, bank_texts, bank_topics) -> ImportResult:
    result = ImportResult()
    in_bank = {normalise_text(t) for t in bank_texts}
    in_file: dict[str, int] = {}
    topics = {t.casefold(): t for t in bank_topics}
    for line, cells in rows:
        values = dict(zip(header, (clean_cell(cell) for cell in cells)))
        texto, answer, tema = values.get("texto", ""), values.get("respuesta", ""), values.get("tema", "")
        reasons = []
        if len(cells) > len(header):
            reasons.append(
                _("Tiene más columnas que la cabecera (¿un separador dentro del texto? Ponlo entre comillas).")
            )
        if not texto:
            reasons.append(_("Falta el texto de la pregunta."))
        elif len(texto) > TEXT_MAX_LENGTH:
            reasons.append(
                _("El texto tiene %(n)s caracteres (máximo %(max)s).") % {"n": len(texto), "max": TEXT_MAX_LENGTH}
            )
        if not answer:
            reasons.append(_("Falta la respuesta (verdadero o falso)."))
        elif KIND.from_text(answer) is None:
            reasons.append(
                _("Respuesta «%(value)s» no válida: usa verdadero o falso.") % {"value": Truncator(answer).chars(20)}
            )
        if len(tema) > TOPIC_MAX_LENGTH:
            reasons.append(
                _("El tema tiene %(n)s caracteres (máximo %(max)s).") % {"n": len(tema), "max": TOPIC_MAX_LENGTH}
            )
        key = normalise_text(texto)
        if not reasons and key in in_bank:
            reasons.append(_("Ya está en el banco de preguntas."))
        if not reasons and key in in_file:
            reasons.append(_("Repite la pregunta de la línea %(line)s.") % {"line": in_file[key]})
        if reasons:
            result.errors.append(RowError(line, texto, tuple(reasons)))
            continue
        in_file[key] = line
        tema = topics.setdefault(tema.casefold(), tema)
        result.questions.append(NewQuestion(line, texto, KIND.from_text(answer), tema))
    return result


def import_questions(user, data: bytes) -> ImportResult:
    """Parse a file against the teacher's visible bank and save the good rows as their own questions."""
    bank = Pregunta.objects.visibles_para(user)
    result = parse_csv(
        data,
        bank_texts=bank.values_list("texto", flat=True),
        bank_topics=bank.exclude(tema="").values_list("tema", flat=True).distinct(),
    )
    if result.questions:
        with transaction.atomic():
            Pregunta.objects.bulk_create(
                Pregunta(texto=q.texto, respuesta=q.respuesta, tema=q.tema, propietario=user) for q in result.questions
            )
    return result


def find_duplicate(user, texto: str, exclude_pk=None) -> Pregunta | None:
    """A question of the teacher's visible bank that says the same as ``texto``, if there is one.

    Normalising happens in Python, so this reads the whole visible bank (one query of texts).
    """
    key = normalise_text(texto)
    bank = Pregunta.objects.visibles_para(user).exclude(pk=exclude_pk).only("pk", "texto")
    return next((p for p in bank.iterator() if normalise_text(p.texto) == key), None)


@dataclass(frozen=True)
class Removal:
    deleted: int
    archived: int


def remove(user, pks) -> Removal:
    """Take the teacher's own questions among ``pks`` out of their bank and quizzes.

    A question never pushed is deleted; one that was pushed in a round is archived instead,
    so that the results and each student's history keep pointing at it.
    """
    ids = [int(pk) for pk in pks if isinstance(pk, str) and pk.isascii() and pk.isdigit() and is_id(int(pk))]
    own = Pregunta.objects.filter(propietario=user, archivada=False, pk__in=ids)
    with transaction.atomic():
        used = list(own.filter(Exists(Ronda.objects.filter(pregunta=OuterRef("pk")))).values_list("pk", flat=True))
        CuestionarioPregunta.objects.filter(pregunta__in=used).delete()
        archived = Pregunta.objects.filter(pk__in=used).update(archivada=True)
        unused = own.exclude(pk__in=used)
        deleted = unused.count()
        unused.delete()
    return Removal(deleted=deleted, archived=archived)


def copy(user, shared: Pregunta) -> Pregunta:
    """The teacher's own copy of a shared question, to edit; the shared one leaves their bank."""
    existing = Pregunta.objects.filter(propietario=user, copiada_de=shared, archivada=False).first()
    if existing:
        return existing
    return Pregunta.objects.create(
        tipo=shared.tipo, texto=shared.texto, respuesta=shared.respuesta, tema=shared.tema,
        propietario=user, copiada_de=shared,
    )


def export_rows(preguntas):
    """Header and one row per question, in the import's format (csv_files.write_rows defuses formulas)."""
    yield list(COLUMNS)
    for p in preguntas:
        yield [p.texto, kinds.of(p).to_text(p.respuesta), p.tema]


def template_rows():
    yield list(COLUMNS)
    yield [_("Bogotá es la capital de Colombia."), KIND.to_text(True), _("Capitales")]
    yield [_("El río Nilo desemboca en el océano Atlántico."), KIND.to_text(False), _("Ríos")]
