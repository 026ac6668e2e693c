"""What the pages tell a classroom's sockets about changes a teacher makes there.

Sent through this process's outbox (outbox.py), like the sockets' own messages: during a
channel-layer outage the sockets of this process hear at once, the others once it is over.
"""

from asgiref.sync import async_to_sync

from preguntas.models import Alumno, Aula
from preguntas.realtime import protocol
from preguntas.realtime.outbox import outbox


def students_released(aula: Aula, alumno_ids) -> None:
    """Close the sockets of students whose seat was freed or who were removed (close code 4401)."""
    _send(aula.group_name, protocol.students_released(alumno_ids))


def extra_time_changed(alumno: Alumno) -> None:
    """Tell a student their extra time changed."""
    _send(alumno.aula.group_name, protocol.frames_personal({alumno.pk: protocol.time(alumno.tiempo_extra)}))


def _send(group: str, event: dict) -> None:
    async_to_sync(_send_async)(group, event)


async def _send_async(group: str, event: dict) -> None:
    await outbox().send(group, event)
