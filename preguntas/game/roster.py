"""A classroom's roster: names (and optional student ids) the students pick from at join.

Imported from CSV with the header ``nombre,numero`` (``numero`` may be left out), or added
one by one. A name already in the classroom is not added twice: a student who had joined
with that name becomes its roster seat (and keeps their history and device); a roster
name is a seat already.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from preguntas.game.csv_files import FileError, clean_cell, read_table
from preguntas.game.errors import GameError
from preguntas.game.students import clean_name, name_key
from preguntas.models import Alumno, Aula

COLUMNS = ("nombre", "numero")
MAX_ROWS = 500
NUMBER_MAX_LENGTH = Alumno._meta.get_field("numero").max_length


@dataclass
class RosterImport:
    added: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # students who had joined by name, now on the roster
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, reason)
    error: str = ""


def import_csv(aula: Aula, data: bytes) -> RosterImport:
    try:
        table = read_table(data)
    except FileError as error:
        return RosterImport(error=str(error))
    named = [name for name in table.header if name]
    if "nombre" not in named or any(name not in COLUMNS for name in named):
        return RosterImport(
            error=_("La primera línea debe ser la cabecera «%(columns)s» (numero es opcional); es «%(found)s».")
            % {"columns": table.delimiter.join(COLUMNS), "found": table.header_shown()}
        )
    if len(table.rows) > MAX_ROWS:
        return RosterImport(error=_("El archivo tiene más de %(max)s alumnos.") % {"max": MAX_ROWS})
    roster = Roster(aula)
    with transaction.atomic():
        for line, cells in table.rows:
            values = dict(zip(table.header, (clean_cell(cell) for cell in cells)))
            nombre, numero = " ".join(values.get("nombre", "").split()), values.get("numero", "")
            try:
                roster.add(nombre, numero)
            except ValueError as reason:
                roster.result.errors.append((line, nombre, str(reason)))
    return roster.result


def add(aula: Aula, nombre: str, numero: str = "") -> Alumno:
    """Put one name on the roster; ValueError says why it cannot go on."""
    return Roster(aula).add(nombre, numero)


class Roster:
    """Puts names on a classroom's roster, matching them against its students read once."""

    def __init__(self, aula: Aula):
        self.aula = aula
        self.result = RosterImport()
        self.by_key: dict[str, list[Alumno]] = {}
        for alumno in aula.alumnos.all():
            self.by_key.setdefault(name_key(alumno.nombre), []).append(alumno)

    def add(self, nombre: str, numero: str = "") -> Alumno:
        if not nombre.strip():
            raise ValueError(_("Falta el nombre."))
        try:
            nombre = clean_name(nombre)  # the same rules as a name typed at join
        except GameError as error:
            raise ValueError(error.detail) from None
        if len(numero) > NUMBER_MAX_LENGTH:
            raise ValueError(_("El nº de alumno tiene más de %(max)s caracteres.") % {"max": NUMBER_MAX_LENGTH})
        same = self.by_key.setdefault(name_key(nombre), [])
        if any(a.en_lista for a in same):
            raise ValueError(_("Ya está en la lista."))
        if same:  # joined earlier with this name: that student takes the seat, device and history included
            alumno = same[0]
            alumno.en_lista, alumno.numero = True, numero or alumno.numero
            alumno.save(update_fields=["en_lista", "numero"])
            self.result.joined.append(alumno.nombre)
            return alumno
        alumno = Alumno.objects.create(aula=self.aula, nombre=nombre, numero=numero, en_lista=True, reclamado=None)
        same.append(alumno)
        self.result.added.append(nombre)
        return alumno


def template_rows():
    yield list(COLUMNS)
    yield ["Ana García López", "2024-017"]
    yield ["Beto Ruiz", ""]


def export_rows(aula: Aula):
    yield list(COLUMNS)
    for alumno in aula.alumnos.filter(en_lista=True):
        yield [alumno.nombre, alumno.numero]
