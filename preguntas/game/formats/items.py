"""What every format reads into and writes from: a question as an ``Item``; what a file gave
(``Parsed``: items, and what was left out with the reasons); the checks every item passes."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preguntas.game import kinds
from preguntas.game.bank import MAX_ROWS
from preguntas.game.kinds import options as opts
from preguntas.models import Pregunta, Tipo

TEXT_MAX_LENGTH = Pregunta._meta.get_field("texto").max_length
TOPIC_MAX_LENGTH = Pregunta._meta.get_field("tema").max_length
EXPLANATION_MAX_LENGTH = Pregunta._meta.get_field("explicacion").max_length
TRUE_FALSE = kinds.get("tf")
WITH_OPTIONS = ("choice", "multi", "poll")


@dataclass
class Item:
    """One question as a file holds it. ``where`` is its place in the file (a line, a row, the
    how-manieth question: the format's ``Unit`` says which), for the teacher to find it."""

    kind: str  # a code of kinds.KINDS
    text: str
    topic: str = ""
    answer: bool | None = None  # true/false only
    options: list[tuple[str, bool]] = field(default_factory=list)  # (text, right), in order
    number: float | None = None
    tolerance: float = 0.0
    explanation: str = ""
    where: int = 0

    # A question as the kinds read one (kinds/__init__.py), so that their problems() check items too.
    @property
    def tipo(self) -> str:
        return self.kind

    @property
    def opciones(self) -> list[dict]:
        return opts.numbered(self.options)

    @property
    def numero(self) -> float | None:
        return self.number

    @property
    def tolerancia(self) -> float:
        return self.tolerance

    @property
    def correcta(self) -> bool | None:
        return self.answer

    @classmethod
    def of(cls, pregunta: Pregunta) -> "Item":
        return cls(
            kind=pregunta.tipo,
            text=pregunta.texto,
            topic=pregunta.tema,
            answer=pregunta.respuesta if pregunta.tipo == TRUE_FALSE.CODE else None,
            options=[(o["text"], o.get("correct") is True) for o in pregunta.opciones or []],
            number=pregunta.numero,
            tolerance=pregunta.tolerancia or 0.0,
            explanation=pregunta.explicacion,
        )

    def as_pregunta(self, propietario) -> Pregunta:
        return Pregunta(
            tipo=self.kind,
            texto=self.text,
            tema=self.topic,
            respuesta=self.answer if self.kind == TRUE_FALSE.CODE else None,
            opciones=self.opciones if self.kind in WITH_OPTIONS else [],
            numero=self.number if self.kind == "number" else None,
            tolerancia=self.tolerance if self.kind == "number" else 0,
            explicacion=self.explanation,
            propietario=propietario,
        )

    @property
    def kind_name(self) -> str:
        return Tipo(self.kind).label


class Unit(NamedTuple):
    """What an item's ``where`` counts in a format: its heading on the page, and how one reads."""

    heading: Promise  # «Línea»
    one: Promise  # «línea %(n)s»

    def name(self, n: int) -> str:
        return self.one % {"n": n}


LINE = Unit(gettext_lazy("Línea"), gettext_lazy("línea %(n)s"))
ROW = Unit(gettext_lazy("Fila"), gettext_lazy("fila %(n)s"))
QUESTION = Unit(gettext_lazy("Pregunta"), gettext_lazy("pregunta %(n)s"))


@dataclass(frozen=True)
class Skipped:
    """An item of the file left out, and why (each reason a sentence for the teacher)."""

    where: int
    text: str
    reasons: tuple[str, ...]


@dataclass
class Parsed:
    """What a file gave: the items to import and those left out. ``error`` is a problem with the
    whole file: then there is nothing else."""

    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    error: str = ""
    unit: Unit = LINE
    format_name: str = ""

    def skip(self, where: int, text: str, *reasons: str) -> None:
        self.skipped.append(Skipped(where, text, tuple(reasons)))


def too_many() -> str:
    """The whole-file error of a file with more than ``bank.MAX_ROWS`` questions."""
    return _("El archivo tiene más de %(max)s preguntas: divídelo en varios.") % {"max": MAX_ROWS}


def text_problems(text: str) -> list[str]:
    if not text:
        return [_("Falta el texto de la pregunta.")]
    if len(text) > TEXT_MAX_LENGTH:
        return [_("El texto tiene %(n)s caracteres (máximo %(max)s).") % {"n": len(text), "max": TEXT_MAX_LENGTH}]
    return []


def topic_problems(topic: str) -> list[str]:
    if len(topic) > TOPIC_MAX_LENGTH:
        return [_("El tema tiene %(n)s caracteres (máximo %(max)s).") % {"n": len(topic), "max": TOPIC_MAX_LENGTH}]
    return []


def explanation_problems(explanation: str) -> list[str]:
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        return [
            _("La explicación tiene %(n)s caracteres (máximo %(max)s).")
            % {"n": len(explanation), "max": EXPLANATION_MAX_LENGTH}
        ]
    return []


def problems(item: Item) -> list[str]:
    """Everything that keeps an item out of the bank, but being a duplicate."""
    return (
        text_problems(item.text)
        + kinds.get(item.kind).problems(item)
        + topic_problems(item.topic)
        + explanation_problems(item.explanation)
    )


def unsupported(what: str) -> str:
    """The reason for a question of a kind the bank has not: «ensayo», «emparejar»…"""
    return _("Las preguntas de %(what)s no se pueden importar: aquí no hay de ese tipo.") % {"what": what}


def true_false_of(options: list[tuple[str, bool]]) -> bool | None:
    """The answer of a true/false question written as two options, as formats without that kind
    write one (Aiken, Kahoot: «Verdadero» and «Falso», or «True» and «False», one of them right);
    None if the options are anything else. Only whole words count, not the letters, digits and
    yes/no that true_false.from_text also reads: options «Sí» and «No» stay options."""
    if len(options) != 2 or sum(right for _text, right in options) != 1:
        return None
    values = [TRUE_FALSE.from_text(text) if len(text.strip()) > 2 else None for text, _right in options]
    if set(values) != {True, False}:
        return None
    return next(value for value, (_text, right) in zip(values, options) if right)


def true_false_options(answer: bool) -> list[tuple[str, bool]]:
    """A true/false question as two options, for formats without that kind (true_false_of reads it back)."""
    return [(TRUE_FALSE.label(None, True), answer is True), (TRUE_FALSE.label(None, False), answer is False)]


def with_options(text: str, options: list[tuple[str, bool]], several: bool = False, **fields) -> Item:
    """An item with options whose kind follows from how many are right: none, a poll; one, a
    single choice (or true/false, see true_false_of); more, or ``several`` said by the file (a
    question where students may pick more than one), a multiple choice."""
    answer = None if several else true_false_of(options)
    if answer is not None:
        return Item(TRUE_FALSE.CODE, text, answer=answer, **fields)
    n_right = sum(right for _text, right in options)
    kind = "poll" if n_right == 0 else "choice" if n_right == 1 and not several else "multi"
    return Item(kind, text, options=options, **fields)
