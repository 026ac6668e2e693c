"""Rules of a live classroom, as plain synchronous functions.

The consumer parses frames and calls these through ``database_sync_to_async``;
everything here is testable without a socket. A refused action raises
``LiveError`` with a protocol error code (see docs/protocol.md).
"""

import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preguntas.models import Alumno, Aula, Conexion, Cuestionario, Pregunta, Respuesta, Ronda, new_token

MAX_ROUND_SECONDS = 3600
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as models.new_token makes them


class LiveError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def find_aula(code: str) -> Aula | None:
    return Aula.objects.activas().select_related("propietario").filter(codigo=code.upper()).first()


# Students ---------------------------------------------------------------


def clean_name(name) -> str:
    """Trim and fold white space; refuse control characters and names with nothing visible."""
    if not isinstance(name, str):
        raise LiveError("invalid", _("El nombre debe ser texto."))
    name = " ".join(name.split())
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise LiveError("invalid", _("El nombre tiene caracteres no válidos."))
    if not any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in name):
        raise LiveError("invalid", _("Escribe tu nombre para unirte."))
    if len(name) > settings.QRT_MAX_NAME_LENGTH:
        raise LiveError(
            "invalid",
            _("El nombre admite como mucho %(max)s caracteres.") % {"max": settings.QRT_MAX_NAME_LENGTH},
        )
    return name


def join(aula: Aula, name) -> Alumno:
    """Add a student; a name already taken in the classroom gets a number ("Ana 2").

    A classroom with a roster takes no new names: the name must be one of its seats."""
    name = clean_name(name)
    # One query on this hot path (a whole class joins at once): the roster's size and the class's.
    counts = aula.alumnos.aggregate(roster=Count("pk", filter=Q(en_lista=True)), total=Count("pk"))
    if counts["roster"]:
        return claim(aula, seat_named(aula, name))
    if counts["total"] >= settings.QRT_MAX_STUDENTS_PER_CLASSROOM:
        raise LiveError("full", _("El aula está completa."))
    candidate, n = name, 1
    while True:
        try:
            with transaction.atomic():
                return Alumno.objects.create(aula=aula, nombre=candidate)
        except IntegrityError:
            n += 1
            candidate = f"{name} {n}"


def name_key(name: str) -> str:
    """How a typed name is matched to a roster seat: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def seat_named(aula: Aula, name: str) -> int:
    key = name_key(name)
    matches = [pk for pk, nombre in aula.alumnos.filter(en_lista=True).values_list("pk", "nombre") if name_key(nombre) == key]
    if len(matches) != 1:
        raise LiveError("not_on_roster", _("Esta aula tiene lista de clase: elige tu nombre en ella."))
    return matches[0]


def seats(aula: Aula) -> list[dict]:
    """The roster, as students choose from it (no student ids); empty without a roster."""
    rows = aula.alumnos.filter(en_lista=True).values_list("pk", "nombre", "reclamado")
    return [{"id": pk, "name": nombre, "taken": reclamado is not None} for pk, nombre, reclamado in rows]


def claim(aula: Aula, seat_id) -> Alumno:
    """Take a free roster seat: the device gets a fresh token, and the seat is held for it."""
    if not is_int(seat_id):
        raise LiveError("invalid", _("«seat» debe ser el id de un puesto de la lista."))
    seat = Alumno.objects.filter(aula=aula, en_lista=True, pk=seat_id)
    if not seat.exists():
        raise LiveError("not_found", _("Ese nombre no está en la lista de esta aula."))
    token = new_token()
    if not seat.filter(reclamado__isnull=True).update(reclamado=timezone.now(), token=token):
        raise LiveError(
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
        raise LiveError("invalid", _("Falta el token."))
    alumno = Alumno.objects.filter(aula=aula, token=token).first() if TOKEN_SHAPE.fullmatch(token) else None
    if alumno is None:
        raise LiveError("not_found", _("No encontramos tu sesión en esta aula; únete de nuevo con tu nombre."))
    return alumno


def enter(aula: Aula, frame: dict, proceso: str) -> tuple[Alumno, int, dict]:
    """A `join` frame: join or rejoin, record the connection, and the student's state."""
    if "token" in frame:
        alumno = rejoin(aula, frame["token"])
    elif "seat" in frame:
        alumno = claim(aula, frame["seat"])
    else:
        alumno = join(aula, frame.get("name"))
    conexion = Conexion.objects.create(alumno=alumno, proceso=proceso)
    return alumno, conexion.pk, student_state(aula, alumno.pk)


def leave(conexion_id: int) -> None:
    Conexion.objects.filter(pk=conexion_id).delete()


# Rounds -----------------------------------------------------------------


