"""A number: right when within the tolerance of the correct one (3.14 ± 0.005)."""

import math

from django.utils import formats
from django.utils.translation import gettext as _

from preguntas.game.errors import GameError

CODE = "number"
FIELD = "number"
SCORED = True

LIMIT = 1e12  # larger answers are typing slips, not numbers a class is asked for
BINS = 6  # about how many bars the histogram has (one more when the answers end on a bar's edge)


def problems(q) -> list[str]:
    found = []
    if not _is_number(q.numero):
        found.append(_("Escribe el número correcto."))
    if not _is_number(q.tolerancia) or q.tolerancia < 0:
        found.append(_("La tolerancia es un número, 0 o más."))
    return found


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and abs(x) <= LIMIT


def options(q=None) -> list:
    return []


def question(q) -> dict:
    return {}


def parse(q, raw) -> float:
    if not _is_number(raw):
        raise GameError("invalid", _("«number» debe ser un número."))
    return raw


def to_wire(stored: float) -> float:
    return stored


def keys(stored: float) -> list[str]:
    return []


def is_right(q, stored: float) -> bool:
    slack = 1e-9 * max(1.0, abs(q.numero))  # 0.1 + 0.2 is 0.3 to a teacher
    return abs(stored - q.numero) <= q.tolerancia + slack


def right_options(q) -> list[str]:
    return []


def reveal(q) -> dict:
    return {"correct_number": q.numero, "tolerance": q.tolerancia}


def wire_counts(counts: dict[str, int]) -> dict:
    return {}


def spread(q, values: list[float]) -> list[dict]:
    """About ``BINS`` bars of a round width (1, 2, 2.5 or 5 times a power of ten; a whole number
    when every answer is one) from the lowest answer to the highest (and the right range); each
    says how many answers fell in it and whether it holds part of the right range."""
    values = [v for v in values if _is_number(v)]
    right_low, right_high = q.numero - q.tolerancia, q.numero + q.tolerancia
    low, high = min(values + [right_low]), max(values + [right_high])
    if low == high:
        return [{"from": low, "to": high, "n": len(values), "right": True}]
    whole = all(float(x).is_integer() for x in values + [right_low, right_high])
    width = _round_width((high - low) / BINS, whole)
    start = math.floor(low / width) * width
    count = max(1, min(BINS + 1, math.ceil((high - start) / width + 1e-9)))
    if start + count * width <= high:  # the highest answer opens a bar of its own
        count += 1
    bins = [{"from": _round(start + i * width), "to": _round(start + (i + 1) * width), "n": 0} for i in range(count)]
    for b in bins:
        b["right"] = b["from"] <= right_high and right_low < b["to"]
    for v in values:
        bins[min(int((v - start) / width + 1e-9), count - 1)]["n"] += 1
    return bins


def _round_width(raw: float, whole: bool) -> float:
    if whole and raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole and power < 10 else (1, 2, 2.5, 5, 10)
    return next(step * power for step in steps if step * power >= raw)


def _round(x: float) -> float:
    return float(f"{x:.10g}")


def chance(q) -> None:
    return None


def label(q, stored: float) -> str:
    return show(stored)


def correct_label(q) -> str:
    if not q.tolerancia:
        return show(q.numero)
    return f"{show(q.numero)} ± {show(q.tolerancia)}"


def show(x: float) -> str:
    """A number as the page's language writes it (3,14 in Spanish)."""
    text = f"{x:.10g}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
