"""Students in a classroom: joining by name or roster seat, rejoining by token, presence."""

import copy
import re
import unicodedata
from dataclasses import dataclass, field

from confusable_homoglyphs import categories, confusables
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from preguntas.game.errors import GameError, is_id, is_int
from preguntas.models import CODE_PATTERN, PROCESS_STALE_AFTER, Alumno, Aula, Conexion, Proceso, new_token

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as models.new_token makes them
# The sockets of a process silent this long are deleted (they stopped counting long before).
FORGET_AFTER = PROCESS_STALE_AFTER * 10


def _with_code(code: str):
    """The classroom with this code, as a query; none when the code cannot be one (no query then)."""
    if not re.fullmatch(CODE_PATTERN, code):
        return Aula.objects.none()
    return Aula.objects.filter(codigo=code.upper())


def find_aula(code: str) -> Aula | None:
    return find_aulas([code])[0]


def find_aulas(codes: list[str]) -> list[Aula | None]:
    """``find_aula`` for many codes in one query (the sockets that connect together), in their
    order; each code asked gets an instance of its own."""
    valid = {code.upper() for code in codes if re.fullmatch(CODE_PATTERN, code)}
    found = {}
    if valid:
        found = {aula.codigo: aula for aula in Aula.objects.filter(codigo__in=valid).activas().select_related("propietario")}
    result, given = [], set()
    for code in codes:
        aula = found.get(code.upper()) if re.fullmatch(CODE_PATTERN, code) else None
        if aula is not None and aula.pk in given:
            aula = copy.copy(aula)
        elif aula is not None:
            given.add(aula.pk)
        result.append(aula)
    return result


def is_archived(code: str) -> bool:
    """A classroom that exists but that its teacher archived: students cannot join it."""
    return _with_code(code).filter(archivada=True).exists()


def archived() -> GameError:
    return GameError("archived", _("Esta aula no está activa: tu docente la ha archivado."))


