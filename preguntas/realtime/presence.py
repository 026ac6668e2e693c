"""Which students are connected, across server processes.

Each open student socket is a `Conexion` row tagged with this process's id. While
the process has sockets open it refreshes their `visto` every HEARTBEAT; a process
that dies without closing its sockets stops refreshing, and after
CONNECTION_STALE_AFTER its sockets no longer count (models.Conexion.objects.vivas).
"""

import asyncio
import logging
import uuid

from channels.db import database_sync_to_async

from preguntas.game.students import refresh_connections
from preguntas.realtime.per_loop import per_loop

log = logging.getLogger(__name__)

PROCESS_ID = uuid.uuid4().hex
HEARTBEAT_SECONDS = 20


class Heartbeat:
    """Runs while this process (event loop) has student sockets open."""

    def __init__(self):
        self.open = 0
        self.task = None

    def opened(self) -> None:
        self.open += 1
        if self.task is None:
            self.task = asyncio.ensure_future(self._beat())

    def closed(self) -> None:
        self.open -= 1
        if self.open <= 0 and self.task is not None:
            self.task.cancel()
            self.task = None

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await database_sync_to_async(refresh_connections)(PROCESS_ID)
            except Exception:
                log.exception("Presence heartbeat failed; retrying")


heartbeat = per_loop(Heartbeat)