def open_round(aula: Aula) -> Ronda | None:
    """The classroom's open round; one past its deadline counts as closed."""
    ronda = aula.ronda_abierta()
    return None if ronda is None or ronda.vencida() else ronda


def close_overdue(aula: Aula) -> Ronda | None:
    """Close the open round if its deadline passed; the caller broadcasts its `closed`."""
    ronda = aula.ronda_abierta()
    if ronda is None or not ronda.vencida():
        return None
    try:
        _close(ronda)
    except LiveError:  # closed meanwhile by another process
        return None
    return ronda


def push(aula: Aula, user, question_id, seconds=None, quiz_id=None) -> tuple[Ronda | None, Ronda]:
    """Open a round with a question (from one of the teacher's quizzes, if `quiz_id`); an open
    round is closed first. Returns (closed, opened)."""
    if not is_int(question_id):
        raise LiveError("invalid", _("«question» debe ser el id de una pregunta."))
    if seconds is not None and (not is_int(seconds) or not 1 <= seconds <= MAX_ROUND_SECONDS):
        raise LiveError("invalid", _("«seconds» debe ser un entero entre 1 y %(max)s.") % {"max": MAX_ROUND_SECONDS})
    pregunta = Pregunta.objects.visibles_para(user).filter(pk=question_id).first()
    if pregunta is None:
        raise LiveError("not_found", _("Esa pregunta no existe en tu banco."))
    cuestionario = None
    if quiz_id is not None:
        if not is_int(quiz_id):
            raise LiveError("invalid", _("«quiz» debe ser el id de un cuestionario."))
        cuestionario = Cuestionario.objects.filter(pk=quiz_id, propietario=user).first()
        if cuestionario is None:
            raise LiveError("not_found", _("Ese cuestionario no es tuyo."))
    with transaction.atomic():
        previous = aula.ronda_abierta()
        if previous is not None:
            _close(previous)
        now = timezone.now()
        ronda = Ronda(
            aula=aula,
            pregunta=pregunta,
            texto=pregunta.texto,
            correcta=pregunta.respuesta,
            cuestionario=cuestionario,
            abierta=now,
            limite=now + timedelta(seconds=seconds) if seconds else None,
        )
        if seconds:
            # Only the students here now: an absent student's extra time would hold up the class.
            most = aula.alumnos.conectados().aggregate(most=Max("tiempo_extra"))["most"] or 100
            ronda.cierre = ronda.limite_para(max(most, 100))
        ronda.save()
    return previous, ronda


def revote(aula: Aula, round_id) -> tuple[Ronda, Ronda]:
    """Peer instruction: stop an open round without revealing the answer and put the same
    question to a second vote. Returns (first vote, second vote)."""
    first = round_of(aula, round_id)
    if not first.esta_abierta:
        raise LiveError("round_closed", _("Esa ronda ya está cerrada."))
    with transaction.atomic():
        _close(first)
        second = Ronda.objects.create(
            aula=aula,
            pregunta=first.pregunta,
            texto=first.texto,
            correcta=first.correcta,
            cuestionario=first.cuestionario,
            anterior=first,
        )
    return first, second


def close(aula: Aula, round_id) -> Ronda:
    ronda = round_of(aula, round_id)
    if not ronda.esta_abierta:
        raise LiveError("round_closed", _("Esa ronda ya está cerrada."))
    _close(ronda)
    return ronda


def _close(ronda: Ronda) -> None:
    if not Ronda.objects.filter(pk=ronda.pk, cerrada__isnull=True).update(cerrada=timezone.now()):
        raise LiveError("round_closed", _("Esa ronda ya está cerrada."))
    ronda.refresh_from_db(fields=["cerrada"])


def round_of(aula: Aula, round_id) -> Ronda:
    if not is_int(round_id):
        raise LiveError("invalid", _("«round» debe ser el id de una ronda."))
    ronda = Ronda.objects.filter(aula=aula, pk=round_id).first()
    if ronda is None:
        raise LiveError("not_found", _("Esa ronda no existe en esta aula."))
    return ronda


def is_int(value) -> bool:
    """An integer as JSON gives it (Python counts booleans as ints; JSON does not)."""
    return isinstance(value, int) and not isinstance(value, bool)


# Answers ----------------------------------------------------------------


