"""A poll: options with no right answer (an opinion, how sure the class feels); never scored.

Answered, counted and read as a single choice is; only what a right answer means differs."""

from preguntas.game.kinds import options as opts
from preguntas.game.kinds.choice import keys, label, options, parse, question, spread, to_wire, wire_counts  # noqa: F401

CODE = "poll"
FIELD = "option"
SCORED = False


def problems(q) -> list[str]:
    return opts.problems(q, right=(0, 0))


def is_right(q, stored: int) -> None:
    return None


def right_options(q) -> list[str]:
    return []


def reveal(q) -> dict:
    return {"correct_options": []}


def chance(q) -> None:
    return None


def correct_label(q) -> str:
    return "—"
