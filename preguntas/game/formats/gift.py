r"""Moodle GIFT, read as Moodle's own importer reads it (question/format/gift/format.php).

Questions are separated by blank lines; a line starting with ``//`` is a comment. A question is
``::title::`` (optional, not kept), its text and its answers between braces:

- ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}``: true or false;
- ``{=right ~wrong ~wrong}``: one ``=``, a single choice; several ``=``, a multiple choice; no
  ``=`` and weights (``~%50%a ~%50%b ~%-100%c``), a multiple choice of the positive ones (a
  partial weight beside an ``=`` is a wrong option here); only ``~`` and no weight, a poll;
- ``{#3.14:0.005}`` (number and tolerance), ``{#1..5}`` (a range), ``{#42}``: a number.

Text after the braces makes a missing-word question (``_____`` where the braces were).
``####text`` at the end of the answers is the general feedback: the explanation. Per-answer
feedback (``#text``) is not kept. ``$CATEGORY: path`` sets the topic of the questions after it
(the path's last part). ``\:``, ``\#``, ``\=``, ``\~``, ``\{``, ``\}`` and ``\\`` are the
characters themselves, ``\n`` a line break. A text starting with ``[html]`` is HTML, turned into
plain text (so is the default format, ``[moodle]``, when it holds tags); ``[plain]`` and
``[markdown]`` are kept as written.

Left out, each with its reason: essays (``{}``), matching (``{=a -> b}``), short answers (only
``=``, no ``~``), descriptions (no braces), and anything the kinds refuse (more than 6 options…).
Exports hold every question but polls (Moodle has no kind without a right answer).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import FileError
from preguntas.game.formats.items import (
    LINE, TOPIC_MAX_LENGTH, TRUE_FALSE, Item, Parsed, too_many, unsupported, with_options,
)
from preguntas.game.formats.text import clean, decode, looks_like_html, parse_number, plain_text, show_number

SPECIAL = "\\:#={}~"
# While a question's structure is read, its escaped characters are kept out of the way as these.
HIDDEN = {char: chr(0xE000 + i) for i, char in enumerate(SPECIAL)}
SHOWN = {hidden: char for char, hidden in HIDDEN.items()}
WEIGHT = re.compile(r"^%\s*(-?\d+(?:[.,]\d*)?)\s*%")
MARKERS = ("html", "moodle", "plain", "markdown")
MARKER = re.compile(r"^\[(%s)\]" % "|".join(MARKERS))
TRUE_FALSE_WORDS = ("T", "TRUE", "F", "FALSE")
FULL = 99.99  # a weight this high is full marks (Moodle writes 33.33333 for a third)


@dataclass
class Category:
    topic: str


def read(data: bytes) -> Parsed:
    try:
        text = decode(data)
    except FileError as error:
        return Parsed(error=str(error))
    parsed = Parsed(unit=LINE)
    topic = ""
    for line, block in blocks(text):
        found = question(block, topic)
        if isinstance(found, Category):
            topic = found.topic
            continue
        if len(parsed.items) + len(parsed.skipped) >= MAX_ROWS:
            return Parsed(error=too_many())
        if isinstance(found, Item):
            found.where = line
            parsed.items.append(found)
        else:
            shown, reasons = found
            parsed.skip(line, shown, *reasons)
    return parsed


def blocks(text: str):
    """(line, text) of each question: runs of lines between blank ones, comments left out; the
    line is the question's first one that is no comment."""
    block, start = [], 0
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            if block:
                yield start, "\n".join(block)
            block = []
        elif not stripped.startswith("//"):
            if not block:
                start = n
            block.append(line)
    if block:
        yield start, "\n".join(block)


