"""Telling a classroom's sockets about changes a teacher makes on the pages, not over the socket.

Sent straight through the channel layer to the classroom's relays (relay.py). If the layer is
down the change still stands in the database: the sockets learn it when they next rejoin.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from preguntas.models import Aula

log = logging.getLogger(__name__)


def students_released(aula: Aula, alumno_ids) -> None:
    """Close the sockets of students whose seat was freed or who were removed (close code 4401)."""
    _send(aula, {"type": "students.released", "students": list(alumno_ids)})


def tell_student(aula: Aula, alumno_id: int, text: str) -> None:
    """One frame, already encoded, for one student's sockets."""
    _send(aula, {"type": "frames.personal", "students": {str(alumno_id): text}})


def _send(aula: Aula, event: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(aula.group_name, event)
    except Exception:
        log.warning("Could not tell classroom %s's sockets about %s", aula.codigo, event["type"], exc_info=True)
