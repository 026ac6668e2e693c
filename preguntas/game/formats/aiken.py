"""Aiken, as Moodle reads it: a question, its options and the right one's letter.

    ¿Qué río pasa por Zaragoza?
    A. Tajo
    B) Ebro
    C. Duero
    ANSWER: B

The question on its own line (or several, joined); each option a capital letter, ``.`` or ``)``,
a space and its text; then ``ANSWER:`` and the letter. Blank lines between questions are
optional. One right option is a single choice; two options that read true and false, a true/false
question; ``ANSWER: A, C`` (not Moodle's, but what a teacher may write) a multiple choice. Aiken
has no topic, explanation, number or poll: exports leave out the kinds it cannot hold and write a
true/false question as the options «Verdadero» and «Falso».
"""

import re

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import FileError
from preguntas.game.formats.items import LINE, TRUE_FALSE, Item, Parsed, too_many, true_false_options, with_options
from preguntas.game.formats.text import clean, decode

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Question:
    def __init__(self, line: int):
        self.line = line
        self.lines: list[str] = []
        self.options: list[tuple[str, str]] = []  # (letter, text)

    @property
    def text(self) -> str:
        return clean(" ".join(self.lines), one_line=True)


def read(data: bytes) -> Parsed:
    try:
        text = decode(data)
    except FileError as error:
        return Parsed(error=str(error))
    parsed = Parsed(unit=LINE)
    current = None
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if len(parsed.items) + len(parsed.skipped) > MAX_ROWS:
            return Parsed(error=too_many())
        if answer := ANSWER.match(line):
            if current is None:
                parsed.skip(n, "", _("Una línea «ANSWER:» sin pregunta ni opciones antes."))
            else:
                _finish(parsed, current, answer[1].strip())
            current = None
            continue
        option = OPTION.match(line)
        if current is not None and current.lines and option:
            current.options.append((option[1], clean(option[2], one_line=True)))
            continue
        if current is not None and current.options:
            parsed.skip(current.line, current.text, no_answer())
            current = None
        if current is None:
            current = _Question(n)
        current.lines.append(line)
    if current is not None:
        parsed.skip(current.line, current.text, no_answer())
    if len(parsed.items) + len(parsed.skipped) > MAX_ROWS:
        return Parsed(error=too_many())
    return parsed


def no_answer() -> str:
    return _("Falta la línea «ANSWER:» con la letra de la respuesta correcta.")


def _finish(parsed: Parsed, question: _Question, answer: str) -> None:
    if not question.options:
        parsed.skip(question.line, question.text, _("No tiene opciones (A. …, B. …) antes de «ANSWER:»."))
        return
    letters = [token.upper() for token in re.split(r"[\s,;]+", answer) if token]
    if not letters or any(len(letter) != 1 or letter not in LETTERS for letter in letters):
        parsed.skip(question.line, question.text, _(
            "«ANSWER: %(value)s» debe dar la letra de la respuesta correcta, como «ANSWER: B»."
        ) % {"value": Truncator(answer).chars(20)})
        return
    missing = [letter for letter in letters if letter not in {option for option, _text in question.options}]
    if missing:
        parsed.skip(question.line, question.text, _("«ANSWER: %(value)s» no es ninguna de las opciones.") % {
            "value": ", ".join(missing)
        })
        return
    options = [(text, letter in letters) for letter, text in question.options]
    parsed.items.append(with_options(question.text, options, several=len(set(letters)) > 1, where=question.line))


def leaves_out(item: Item) -> str:
    if item.kind not in (TRUE_FALSE.CODE, "choice"):
        return _("Aiken solo tiene preguntas de una respuesta correcta entre varias.")
    return ""


def write(items) -> bytes:
    out = []
    for item in items:
        if leaves_out(item):
            continue
        options = true_false_options(item.answer) if item.kind == TRUE_FALSE.CODE else item.options
        out.append(clean(item.text, one_line=True))
        for letter, (text, _right) in zip(LETTERS, options):
            out.append(f"{letter}. {clean(text, one_line=True)}")
        out.append("ANSWER: " + next(letter for letter, (_text, right) in zip(LETTERS, options) if right))
        out.append("")
    return "\n".join(out).encode("utf-8")