def hide_escapes(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair[:1] == "\\" and pair[1:] in HIDDEN:
            out.append(HIDDEN[pair[1]])
            i += 2
        elif pair == "\\n":
            out.append("\n")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def show_escapes(text: str) -> str:
    return "".join(SHOWN.get(char, char) for char in text)


def with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """A text's ``[format]`` marker, if it starts with one, and the text without it."""
    text = text.strip()
    match = MARKER.match(text)
    return (match[1], text[match.end():]) if match else (default, text)


def as_plain(text: str, format_: str, one_line: bool = False) -> str:
    text = show_escapes(text)
    if format_ == "html" or (format_ == "moodle" and looks_like_html(text)):
        text = plain_text(text)
    return clean(text, one_line=one_line)


def question(block: str, topic: str) -> Item | Category | tuple[str, list[str]]:
    """One block of the file: an item, a change of category, or (text shown, reasons) for one
    that cannot be imported."""
    text = hide_escapes(block).strip()
    if text.startswith("$CATEGORY:"):
        return Category(category_topic(show_escapes(text[len("$CATEGORY:"):])))
    if text.startswith("::"):
        end = text.find("::", 2)
        text = text[end + 2 :].strip() if end != -1 else text[2:]
    start, finish = text.find("{"), text.find("}")
    if start == -1 and finish == -1:
        return as_plain(text, "moodle", one_line=True), [
            _("No tiene respuestas entre llaves { }: es un texto, no una pregunta.")
        ]
    if start == -1 or finish < start:
        return as_plain(text, "moodle", one_line=True), [_("Falta una llave: las respuestas van entre { y }.")]
    answers = text[start + 1 : finish].strip()
    rest = text[finish + 1 :]
    # Answers last: the text without them; answers in the middle: a blank where they were.
    statement = text[:start] + ("_____" + rest if rest.strip() else "")
    format_, statement = with_format(statement)
    shown = as_plain(statement, format_, one_line=True)
    if "{" in rest or "}" in rest:
        return shown, [_("Tiene más de un grupo de respuestas { }: aquí cabe uno por pregunta.")]
    feedback = ""
    if (i := answers.rfind("####")) != -1:
        answers, feedback = answers[:i].strip(), answers[i + 4 :]
    feedback_format, feedback = with_format(feedback, format_)
    fields = {"topic": topic, "explanation": as_plain(feedback, feedback_format)}
    statement = as_plain(statement, format_)
    if not answers:
        return shown, [unsupported(_("respuesta abierta (ensayo)"))]
    if answers.startswith("#"):
        return number(statement, answers[1:], fields)
    if "~" in answers:
        return choice(statement, answers, format_, fields)
    if "=" in answers and "->" in answers:
        return shown, [unsupported(_("emparejar"))]
    word = answers.split("#", 1)[0].strip()
    if word.upper() in TRUE_FALSE_WORDS:
        return Item(TRUE_FALSE.CODE, statement, answer=TRUE_FALSE.from_text(word), **fields)
    return shown, [unsupported(_("respuesta corta (sin opciones incorrectas con ~)"))]


def weight_of(answer: str) -> tuple[float | None, str]:
    """A ``%50%`` weight at the start of an answer, and the answer without it."""
    match = WEIGHT.match(answer)
    if not match:
        return None, answer
    return parse_number(match[1]), answer[match.end():]


def choice(statement: str, answers: str, format_: str, fields: dict) -> Item:
    single = "=" in answers  # as Moodle: an = makes it single; none, several answers with weights
    parts = answers.replace("=", "~=").split("~")
    options = []
    for answer in parts[1:] if not parts[0].strip() else parts:
        answer = answer.strip()
        marked = answer.startswith("=")
        weight, answer = weight_of(answer[1:] if marked else answer)
        if marked:
            right = weight is None or weight > 0
        elif single:
            right = weight is not None and weight >= FULL
        else:
            right = weight is not None and weight > 0
        option_format, text = with_format(answer.split("#", 1)[0], format_)
        options.append((as_plain(text, option_format, one_line=True), right))
    return with_options(statement, options, several=not single, **fields)


def number(statement: str, answers: str, fields: dict) -> Item | tuple[str, list[str]]:
    answers = answers.split("~", 1)[0]  # what follows ~ is feedback for any other answer
    found, shown = [], clean(show_escapes(statement), one_line=True)
    parts = [part.strip() for part in answers.split("=")]
    for part in parts[1:] if not parts[0] else parts:
        weight, part = weight_of(part)
        value = show_escapes(part.split("#", 1)[0]).strip()
        if value == "*":
            continue
        parsed = number_and_tolerance(value)
        if parsed is None:
            return shown, [
                _("«%(value)s» no es un número (ni número:tolerancia, ni mínimo..máximo).") % {"value": value}
            ]
        if weight is None or weight >= FULL:
            found.append(parsed)
    if not found:
        return shown, [_("No tiene ningún número correcto con toda la nota.")]
    if len(found) > 1:
        return shown, [_("Tiene varios números correctos: aquí cabe uno (con su tolerancia).")]
    return Item("number", statement, number=found[0][0], tolerance=found[0][1], **fields)


def number_and_tolerance(value: str) -> tuple[float, float] | None:
    """``3.14:0.005``, ``1..5`` (the middle, and half the range) or ``42``."""
    if ".." in value:
        low, high = (parse_number(v) for v in value.split("..", 1))
        return None if low is None or high is None else ((low + high) / 2, (high - low) / 2)
    if ":" in value:
        answer, tolerance = (parse_number(v) for v in value.split(":", 1))
        return None if answer is None or tolerance is None else (answer, tolerance)
    answer = parse_number(value)
    return None if answer is None else (answer, 0.0)


def category_topic(path: str) -> str:
    """A Moodle category path's last part, as a topic: ``$course$/top/Ríos`` → «Ríos» (``//`` in
    a name is a ``/``; ``$course$``-like contexts and ``top`` are no topic). Cut to a topic's length."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", path.strip())]
    parts = [part for part in parts if part and not re.fullmatch(r"\$\w+\$", part)]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return clean(parts[-1], one_line=True)[:TOPIC_MAX_LENGTH] if parts else ""


def category_path(topic: str) -> str:
    return "$course$/top/" + topic.replace("/", "//")


# Writing ----------------------------------------------------------------------------------------


def leaves_out(item: Item) -> str:
    if item.kind == "poll":
        return _("Moodle no tiene encuestas (preguntas sin respuesta correcta).")
    return ""


def escape(text: str) -> str:
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def marked(text: str) -> str:
    """A text as written: escaped, and with a ``[plain]`` marker where it would otherwise be read
    as a marker of its own or, at a line's start, as a comment."""
    text = escape(text)
    return "[plain]" + text if MARKER.match(text) or text.startswith("//") else text


def weight(n_right: int) -> str:
    return f"{100 / n_right:.5f}".rstrip("0").rstrip(".")


def write_item(item: Item) -> str:
    texts = [item.text, item.explanation, *(text for text, _right in item.options)]
    statement = marked(item.text)
    if any(looks_like_html(text) for text in texts) and not statement.startswith("[plain]"):
        statement = "[plain]" + statement  # answers and feedback take the question's format
    feedback = f"####{marked(item.explanation)}" if item.explanation else ""
    if item.kind == TRUE_FALSE.CODE:
        return f"{statement} {{{'TRUE' if item.answer else 'FALSE'}{feedback}}}"
    if item.kind == "number":
        return f"{statement} {{#{show_number(item.number)}:{show_number(item.tolerance)}{feedback}}}"
    n_right = sum(right for _text, right in item.options)
    lines = [f"{statement} {{"]
    for text, right in item.options:
        if item.kind == "choice":
            mark = "=" if right else "~"
        else:
            mark = f"~%{weight(n_right)}%" if right else "~%-100%"
        lines.append(f"\t{mark}{marked(text)}")
    if feedback:
        lines.append(f"\t{feedback}")
    return "\n".join(lines) + "\n}"


def write(items) -> bytes:
    out = ["// " + _("Preguntas exportadas de QuestionsRT."), ""]
    topic = ""
    for item in sorted((i for i in items if not leaves_out(i)), key=lambda i: i.topic):
        if item.topic != topic:
            topic = item.topic
            out += [f"$CATEGORY: {category_path(topic)}", ""]
        out += [write_item(item), ""]
    return "\n".join(out).encode("utf-8")
