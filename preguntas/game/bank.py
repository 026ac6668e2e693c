"""The question bank's rules: duplicates, removing and copying questions. Files (our CSV and
other tools' formats) are in formats/.

Two statements are the same question when they match after ``normalise_text``: Unicode
NFC, casefold, runs of white space collapsed to one space, trailing periods dropped.
Accents count ("Perú" and "Peru" are different questions).
"""

import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from preguntas.game.errors import is_id
from preguntas.models import CuestionarioPregunta, Pregunta, Ronda

# The most questions one imported file may hold (formats/).
MAX_ROWS = 2000


def normalise_text(text: str) -> str:
    """The key under which two statements count as the same question (see the module docstring)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).rstrip(".").rstrip()


def find_duplicate(user, texto: str, exclude_pk=None) -> Pregunta | None:
    """A question of the teacher's visible bank that says the same as ``texto``, if there is one.

    Normalising happens in Python, so this reads the whole visible bank (one query of texts).
    """
    key = normalise_text(texto)
    bank = Pregunta.objects.visibles_para(user).exclude(pk=exclude_pk).only("pk", "texto")
    return next((p for p in bank.iterator() if normalise_text(p.texto) == key), None)


@dataclass(frozen=True)
class Removal:
    deleted: int
    archived: int


def remove(user, pks) -> Removal:
    """Take the teacher's own questions among ``pks`` out of their bank and quizzes.

    A question never pushed is deleted; one that was pushed in a round is archived instead,
    so that the results and each student's history keep pointing at it.
    """
    ids = [int(pk) for pk in pks if isinstance(pk, str) and pk.isascii() and pk.isdigit() and is_id(int(pk))]
    own = Pregunta.objects.filter(propietario=user, archivada=False, pk__in=ids)
    with transaction.atomic():
        used = list(own.filter(Exists(Ronda.objects.filter(pregunta=OuterRef("pk")))).values_list("pk", flat=True))
        CuestionarioPregunta.objects.filter(pregunta__in=used).delete()
        archived = Pregunta.objects.filter(pk__in=used).update(archivada=True)
        unused = own.exclude(pk__in=used)
        deleted = unused.count()
        unused.delete()
    return Removal(deleted=deleted, archived=archived)


def copy(user, shared: Pregunta) -> Pregunta:
    """The teacher's own copy of a shared question, to edit; the shared one leaves their bank."""
    existing = Pregunta.objects.filter(propietario=user, copiada_de=shared, archivada=False).first()
    if existing:
        return existing
    content = {name: getattr(shared, name) for name in Pregunta.COPIED}  # options, number, image…
    return Pregunta.objects.create(
        **content, respuesta=shared.respuesta, tema=shared.tema, propietario=user, copiada_de=shared,
    )
