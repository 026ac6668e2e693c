"""Question kinds: one module each, found by the code stored in ``Pregunta.tipo`` and ``Ronda.tipo``.

A kind's module owns what an answer looks like on the wire and in the database, how it is
validated, how a tally counts it, when it is right and how it reads. Nothing outside the kind
modules knows a kind's values. ``q`` below is a question or a round (models.Contenido: ``tipo``,
``opciones``, ``numero``, ``tolerancia``, and ``correcta`` for true/false). A module provides:

- ``CODE``; ``FIELD``, the answer frame's field that carries the answer (``"value"``, ``"option"``…);
  ``SCORED``: whether its answers can be right or wrong (a poll's cannot);
- ``problems(q)``: what is wrong with a question of this kind, as messages (none: it can be asked);
- ``options(q)``: what a tally counts, in order, as ``Option``s (none for a number);
- ``question(q)``: what the `question` frame adds for this kind (never which answer is right);
- ``parse(q, raw)``: the answer field as sent (JSON) → the value stored, or ``GameError("invalid")``;
- ``to_wire(stored)``: the stored value → JSON, as the protocol sends it;
- ``keys(stored)``: the tally keys an answer counts under;
- ``is_right(q, stored)``: whether an answer is right (None: this kind has no right answer);
- ``right_options(q)``: the tally keys of the right answer;
- ``reveal(q)``: what the `closed` frame says of the right answer;
- ``wire_counts(counts)``: how the tally, split and closed frames carry the counts;
- ``spread(q, values)``: the answers' spread as histogram bins, or None where options are counted;
- ``chance(q)``: the share of right answers that guessing would get, or None;
- ``label(q, stored)`` / ``correct_label(q)``: how an answer, and the right one, read.
"""

from importlib import import_module
from types import ModuleType
from typing import NamedTuple


class Option(NamedTuple):
    key: str  # what a tally counts the answer under ("true", "3")
    label: str  # how it reads («Verdadero», «Tajo»)
    value: object  # what a student sends to give this answer (true, 3)
    icon: str = ""  # shown beside the label, so that colour is never the only sign
    tone: str = "primary"  # its Bootstrap colour


KINDS = {
    "tf": "preguntas.game.kinds.true_false",
    "choice": "preguntas.game.kinds.choice",
    "multi": "preguntas.game.kinds.multi",
    "poll": "preguntas.game.kinds.poll",
    "number": "preguntas.game.kinds.number",
}
DEFAULT = "tf"


def get(code: str) -> ModuleType:
    return import_module(KINDS[code])


def of(obj) -> ModuleType:
    """The kind of a question or a round."""
    return get(obj.tipo)
