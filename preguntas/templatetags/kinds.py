"""How an answer reads in a page, asked of its question's kind (game/kinds/)."""

import json

from django import template

from preguntas.game import kinds

register = template.Library()


@register.filter
def correct_label(obj) -> str:
    """The right answer of a question or a round, as it reads."""
    return kinds.of(obj).correct_label(obj)


@register.filter
def as_json(value) -> str:
    """A value as JSON, for a data attribute the page's script reads back (JSON.parse)."""
    return json.dumps(value)


@register.filter
def scored(obj) -> bool:
    """Whether a question's answers can be right or wrong (a poll's cannot)."""
    return kinds.of(obj).SCORED
