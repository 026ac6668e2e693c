"""Text as files bring it: bytes to a string (with the teacher told what went wrong), HTML to plain
text, numbers as people and programs write them."""

import math
import re
import unicodedata
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from preguntas.game.csv_files import MAX_BYTES, FileError, too_large

NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
# What a line break in a text ends up as, once cleaned: runs of spaces and tabs become one space.
SPACES = re.compile(r"[^\S\n]+")


def decode(data: bytes) -> str:
    """A text file (GIFT, Aiken, Moodle XML) as a string: UTF-8, with or without a BOM; a file that
    is too large, not UTF-8, binary or empty is refused with the reason."""
    if len(data) > MAX_BYTES:
        raise FileError(too_large())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError(
            _("El archivo no está en UTF-8 (línea %(line)s). Guárdalo como texto «UTF-8» y vuelve a subirlo.")
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise FileError(_("El archivo no parece de texto."))
    if not text.strip():
        raise FileError(_("El archivo está vacío."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean(text: str, one_line: bool = False) -> str:
    """Trimmed, in Unicode NFC, runs of spaces made one; with ``one_line``, line breaks too."""
    text = unicodedata.normalize("NFC", text)
    if one_line:
        return " ".join(text.split())
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _PlainText(HTMLParser):
    """What a browser would show of some HTML, as text: tags dropped, entities read, a block
    (paragraph, line break, list item) on a line of its own, scripts and styles left out."""

    BLOCKS = {
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
    }
    HIDDEN = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data.replace("\n", " "))


def plain_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return clean("".join(parser.parts).replace("\xa0", " "))


def looks_like_html(text: str) -> bool:
    """A tag or an entity: text a program that speaks HTML wrote (Moodle's own, say)."""
    return bool(re.search(r"</?[A-Za-z][^<>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);", text))


def parse_number(text: str) -> float | None:
    """A number as written: ``3.14``, ``-2``, ``1e3``, or with a decimal comma (``3,14``); None if
    it is none (or not finite)."""
    text = text.strip()
    if not NUMBER.fullmatch(text):
        return None
    if "," in text:
        if "." in text:
            return None
        text = text.replace(",", ".")
    value = float(text)
    return value if math.isfinite(value) else None


def show_number(x: float) -> str:
    """A number as files write it: ``3.14``, ``2`` (no ``.0``), the shortest form that reads back the same."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))
