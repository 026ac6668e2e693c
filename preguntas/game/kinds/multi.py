"""Multiple select: 2–6 options, one or more right; the answer is a set of option ids.

All or nothing: an answer is right when it picks exactly the right options, no more, no fewer.
"""

from django.utils.translation import gettext as _

from preguntas.game.errors import GameError
from preguntas.game.kinds import choice
from preguntas.game.kinds import options as opts

CODE = "multi"
FIELD = "options"
SCORED = True

options = opts.options
question = opts.question
wire_counts = opts.wire_counts


def problems(q) -> list[str]:
    return opts.problems(q, right=(1, None))


def parse(q, raw) -> list[int]:
    """Stored sorted, so that the same choice is always the same value."""
    if not isinstance(raw, list) or not raw or len(raw) > len(q.opciones):
        raise GameError("invalid", _("«options» debe ser una lista de ids de opciones de esta pregunta."))
    chosen = {opts.option_id(q, item) for item in raw}
    if len(chosen) != len(raw):
        raise GameError("invalid", _("«options» repite una opción."))
    return sorted(chosen)


def to_wire(stored: list[int]) -> list[int]:
    return stored


def keys(stored: list[int]) -> list[str]:
    return [str(i) for i in stored]


def is_right(q, stored: list[int]) -> bool:
    return sorted(stored) == sorted(opts.right_ids(q))


right_options = choice.right_options
reveal = choice.reveal
spread = choice.spread
correct_label = choice.correct_label


def chance(q) -> float:
    """Picking any non-empty set of the options at random."""
    return 1 / (2 ** len(q.opciones) - 1)


def label(q, stored: list[int]) -> str:
    return opts.texts(q, stored)

