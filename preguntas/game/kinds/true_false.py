"""True or false: the answer is a boolean, stored as one; right when it equals the correct one."""

from django.utils.translation import gettext as _

from preguntas.game.errors import GameError
from preguntas.game.kinds import Option

CODE = "tf"
FIELD = "value"
SCORED = True


def problems(q) -> list[str]:
    return [] if isinstance(q.correcta, bool) else [_("Di si la respuesta correcta es verdadero o falso.")]


def options(q=None) -> list[Option]:
    return [Option("true", _("Verdadero"), True, "✓", "success"), Option("false", _("Falso"), False, "✗", "danger")]


def question(q) -> dict:
    return {}


def parse(q, raw) -> bool:
    if not isinstance(raw, bool):
        raise GameError("invalid", _("«value» debe ser true o false."))
    return raw


def to_wire(stored: bool) -> bool:
    return stored


def keys(stored: bool) -> list[str]:
    return ["true" if stored else "false"]


def is_right(q, stored: bool) -> bool:
    return stored == q.correcta


def right_options(q) -> list[str]:
    return keys(q.correcta)


def reveal(q) -> dict:
    return {"correct": q.correcta}


def wire_counts(counts: dict[str, int]) -> dict:
    return counts  # `true` and `false` beside the frame's other fields, as before there were kinds


def spread(q, values) -> None:
    return None


def chance(q) -> float:
    return 0.5


def label(q, stored: bool) -> str:
    return _("Verdadero") if stored else _("Falso")


def correct_label(q) -> str:
    return label(q, q.correcta)


def choices() -> list[tuple[bool, str]]:
    """The answers a teacher picks the right one from."""
    return [(True, _("Verdadero")), (False, _("Falso"))]


# How an answer is written in a file (imports read any of these, exports write the first).
WORDS = {
    "verdadero": True, "v": True, "true": True, "t": True, "sí": True, "si": True, "1": True,
    "falso": False, "f": False, "false": False, "no": False, "0": False,
}


def from_text(text: str) -> bool | None:
    """An answer as a teacher writes it (a CSV cell, a form's choice); None if it is none."""
    return WORDS.get(text.strip().casefold())


def to_text(stored: bool) -> str:
    return "verdadero" if stored else "falso"
