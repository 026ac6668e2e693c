"""Question kinds: one module each, found by the code stored in ``Pregunta.tipo`` and ``Ronda.tipo``.

A kind's module owns what an answer looks like on the wire and in the database, how it is
validated, how a tally counts it, when it is right and how it reads. Nothing outside the kind
modules knows a kind's values. A module provides:

- ``CODE``;
- ``options()``: what a tally counts, in order, as ``Option``s;
- ``parse(value)``: an answer as sent (JSON) → the value stored, or ``GameError("invalid")``;
- ``to_wire(stored)``: the stored value → JSON, as the protocol sends it;
- ``option_of(stored)``: the tally key an answer counts under;
- ``is_right(stored, correct)``: whether an answer is right;
- ``right_options(correct)``: the tally keys of the right answer;
- ``label(stored)``: how an answer (or the correct one) reads;
- ``choices()``: the answers a teacher picks the right one from, as (stored, label);
- ``from_text(text)`` / ``to_text(stored)``: an answer in a CSV cell (None: not one).
"""

from importlib import import_module
from types import ModuleType
from typing import NamedTuple


class Option(NamedTuple):
    key: str  # what a tally counts the answer under ("true")
    label: str  # how it reads («Verdadero»)
    value: object  # what a student sends to give this answer (true)
    icon: str = ""  # shown beside the label, so that colour is never the only sign
    tone: str = "primary"  # its Bootstrap colour

KINDS = {
    "tf": "preguntas.game.kinds.true_false",
}
DEFAULT = "tf"


def get(code: str) -> ModuleType:
    return import_module(KINDS[code])


def of(obj) -> ModuleType:
    """The kind of a question or a round."""
    return get(obj.tipo)
