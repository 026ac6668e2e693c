"""Which students are connected, across server processes.

Each open student socket is a `Conexion` row tagged with this process's id. While the
process has sockets open it beats every HEARTBEAT_SECONDS (a `Proceso` row); the sockets
of a process that died without closing them stop counting once its beat is older than
models.PROCESS_STALE_AFTER, and the next beat of any live process tells those classrooms'
teachers, whose counts then drop.
"""

import asyncio
import logging
import uuid

from channels.db import database_sync_to_async

from preguntas.game.students import heartbeat as beat
from preguntas.realtime import protocol
from preguntas.realtime.outbox import outbox
from preguntas.realtime.per_loop import per_loop

log = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex
HEARTBEAT_SECONDS = 2


class Heartbeat:
    """Runs while this process (event loop) has sockets open."""

    def __init__(self):
        self.open = 0
        self.task = None

    async def opened(self) -> None:
        """A socket opened; the first one beats before it returns, so that the sockets of this
        process count as connected from the start."""
        self.open += 1
        if self.task is None:
            self.task = asyncio.ensure_future(self._beat())
            await self._beat_once()

    def closed(self) -> None:
        self.open -= 1
        if self.open <= 0 and self.task is not None:
            self.task.cancel()
            self.task = None

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._beat_once()

    async def _beat_once(self) -> None:
        try:
            for aula in await database_sync_to_async(beat)(PROCESS_ID):
                await outbox().send(aula.teacher_group_name, protocol.presence_changed())
        except Exception:
            log.exception("Presence heartbeat failed; retrying")


heartbeat = per_loop(Heartbeat)
