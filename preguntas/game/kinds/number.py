"""A number: right when within the tolerance of the correct one (3.14 ± 0.005)."""

import math

from django.utils import formats
from django.utils.translation import gettext as _

from preguntas.game.errors import GameError

CODE = "number"
FIELD = "number"
SCORED = True

LIMIT = 1e12  # larger answers are typing slips, not numbers a class is asked for
BINS = 6  # the histogram's most bars


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
    """Up to ``BINS`` bars of equal width from the lowest answer to the highest (and the right
    number); each says how many answers fell in it and whether it holds the right range."""
    values = [v for v in values if _is_number(v)]
    low = min(values + [q.numero - q.tolerancia])
    high = max(values + [q.numero + q.tolerancia])
    if low == high:
        return [{"from": low, "to": high, "n": len(values), "right": True}]
    width = (high - low) / BINS
    bins = [
        {"from": low + i * width, "to": low + (i + 1) * width, "n": 0,
         "right": low + i * width <= q.numero + q.tolerancia and q.numero - q.tolerancia <= low + (i + 1) * width}
        for i in range(BINS)
    ]
    for v in values:
        bins[min(int((v - low) / width), BINS - 1)]["n"] += 1
    for b in bins:
        b["from"], b["to"] = _round(b["from"]), _round(b["to"])
    return bins


def _round(x: float) -> float:
    return float(f"{x:.6g}")


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
