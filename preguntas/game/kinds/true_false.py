"""True or false: the answer is a boolean, stored as one; right when it equals the correct one."""

from django.utils.translation import gettext as _

from preguntas.game.errors import GameError
from preguntas.game.kinds import Option

CODE = "tf"


def options() -> list[Option]:
    return [Option("true", _("Verdadero"), True, "✓", "success"), Option("false", _("Falso"), False, "✗", "danger")]


def parse(value) -> bool:
    if not isinstance(value, bool):
        raise GameError("invalid", _("«value» debe ser true o false."))
    return value


def to_wire(stored: bool) -> bool:
    return stored


def option_of(stored: bool) -> str:
    return "true" if stored else "false"


def is_right(stored: bool, correct: bool) -> bool:
    return stored == correct


def right_options(correct: bool) -> list[str]:
    return [option_of(correct)]


def label(stored: bool) -> str:
    return _("Verdadero") if stored else _("Falso")


# How an answer is written in a CSV cell (the bank's import reads any of these, the export the first).
WORDS = {
    "verdadero": True, "v": True, "true": True, "sí": True, "si": True, "1": True,
    "falso": False, "f": False, "false": False, "no": False, "0": False,
}


def from_text(text: str) -> bool | None:
    """An answer as a teacher writes it (a CSV cell, a form's choice); None if it is none."""
    return WORDS.get(text.strip().casefold())


def to_text(stored: bool) -> str:
    return "verdadero" if stored else "falso"


def choices() -> list[tuple[bool, str]]:
    """The answers a teacher picks the right one from."""
    return [(True, _("Verdadero")), (False, _("Falso"))]
