"""Students in a classroom: joining by name or roster seat, rejoining by token, presence."""

import re
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preguntas.game.errors import GameError, is_id
from preguntas.models import CONNECTION_STALE_AFTER, Alumno, Aula, Conexion, new_token

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as models.new_token makes them
# Connections of a process silent this long are deleted (they stopped counting long before).
FORGET_AFTER = CONNECTION_STALE_AFTER * 10


def find_aula(code: str) -> Aula | None:
    return Aula.objects.activas().select_related("propietario").filter(codigo=code.upper()).first()


def is_archived(code: str) -> bool:
    """A classroom that exists but that its teacher archived: students cannot join it."""
    return Aula.objects.filter(codigo=code.upper(), archivada=True).exists()


def archived() -> GameError:
    return GameError("archived", _("Esta aula no está activa: tu docente la ha archivado."))


def clean_name(name) -> str:
    """Trim and fold white space; refuse control characters and names with nothing visible."""
    if not isinstance(name, str):
        raise GameError("invalid", _("El nombre debe ser texto."))
    name = " ".join(name.split())
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise GameError("invalid", _("El nombre tiene caracteres no válidos."))
    if not any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in name):
        raise GameError("invalid", _("Escribe tu nombre para unirte."))
    if len(name) > settings.QRT_MAX_NAME_LENGTH:
        raise GameError(
            "invalid",
            _("El nombre admite como mucho %(max)s caracteres.") % {"max": settings.QRT_MAX_NAME_LENGTH},
        )
    return name


def name_key(name: str) -> str:
    """How a typed name is matched to a roster seat: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def join(aula: Aula, name) -> Alumno:
    """Add a student; a name already taken in the classroom gets a number ("Ana 2").

    A classroom with a roster takes no new names: the name must be one of its seats."""
    name = clean_name(name)
    # One query on this hot path (a whole class joins at once): the roster's size and the class's.
    counts = aula.alumnos.aggregate(roster=Count("pk", filter=Q(en_lista=True)), total=Count("pk"))
    if counts["roster"]:
        return claim(aula, seat_named(aula, name))
    if counts["total"] >= settings.QRT_MAX_STUDENTS_PER_CLASSROOM:
        raise GameError("full", _("El aula está completa."))
    candidate, n = name, 1
    while True:
        try:
            with transaction.atomic():
                return Alumno.objects.create(aula=aula, nombre=candidate)
        except IntegrityError:
            n += 1
            candidate = f"{name} {n}"


def seat_named(aula: Aula, name: str) -> int:
    key = name_key(name)
    matches = [pk for pk, nombre in aula.alumnos.filter(en_lista=True).values_list("pk", "nombre") if name_key(nombre) == key]
    if len(matches) != 1:
        raise GameError("not_on_roster", _("Esta aula tiene lista de clase: elige tu nombre en ella."))
    return matches[0]


def seats(aula: Aula) -> list[dict]:
    """The roster, as students choose from it (no student ids); empty without a roster."""
    rows = aula.alumnos.filter(en_lista=True).values_list("pk", "nombre", "reclamado")
    return [{"id": pk, "name": nombre, "taken": reclamado is not None} for pk, nombre, reclamado in rows]


def claim(aula: Aula, seat_id) -> Alumno:
    """Take a free roster seat: the device gets a fresh token, and the seat is held for it."""
    if not is_id(seat_id):
        raise GameError("invalid", _("«seat» debe ser el id de un puesto de la lista."))
    seat = Alumno.objects.filter(aula=aula, en_lista=True, pk=seat_id)
    if not seat.exists():
        raise GameError("not_found", _("Ese nombre no está en la lista de esta aula."))
    token = new_token()
    if not seat.filter(reclamado__isnull=True).update(reclamado=timezone.now(), token=token):
        raise GameError(
            "seat_taken", _("Ese nombre ya está en uso en otro dispositivo. Si es el tuyo, pide al docente que lo libere.")
        )
    return seat.get()


def release(alumno: Alumno) -> None:
    """Free a roster seat for another device; the device that held it must pick it again."""
    alumno.token = new_token()
    alumno.reclamado = None
    alumno.save(update_fields=["token", "reclamado"])


def rejoin(aula: Aula, token) -> Alumno:
    if not isinstance(token, str) or not token:
        raise GameError("invalid", _("Falta el token."))
    alumno = Alumno.objects.filter(aula=aula, token=token).first() if TOKEN_SHAPE.fullmatch(token) else None
    if alumno is None:
        raise GameError("not_found", _("No encontramos tu sesión en esta aula; únete de nuevo con tu nombre."))
    return alumno


def enter(aula: Aula, credentials: dict, proceso: str) -> tuple[Alumno, int]:
    """Join or rejoin and record the connection: with a ``token`` if the credentials hold one,
    else with a roster ``seat``, else with a ``name``.

    Returns the student and the id of their connection (``leave`` ends it)."""
    if "token" in credentials:
        alumno = rejoin(aula, credentials["token"])
    elif "seat" in credentials:
        alumno = claim(aula, credentials["seat"])
    else:
        alumno = join(aula, credentials.get("name"))
    conexion = Conexion.objects.create(alumno=alumno, proceso=proceso)
    return alumno, conexion.pk


def leave(conexion_id: int) -> None:
    Conexion.objects.filter(pk=conexion_id).delete()


def refresh_connections(proceso: str) -> None:
    """A server process's heartbeat: its connections stay alive; long-dead ones are forgotten."""
    now = timezone.now()
    Conexion.objects.filter(proceso=proceso).update(visto=now)
    Conexion.objects.filter(visto__lt=now - FORGET_AFTER).delete()


def extra_time(alumno_ids) -> dict[int, int]:
    """Each student's time, in percent, as the teacher set it (read afresh: it may change)."""
    return dict(Alumno.objects.filter(pk__in=alumno_ids).values_list("pk", "tiempo_extra"))
