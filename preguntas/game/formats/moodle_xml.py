"""Moodle XML (docs.moodle.org/en/Moodle_XML_format): ``<quiz>`` and its ``<question type="…">``.

Read: ``truefalse``; ``multichoice`` (``<single>true</single>``: the answers with ``fraction="100"``
are right, one makes a single choice, several a multiple one; ``<single>false</single>``: a multiple
choice of the answers with a positive fraction; none right, a poll); ``numerical`` (the answer
with full marks and its ``<tolerance>``); ``category`` (its path's last part is the topic of the
questions after it). ``<generalfeedback>`` is the explanation. Text in ``format="html"`` (Moodle's
usual, and ``moodle_auto_format`` when it holds tags) becomes plain text; images and files are
left out (an image's alt text stays in the text). Any other type (essay, matching, short answer,
cloze…) is listed with its reason.

The file is parsed with the standard library's expat, safely: a DOCTYPE (and so any entity
declaration, the way to entity bombs and to reading other files) refuses the whole file, and so
does nesting deeper than any Moodle file goes.

Written: every kind but polls (Moodle refuses a multiple choice with no right answer), texts
as ``plain_text``, a category before each topic.
"""

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preguntas.game.bank import MAX_ROWS
from preguntas.game.csv_files import FileError
from preguntas.game.formats.gift import FULL, category_path, category_topic
from preguntas.game.formats.items import QUESTION, TRUE_FALSE, Item, Parsed, too_many, unsupported, with_options
from preguntas.game.formats.text import clean, decode, looks_like_html, parse_number, plain_text, show_number

MAX_DEPTH = 32
# Characters XML 1.0 cannot hold: left out of what is written.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
OTHER_TYPES = {
    "shortanswer": gettext_lazy("respuesta corta"),
    "essay": gettext_lazy("respuesta abierta (ensayo)"),
    "matching": gettext_lazy("emparejar"),
    "randomsamatch": gettext_lazy("emparejar"),
    "description": gettext_lazy("descripción (un texto, sin respuestas)"),
    "cloze": gettext_lazy("respuestas incrustadas (cloze)"),
    "multianswer": gettext_lazy("respuestas incrustadas (cloze)"),
    "calculated": gettext_lazy("cálculo"),
    "calculatedsimple": gettext_lazy("cálculo"),
    "calculatedmulti": gettext_lazy("cálculo"),
    "ddwtos": gettext_lazy("arrastrar y soltar"),
    "ddimageortext": gettext_lazy("arrastrar y soltar"),
    "ddmarker": gettext_lazy("arrastrar y soltar"),
    "gapselect": gettext_lazy("seleccionar palabras"),
    "ordering": gettext_lazy("ordenar"),
}


class _Refused(Exception):
    pass


