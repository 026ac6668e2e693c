"""A poll: options with no right answer (an opinion, how sure the class feels); never scored."""

from preguntas.game.kinds import options as opts

CODE = "poll"
FIELD = "option"
SCORED = False

options = opts.options
question = opts.question
wire_counts = opts.wire_counts


def problems(q) -> list[str]:
    return opts.problems(q, right=(0, 0))


def parse(q, raw) -> int:
    return opts.option_id(q, raw)


def to_wire(stored: int) -> int:
    return stored


def keys(stored: int) -> list[str]:
    return [str(stored)]


def is_right(q, stored: int) -> None:
    return None


def right_options(q) -> list[str]:
    return []


def reveal(q) -> dict:
    return {"correct_options": []}


def spread(q, values) -> None:
    return None


def chance(q) -> None:
    return None


def label(q, stored: int) -> str:
    return opts.text_of(q, stored)


def correct_label(q) -> str:
    return "—"
