"""The three layers of preguntas/ depend in one direction: views → game and realtime.notify;
realtime → game → models."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "preguntas"


def imports_of(folder: str) -> dict[str, set[str]]:
    """Every module imported by each file under ``preguntas/<folder>`` (or by one file)."""
    root = PACKAGE / folder
    files = [root] if root.suffix == ".py" else sorted(root.rglob("*.py"))
    found = {}
    for path in files:
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        found[str(path.relative_to(PACKAGE))] = names
    return found


def offending(folder: str, forbidden: tuple[str, ...]) -> dict[str, set[str]]:
    return {
        path: {name for name in names if name.startswith(forbidden)}
        for path, names in imports_of(folder).items()
        if any(name.startswith(forbidden) for name in names)
    }


@pytest.mark.parametrize(
    "folder, forbidden",
    [
        ("game", ("channels", "asgiref", "django.http", "django.shortcuts", "preguntas.realtime", "preguntas.views")),
        ("models.py", ("preguntas.game", "preguntas.realtime", "preguntas.views")),
        ("realtime", ("preguntas.views", "django.http", "django.shortcuts")),
        ("views", ("preguntas.realtime.consumers", "preguntas.realtime.relay", "preguntas.realtime.batcher",
                   "preguntas.realtime.outbox", "channels")),
    ],
)
def test_each_layer_imports_only_the_layers_below_it(folder, forbidden):
    assert offending(folder, forbidden) == {}


def test_the_layers_are_where_the_checks_look():
    assert {"game/answers.py", "game/kinds/true_false.py"} <= set(imports_of("game"))
    assert "realtime/consumers.py" in imports_of("realtime") and "views/classrooms.py" in imports_of("views")


def test_only_the_kind_modules_know_a_kinds_values():
    """True/false is one module: no other code checks for a boolean answer or names its options."""
    signs = ("«value» debe ser true o false", '"true"', '"false"', "ANSWER_WORDS")
    assumed = [
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
        if "kinds" not in path.parts and "migrations" not in path.parts and any(s in path.read_text() for s in signs)
    ]
    assert assumed == []