def valid_answer(aula: Aula, ronda: Ronda | None, round_id, value, now=None, sure=None, extra=100) -> Ronda:
    """Check an answer against its round (already fetched, or None if unknown), for a student
    with ``extra`` percent of the time."""
    if not is_int(round_id):
        raise LiveError("invalid", _("«round» debe ser el id de una ronda."))
    if ronda is None or ronda.aula_id != aula.pk:
        raise LiveError("not_found", _("Esa ronda no existe en esta aula."))
    if not isinstance(value, bool):
        raise LiveError("invalid", _("«value» debe ser true o false."))
    if sure is not None and not isinstance(sure, bool):
        raise LiveError("invalid", _("«sure» debe ser true, false o no estar."))
    if not ronda.esta_abierta or ronda.vencida_para(extra, now):
        raise LiveError("round_closed", _("La ronda ya está cerrada."))
    return ronda


def extra_time(alumno_ids) -> dict[int, int]:
    """Each student's time, in percent, as the teacher set it (read afresh: it may change)."""
    return dict(Alumno.objects.filter(pk__in=alumno_ids).values_list("pk", "tiempo_extra"))


def answer(aula: Aula, alumno_id: int, round_id, value, sure=None) -> Respuesta:
    """Store one answer in its own transaction (the batcher in answers.py stores many at once)."""
    ronda = Ronda.objects.filter(pk=round_id).first() if is_int(round_id) else None
    extra = extra_time([alumno_id]).get(alumno_id, 100) if ronda and ronda.limite else 100
    ronda = valid_answer(aula, ronda, round_id, value, sure=sure, extra=extra)
    try:
        with transaction.atomic():
            return Respuesta.objects.create(ronda=ronda, alumno_id=alumno_id, valor=value, seguro=sure)
    except IntegrityError:
        raise LiveError("already_answered", _("Ya respondiste a esta pregunta.")) from None


def answer_of(alumno_id: int, ronda: Ronda) -> bool | None:
    return Respuesta.objects.filter(ronda=ronda, alumno_id=alumno_id).values_list("valor", flat=True).first()


def tally(aula: Aula, ronda: Ronda | None) -> dict:
    counts = ronda.recuento() if ronda else {"true": 0, "false": 0}
    return {
        "type": "tally",
        "round": ronda.pk if ronda else None,
        **counts,
        "answered": counts["true"] + counts["false"],
        "connected": aula.alumnos.conectados().count(),
    }


def roster(aula: Aula, ronda: Ronda | None) -> list[dict]:
    """Every student of the classroom, whether connected, and their answer to the round."""
    answers = {}
    if ronda is not None:
        answers = {alumno: (valor, seguro) for alumno, valor, seguro in ronda.respuestas.values_list("alumno_id", "valor", "seguro")}
    students = []
    for alumno in aula.alumnos.con_presencia():
        valor, seguro = answers.get(alumno.pk, (None, None))
        students.append({"id": alumno.pk, "name": alumno.nombre, "online": alumno.online, "answer": valor, "sure": seguro})
    return students


# Frames -----------------------------------------------------------------


def round_payload(ronda: Ronda) -> dict:
    payload = {
        "round": ronda.pk,
        "question": {"id": ronda.pregunta_id, "text": ronda.texto},
        "deadline": ronda.limite.isoformat() if ronda.limite else None,
    }
    if ronda.limite:
        # A student with extra time (told in `joined`) counts `extra_time` % of these seconds.
        payload["seconds"] = round((ronda.limite - ronda.abierta).total_seconds())
    if ronda.anterior_id:
        payload["previous"] = ronda.anterior_id  # a second vote on the same question
    return payload


def question_frame(ronda: Ronda) -> dict:
    return {"type": "question", **round_payload(ronda)}


def split_frame(ronda: Ronda) -> dict:
    """The class's split on a round, without the correct answer."""
    return {"type": "split", "round": ronda.pk, **ronda.recuento()}


def closed_frame(ronda: Ronda) -> dict:
    return {"type": "closed", "round": ronda.pk, "correct": ronda.correcta, **ronda.recuento()}


def student_state(aula: Aula, alumno_id: int) -> dict:
    ronda = open_round(aula)
    value = answer_of(alumno_id, ronda) if ronda else None
    return {
        "type": "state",
        "round": round_payload(ronda) if ronda else None,
        "answered": value is not None,
        "value": value,
        "classroom": {"name": aula.nombre, "code": aula.codigo},
    }


def teacher_round_payload(ronda: Ronda) -> dict:
    """The round as the teacher sees it: with when it really closes, if some student has extra time."""
    payload = round_payload(ronda)
    if ronda.cierre and ronda.cierre != ronda.limite:
        payload["closes"] = ronda.cierre.isoformat()
    return payload


def teacher_state(aula: Aula) -> dict:
    ronda = open_round(aula)
    return {
        "type": "state",
        "round": teacher_round_payload(ronda) if ronda else None,
        "answered": None,
        "classroom": {"name": aula.nombre, "code": aula.codigo},
        "tally": tally(aula, ronda),
        "students": roster(aula, ronda),
    }