# Characters that show nothing but are not format controls (category Cf, dropped too): the
# combining grapheme joiner, Hangul and Khmer fillers, the Mongolian vowel separator, the blank
# Braille pattern. With variation selectors, they could make "Ana" and "Ana" two students.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
# Scripts written together in one name (Japanese, Korean, Chinese), which is not a disguise.
EAST_ASIAN = frozenset({"HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})


def visible(text: str) -> str:
    """NFKC, without format and bidi controls or invisible fillers: what a reader sees."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", text)
        if unicodedata.category(ch) != "Cf" and ch not in INVISIBLE and not any(ord(ch) in r for r in VARIATION_SELECTORS)
    )


def _disguised(name: str) -> bool:
    """Letters of one alphabet among another's that look alike (a Cyrillic «А» in «Ana»)."""
    scripts = categories.unique_aliases(name) - {"COMMON", "INHERITED"}
    return len(scripts - EAST_ASIAN) + bool(scripts & EAST_ASIAN) > 1 and bool(confusables.is_dangerous(name))


def clean_name(name) -> str:
    """Trim and fold white space, drop invisible characters; refuse control characters, names with
    nothing visible and names that mix look-alike alphabets."""
    if not isinstance(name, str):
        raise GameError("invalid", _("El nombre debe ser texto."))
    name = " ".join(name.split())
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise GameError("invalid", _("El nombre tiene caracteres no válidos."))
    name = " ".join(visible(name).split())
    if not any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in name):
        raise GameError("invalid", _("Escribe tu nombre para unirte."))
    if len(name) > settings.QRT_MAX_NAME_LENGTH:
        raise GameError(
            "invalid",
            _("El nombre admite como mucho %(max)s caracteres.") % {"max": settings.QRT_MAX_NAME_LENGTH},
        )
    if _disguised(name):
        raise GameError("invalid", _("Escribe tu nombre con un solo alfabeto."))
    return name


def name_key(name: str) -> str:
    """How a typed name is matched to a roster seat: case, accents, spacing and invisible characters aside."""
    decomposed = unicodedata.normalize("NFKD", " ".join(visible(name).split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def join(aula: Aula, name) -> Alumno:
    """Add a student; a name already taken in the classroom gets a number ("Ana 2").

    A classroom with a roster takes no new names: the name must be one of its seats. A locked
    classroom takes none at all."""
    return _join(aula, clean_name(name))[0]


def _join(aula: Aula, name: str) -> tuple[Alumno, bool]:
    """``join`` with a clean name; also whether the name got a number."""
    # One query on this hot path (a whole class joins at once): the lock, the roster's size and the class's.
    now = Aula.objects.filter(pk=aula.pk).values("bloqueada").annotate(
        roster=Count("alumnos", filter=Q(alumnos__en_lista=True)), total=Count("alumnos")
    ).get()
    if now["roster"]:
        return claim(aula, seat_named(aula, name)), False
    if now["bloqueada"]:
        raise GameError("locked", _("El aula está cerrada a nuevos alumnos: pide a tu docente que la abra."))
    if now["total"] >= settings.QRT_MAX_STUDENTS_PER_CLASSROOM:
        raise GameError("full", _("El aula está completa."))
    candidate, n = name, 1
    while True:
        try:
            with transaction.atomic():
                return Alumno.objects.create(aula=aula, nombre=candidate), n > 1
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


def lock(aula: Aula, locked) -> None:
    """Close the classroom to new names, or open it again; students who joined rejoin either way."""
    if not isinstance(locked, bool):
        raise GameError("invalid", _("«locked» debe ser true o false."))
    Aula.objects.filter(pk=aula.pk).update(bloqueada=locked)
    aula.bloqueada = locked


def student_of(aula: Aula, student_id) -> Alumno:
    if not is_int(student_id):
        raise GameError("invalid", _("«student» debe ser el id de un alumno."))
    alumno = aula.alumnos.en_clase().filter(pk=student_id).first() if is_id(student_id) else None
    if alumno is None:
        raise GameError("not_found", _("Ese alumno no está en esta aula."))
    return alumno


def remove(aula: Aula, student_id) -> Alumno:
    """The teacher takes a student out: their device's token stops working and they leave the
    roster; their answers stay in the results. They may join again under a name unless the
    classroom is locked."""
    alumno = student_of(aula, student_id)
    alumno.retirado, alumno.en_lista, alumno.reclamado, alumno.token = True, False, None, new_token()
    alumno.save(update_fields=["retirado", "en_lista", "reclamado", "token"])
    return alumno


def rename(aula: Aula, student_id, name) -> Alumno:
    """The teacher renames a student (the same rules as a name typed at join)."""
    return _rename(student_of(aula, student_id), name)


def rename_self(aula: Aula, student_id: int, name) -> Alumno:
    """A student changes their own name: in an open classroom only (a roster's names are the
    teacher's, and a locked classroom's names stay as the teacher saw them)."""
    alumno = student_of(aula, student_id)
    if alumno.en_lista:
        raise GameError("invalid", _("Tu nombre está en la lista de clase: pide a tu docente que lo cambie."))
    if Aula.objects.filter(pk=aula.pk, bloqueada=True).exists():
        raise GameError("locked", _("El aula está cerrada: pide a tu docente que cambie tu nombre."))
    return _rename(alumno, name)


def _rename(alumno: Alumno, name) -> Alumno:
    aula = alumno.aula
    name = clean_name(name)
    if aula.alumnos.filter(nombre=name).exclude(pk=alumno.pk).exists():
        raise GameError("name_taken", _("Ya hay alguien con ese nombre en el aula."))
    alumno.nombre = name
    try:
        with transaction.atomic():
            alumno.save(update_fields=["nombre"])
    except IntegrityError:  # taken meanwhile
        raise GameError("name_taken", _("Ya hay alguien con ese nombre en el aula.")) from None
    return alumno


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


@dataclass
class Entry:
    alumno: Alumno
    conexion_id: int  # ``leave`` ends it
    asked_name: str | None = None  # the name typed, when the student got another ("Ana" → "Ana 2")
    new: bool = False  # added just now: no answers yet


def enter(aula: Aula, credentials: dict, proceso: str) -> Entry:
    """Join or rejoin and record the connection: with a ``token`` if the credentials hold one,
    else with a roster ``seat``, else with a ``name``."""
    entry = _identify(aula, credentials)
    entry.conexion_id = Conexion.objects.create(alumno=entry.alumno, proceso=proceso).pk
    return entry


def _identify(aula: Aula, credentials: dict) -> Entry:
    """``enter`` without recording the connection (``conexion_id`` is 0)."""
    if "token" in credentials:
        return Entry(rejoin(aula, credentials["token"]), 0)
    if "seat" in credentials:
        return Entry(claim(aula, credentials["seat"]), 0)
    name = clean_name(credentials.get("name"))
    alumno, numbered = _join(aula, name)
    return Entry(alumno, 0, name if numbered else None, new=not alumno.en_lista)  # a roster's seat is not new


@dataclass
class Arrival:
    """A `join` as a student sent it, to enter together with the others that arrived with it."""

    aula: Aula
    credentials: dict
    language: str = field(default_factory=translation.get_language)  # the student's, for a refusal


def enter_many(arrivals: list[Arrival], proceso: str) -> list[Entry | GameError]:
    """``enter`` for the students whose `join` arrived together (a class joining at once), in a
    few queries: the classrooms' lock, roster and size are read once, new names in open
    classrooms are added in one insert and the connections in another. A token, a seat, a name
    taken or typed twice, or a classroom with a roster go one by one as ``enter`` goes. Each
    arrival gets its own outcome (an Entry, or why not): one refused never fails another. In one
    transaction: if anything else fails, nobody of the batch has entered (they may enter again)."""
    with transaction.atomic():
        return _enter_many(arrivals, proceso)


def _enter_many(arrivals: list[Arrival], proceso: str) -> list[Entry | GameError]:
    outcomes: list[Entry | GameError | None] = [None] * len(arrivals)
    names: dict[int, str] = {}
    for i, arrival in enumerate(arrivals):
        if "token" in arrival.credentials or "seat" in arrival.credentials:
            continue
        try:
            with translation.override(arrival.language):
                names[i] = clean_name(arrival.credentials.get("name"))
        except GameError as refusal:
            outcomes[i] = refusal
    together = _add_together(arrivals, names, outcomes)
    for i, arrival in enumerate(arrivals):
        if outcomes[i] is None and i not in together:
            try:
                with translation.override(arrival.language):
                    outcomes[i] = _identify(arrival.aula, arrival.credentials)
            except GameError as refusal:
                outcomes[i] = refusal
    entries = [entry for entry in outcomes if isinstance(entry, Entry)]
    conexiones = Conexion.objects.bulk_create([Conexion(alumno=entry.alumno, proceso=proceso) for entry in entries])
    for entry, conexion in zip(entries, conexiones):
        entry.conexion_id = conexion.pk
    return outcomes


def _add_together(arrivals: list[Arrival], names: dict[int, str], outcomes: list) -> set[int]:
    """Add in one insert the new names of open classrooms (the rules of ``join``: the lock, the
    size limit; a classroom with a roster takes none). Sets their outcomes, refusals included;
    returns the arrivals dealt with. A name already taken, or typed twice in the batch, is left
    to ``join``, which numbers it."""
    if not names:
        return set()
    aula_ids = {arrivals[i].aula.pk for i in names}
    now = {
        row["pk"]: row
        for row in Aula.objects.filter(pk__in=aula_ids).values("pk", "bloqueada").annotate(
            roster=Count("alumnos", filter=Q(alumnos__en_lista=True)), total=Count("alumnos")
        )
    }
    taken = set(
        Alumno.objects.filter(aula_id__in=aula_ids, nombre__in=set(names.values())).values_list("aula_id", "nombre")
    )
    done, rows = set(), {}
    for i, name in names.items():
        aula = arrivals[i].aula
        classroom = now.get(aula.pk)
        if classroom is None or classroom["roster"] or (aula.pk, name) in taken:
            continue  # gone, a roster's seat, or a name to number: one by one
        with translation.override(arrivals[i].language):
            if classroom["bloqueada"]:
                outcomes[i] = GameError("locked", _("El aula está cerrada a nuevos alumnos: pide a tu docente que la abra."))
            elif classroom["total"] >= settings.QRT_MAX_STUDENTS_PER_CLASSROOM:
                outcomes[i] = GameError("full", _("El aula está completa."))
            else:
                classroom["total"] += 1
                taken.add((aula.pk, name))
                rows[i] = Alumno(aula=aula, nombre=name)
        done.add(i)
    try:
        with transaction.atomic():
            Alumno.objects.bulk_create(list(rows.values()))
    except IntegrityError:  # a name taken meanwhile through another process: one by one
        return done - set(rows)
    for i, alumno in rows.items():
        outcomes[i] = Entry(alumno, 0, new=True)
    return done


def leave(*conexion_ids: int) -> None:
    """Sockets closed: their connections end (in one query for the sockets that close together)."""
    Conexion.objects.filter(pk__in=conexion_ids).delete()


def heartbeat(proceso: str) -> list[Aula]:
    """A server process is alive. Returns the classrooms with sockets of a process that has
    stopped beating since the last look (their teachers' counts must drop), and forgets the
    sockets of processes dead for long."""
    now = timezone.now()
    Proceso.objects.update_or_create(pk=proceso, defaults={"visto": now, "perdido": False})
    lost = list(Proceso.objects.muertos(now).filter(perdido=False).values_list("pk", flat=True))
    aulas = []
    if lost:
        Proceso.objects.filter(pk__in=lost).update(perdido=True)
        aulas = list(Aula.objects.filter(alumnos__conexiones__proceso__in=lost).distinct())
    forget = now - FORGET_AFTER
    Conexion.objects.filter(visto__lt=forget).exclude(proceso__in=Proceso.objects.vivos(now).values("id")).delete()
    Proceso.objects.filter(visto__lt=forget).delete()
    return aulas


def extra_time(alumno_ids) -> dict[int, int]:
    """Each student's time, in percent, as the teacher set it (read afresh: it may change)."""
    return dict(Alumno.objects.filter(pk__in=alumno_ids).order_by().values_list("pk", "tiempo_extra"))
