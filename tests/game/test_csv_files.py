"""Writing CSV exports: every cell quoted, no piece of a cell a formula, and imports undo the guard."""

import csv
import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preguntas.game.csv_files import FORMULA_STARTS, clean_cell, text_cell, write_rows

# Text made of what matters here: separators, quotes, line breaks, formula starts, apostrophes.
hostile_text = st.text(alphabet=st.sampled_from(list(",;\"'=+-@ \t\r\nxé\u0338")), max_size=20)


def written(rows) -> str:
    out = io.StringIO(newline="")
    write_rows(out, rows)
    return out.getvalue()


def read(body: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(
    "text, cell",
    [
        ("Ana", "Ana"),
        ("=2+5", "'=2+5"),
        ("x;=2+5;", "x;'=2+5;"),
        ("y,@SUM(1)", "y,'@SUM(1)"),
        ("a\n-1", "a\n'-1"),
        ('b;"=1', "b;'\"=1"),
        ("'=A1", "''=A1"),
        ("'Hola' dijo", "'Hola' dijo"),
        ("El agua hierve a 100 °C; la sal, no", "El agua hierve a 100 °C; la sal, no"),
    ],
)
def test_a_text_cell_guards_every_piece_that_would_start_a_formula(text, cell):
    assert text_cell(text) == cell
    assert clean_cell(cell) == text.strip()


def test_every_cell_is_quoted_numbers_included_and_none_is_empty():
    assert written([["alumno", 3, None, "=1"]]) == '"alumno","3","","\'=1"\r\n'


@given(st.lists(st.lists(hostile_text, min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_separator_a_spreadsheet_may_assume_reads_a_formula_and_the_import_gets_the_text_back(rows):
    body = written(rows)
    for delimiter in (",", ";", "\t"):
        cells = [cell for row in read(body, delimiter) for cell in row]
        assert [cell for cell in cells if cell.lstrip("\t\r\n")[:1] in FORMULA_STARTS] == [], delimiter
    assert [[clean_cell(cell) for cell in row] for row in read(body, ",")] == [
        [unicodedata.normalize("NFC", text).strip() for text in row] for row in rows
    ]
