"""What the kinds with options (choice, multi, poll) share: options are
``[{"id": 1, "text": "Tajo", "correct": true}, …]`` in ``q.opciones``, answered by id."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from preguntas.game.errors import GameError, is_int
from preguntas.game.kinds import Option

MIN_OPTIONS = 2
MAX_OPTIONS = 6
MAX_TEXT = 200

TONES = ["primary", "warning", "info", "success", "danger", "secondary"]
# Shapes as well as colours, so that colour is never the only sign (as Kahoot's cards do).
ICONS = ["▲", "◆", "●", "■", "★", "✚"]


def problems(q, right: tuple[int, int | None]) -> list[str]:
    """The options' problems; ``right`` is (fewest, most) right options the kind takes."""
    found = []
    opciones = q.opciones if isinstance(q.opciones, list) else []
    texts = [str(o.get("text", "")).strip() for o in opciones if isinstance(o, dict)]
    if not MIN_OPTIONS <= len(texts) <= MAX_OPTIONS:
        found.append(_("Pon entre %(min)s y %(max)s opciones.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS})
    if not all(texts):
        found.append(_("Ninguna opción puede quedar vacía."))
    if any(len(text) > MAX_TEXT for text in texts):
        found.append(_("Cada opción cabe en %(max)s caracteres.") % {"max": MAX_TEXT})
    if len({text.casefold() for text in texts}) != len(texts):
        found.append(_("Hay dos opciones iguales."))
    ids = [o.get("id") for o in opciones if isinstance(o, dict)]
    if len(ids) != len(opciones) or not all(is_int(i) and i > 0 for i in ids) or len(set(ids)) != len(ids):
        found.append(_("Las opciones necesitan un id distinto cada una."))
    n_right = sum(1 for o in opciones if isinstance(o, dict) and o.get("correct") is True)
    fewest, most = right
    if most == 0 and n_right:
        found.append(_("Una encuesta no tiene respuesta correcta."))
    elif most == 1 and n_right != 1:
        found.append(_("Marca una opción correcta, solo una."))
    elif n_right < fewest:
        found.append(ngettext("Marca al menos %(n)s opción correcta.", "Marca al menos %(n)s opciones correctas.", fewest) % {"n": fewest})
    return found


def numbered(texts_and_right: list[tuple[str, bool]]) -> list[dict]:
    """Options as stored, numbered from 1 (a new question's, or an imported one's)."""
    return [{"id": i, "text": text, "correct": right} for i, (text, right) in enumerate(texts_and_right, 1)]


def options(q) -> list[Option]:
    return [
        Option(str(o["id"]), o["text"], o["id"], ICONS[i % len(ICONS)], TONES[i % len(TONES)])
        for i, o in enumerate(q.opciones)
    ]


def question(q) -> dict:
    """The options as students see them: id and text, never which is right."""
    return {"options": [{"id": o["id"], "text": o["text"]} for o in q.opciones]}


def option_id(q, raw) -> int:
    """One option of this question, by id."""
    if not is_int(raw) or raw not in {o["id"] for o in q.opciones}:
        raise GameError("invalid", _("«option» debe ser el id de una opción de esta pregunta."))
    return raw


def right_ids(q) -> list[int]:
    return [o["id"] for o in q.opciones if o.get("correct")]


def wire_counts(counts: dict[str, int]) -> dict:
    return {"options": counts}


def text_of(q, option: int) -> str:
    return next((o["text"] for o in q.opciones if o["id"] == option), "?")


def texts(q, ids) -> str:
    return "; ".join(text_of(q, i) for i in ids) or "—"