def parse(text: str) -> ET.Element:
    """The XML's root element; raises FileError on a DOCTYPE or ENTITY, too deep a nesting, or
    XML that is not well formed."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    depth = 0

    def start(tag, attrs):
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(_("El XML anida demasiados elementos (más de %(max)s).") % {"max": MAX_DEPTH})
        builder.start(tag, attrs)

    def end(tag):
        nonlocal depth
        depth -= 1
        builder.end(tag)

    def refuse(*args):
        raise _Refused(_("El XML trae una declaración DOCTYPE o ENTITY: no se admite (Moodle no las escribe)."))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except _Refused as error:
        raise FileError(str(error)) from None
    except expat.ExpatError as error:
        raise FileError(_("El XML está mal formado cerca de la línea %(line)s.") % {"line": error.lineno}) from None
    return builder.close()


def rich_text(element: ET.Element | None, one_line: bool = False) -> str:
    """The ``<text>`` of an element with a ``format``, as plain text."""
    if element is None:
        return ""
    text = element.findtext("text") or ""
    format_ = element.get("format", "moodle_auto_format")
    if format_ == "html" or (format_ == "moodle_auto_format" and looks_like_html(text)):
        text = plain_text(text)
    return clean(text, one_line=one_line)


def fraction(answer: ET.Element) -> float:
    return parse_number(answer.get("fraction", "0")) or 0.0


def read(data: bytes) -> Parsed:
    try:
        root = parse(decode(data))
    except FileError as error:
        return Parsed(error=str(error))
    if root.tag != "quiz":
        return Parsed(error=_("No es un Moodle XML: el elemento principal debe ser <quiz>, y es <%(tag)s>.") % {
            "tag": Truncator(root.tag).chars(20)
        })
    questions = root.findall("question")
    if sum(q.get("type") != "category" for q in questions) > MAX_ROWS:
        return Parsed(error=too_many())
    parsed = Parsed(unit=QUESTION)
    topic, n = "", 0
    for q in questions:
        kind = q.get("type", "")
        if kind == "category":
            topic = category_topic(q.findtext("category/text") or "")
            continue
        n += 1
        text = rich_text(q.find("questiontext"))
        shown = clean(text, one_line=True) or clean(q.findtext("name/text") or "", one_line=True)
        fields = {"topic": topic, "explanation": rich_text(q.find("generalfeedback")), "where": n}
        reader = {"truefalse": _true_false, "multichoice": _choice, "numerical": _number}.get(kind)
        if reader is None:
            parsed.skip(n, shown, unsupported(OTHER_TYPES.get(kind) or _("tipo «%(type)s»") % {"type": kind}))
            continue
        found = reader(q, text, fields)
        if isinstance(found, Item):
            parsed.items.append(found)
        else:
            parsed.skip(n, shown, found)
    return parsed


def _true_false(q, text, fields) -> Item | str:
    right = [TRUE_FALSE.from_text(a.findtext("text") or "") for a in q.findall("answer") if fraction(a) >= FULL]
    if len(right) != 1 or right[0] is None:
        return _("Le falta una respuesta correcta, «true» o «false», con toda la nota.")
    return Item(TRUE_FALSE.CODE, text, answer=right[0], **fields)


def _choice(q, text, fields) -> Item:
    several = TRUE_FALSE.from_text(q.findtext("single") or "") is False
    options = [
        (rich_text(a, one_line=True), fraction(a) > 0 if several else fraction(a) >= FULL) for a in q.findall("answer")
    ]
    return with_options(text, options, several=several, **fields)


def _number(q, text, fields) -> Item | str:
    right = [a for a in q.findall("answer") if fraction(a) >= FULL and (a.findtext("text") or "").strip() != "*"]
    if len(right) != 1:
        return _("Tiene varios números correctos: aquí cabe uno (con su tolerancia).") if right else _(
            "No tiene ningún número correcto con toda la nota."
        )
    value = (right[0].findtext("text") or "").strip()
    number, tolerance = parse_number(value), parse_number(right[0].findtext("tolerance") or "0")
    if number is None or tolerance is None:
        return _("«%(value)s» no es un número.") % {"value": Truncator(value).chars(20)}
    return Item("number", text, number=number, tolerance=tolerance, **fields)


# Writing ----------------------------------------------------------------------------------------


def leaves_out(item: Item) -> str:
    if item.kind == "poll":
        return _("Moodle no tiene encuestas (preguntas sin respuesta correcta).")
    return ""


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = NOT_XML.sub("", text)
    return element


def _word(value: bool) -> str:
    """Moodle's words for a boolean: true and false."""
    return str(value).lower()


def _fraction(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")


def write_item(quiz: ET.Element, item: Item) -> None:
    moodle_type = {TRUE_FALSE.CODE: "truefalse", "number": "numerical"}.get(item.kind, "multichoice")
    q = ET.SubElement(quiz, "question", {"type": moodle_type})
    _text(q, "name", Truncator(clean(item.text, one_line=True)).chars(60))
    _text(q, "questiontext", item.text, format="plain_text")
    _text(q, "generalfeedback", item.explanation, format="plain_text")
    ET.SubElement(q, "defaultgrade").text = "1"
    ET.SubElement(q, "penalty").text = "0"
    ET.SubElement(q, "hidden").text = "0"
    if item.kind == TRUE_FALSE.CODE:
        for value in (True, False):
            _text(q, "answer", _word(value), fraction="100" if value == item.answer else "0")
    elif item.kind == "number":
        answer = _text(q, "answer", show_number(item.number), fraction="100")
        ET.SubElement(answer, "tolerance").text = show_number(item.tolerance)
    else:
        several = item.kind == "multi"
        n_right = sum(right for _text_, right in item.options)
        ET.SubElement(q, "single").text = _word(not several)
        ET.SubElement(q, "shuffleanswers").text = _word(False)
        ET.SubElement(q, "answernumbering").text = "abc"
        for option, right in item.options:
            if several:
                value = _fraction(100 / n_right) if right else "-100"
            else:
                value = "100" if right else "0"
            _text(q, "answer", option, fraction=value, format="plain_text")


def write(items) -> bytes:
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(" " + _("Preguntas exportadas de QuestionsRT.") + " "))
    topic = ""
    for item in sorted((i for i in items if not leaves_out(i)), key=lambda i: i.topic):
        if item.topic != topic:
            topic = item.topic
            category = ET.SubElement(quiz, "question", {"type": "category"})
            _text(category, "category", category_path(NOT_XML.sub("", topic)))
        write_item(quiz, item)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True, short_empty_elements=False)
