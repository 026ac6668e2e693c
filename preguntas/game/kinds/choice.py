"""Single choice: 2–6 options, one right; the answer is one option's id."""

from preguntas.game.kinds import options as opts

CODE = "choice"
FIELD = "option"
SCORED = True

options = opts.options
question = opts.question
wire_counts = opts.wire_counts


def problems(q) -> list[str]:
    return opts.problems(q, right=(1, 1))


def parse(q, raw) -> int:
    return opts.option_id(q, raw)


def to_wire(stored: int) -> int:
    return stored


def keys(stored: int) -> list[str]:
    return [str(stored)]


def is_right(q, stored: int) -> bool:
    return stored in opts.right_ids(q)


def right_options(q) -> list[str]:
    return [str(i) for i in opts.right_ids(q)]


def reveal(q) -> dict:
    return {"correct_options": opts.right_ids(q)}


def spread(q, values) -> None:
    return None


def chance(q) -> float:
    return 1 / len(q.opciones)


def label(q, stored: int) -> str:
    return opts.text_of(q, stored)


def correct_label(q) -> str:
    return opts.texts(q, opts.right_ids(q))
