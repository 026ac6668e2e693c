"""What the tests of the bank's file formats share: a bank with every kind and awkward text, and
the round trip (export a teacher's bank, import it into another's, compare)."""

import io
from pathlib import Path

import openpyxl

from preguntas.game import formats
from preguntas.game.formats import Item, kahoot
from preguntas.models import Pregunta

DATA = Path(__file__).parent / "data"

SAMPLE = [
    Item("tf", "Bogotá es la capital de Colombia.", topic="Capitales", answer=True, explanation="Lo es desde 1819."),
    Item("tf", "El Nilo desemboca en el océano Atlántico.", topic="Ríos", answer=False,
         explanation="Desemboca en el Mediterráneo.\nEn un gran delta."),
    Item("choice", "¿Qué río pasa por Zaragoza?", topic="Ríos",
         options=[("Ebro", True), ("Tajo", False), ("Duero", False)], explanation="El Ebro: {100 %} = ~sí~ #1"),
    Item("choice", "¿Cuál es la capital de Perú?", topic="Capitales",
         options=[("Lima", True), ("<b>Cuzco</b>", False), ("Arequipa | Trujillo", False), ("*Callao", False)]),
    Item("multi", "¿Qué países están en Sudamérica?", topic="Países",
         options=[("Perú", True), ("Chile", True), ("México", False), ("Cuba", False)]),
    Item("multi", "¿Qué ríos desembocan en el Mediterráneo?", topic="Ríos",
         options=[("Ebro", True), ("Ródano", True), ("Nilo", True), ("Tajo", False), ("Loira", False), ("Sena", False)]),
    Item("poll", "¿Qué tema repasamos mañana?", options=[("Ríos", False), ("Capitales", False), ("Montañas", False)]),
    Item("number", "¿Cuántos países hay en Sudamérica?", topic="Países", number=12.0, tolerance=0.0),
    Item("number", "¿A cuántos grados Fahrenheit hierve el agua?", topic="Física/Química", number=-212.5,
         tolerance=0.25, explanation="A 212 °F (el signo, para probar)."),
    Item("tf", "Especiales: a < b & c > d; x: y = z {w} ~t #n \\ barra | tubo *estrella // dos", topic="Trampas",
         answer=True),
]


def make_bank(owner) -> list[Pregunta]:
    return Pregunta.objects.bulk_create(item.as_pregunta(owner) for item in SAMPLE)


def comparable(item: Item, topic=True, explanation=True) -> tuple:
    """What a format keeps of a question: kind, text, answer, options, number and tolerance, and
    the topic and explanation when it carries them."""
    return (
        item.kind, item.text, item.answer, tuple(item.options), item.number, item.tolerance,
        item.topic if topic else "", item.explanation if explanation else "",
    )


def round_trip(code: str, alice, bob, **carries) -> tuple[list, list]:
    """alice's bank exported in a format and imported into bob's: (what should come back, what did)."""
    fmt = formats.FORMATS[code]
    make_bank(alice)
    data = formats.export(code, Pregunta.objects.visibles_para(alice))
    result = formats.import_file(bob, fmt.filename, data)
    assert result.error == "" and result.skipped == [], result.skipped
    assert result.format_name == fmt.name
    expected = sorted(comparable(item, **carries) for item in SAMPLE if not fmt.leaves_out(item))
    got = sorted(comparable(Item.of(p), **carries) for p in Pregunta.objects.filter(propietario=bob))
    return expected, got


def template_workbook(rows, header_row=8) -> bytes:
    """A workbook as Kahoot's template is: title and notes above, the header on row 8, then a
    question a row from column B, column A numbering them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B2"] = "Quiz template"
    sheet["B3"] = "Add questions, at least two answer alternatives, time limit and choose correct answers (at least one)."
    sheet["B4"] = ("Remember: questions have a limit of 120 characters and answers can have 75 characters max. "
                   "If several answers are correct, separate them with a comma.")
    for c, name in enumerate(kahoot.HEADERS, 2):
        sheet.cell(header_row, c, name)
    for r in range(header_row + 1, header_row + 1 + max(len(rows), 20)):
        sheet.cell(r, 1, r - header_row)  # the template numbers its empty rows too
    for r, row in enumerate(rows, header_row + 1):
        for c, value in enumerate(row, 2):
            if value is not None:
                sheet.cell(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
