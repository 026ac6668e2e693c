"""One channel-layer subscription per classroom per process.

Waking one consumer per socket through the channel layer costs about 8x a plain
broadcast at 2,000 sockets (docs/performance.md). Instead, each process keeps one
relay per classroom with local sockets: the relay alone is a member of the
classroom's groups and hands every frame to the process's sockets itself. Frames
arrive encoded once, as text. Other events go to the consumers they name
(``protocol``: ``to``), whose ``dispatch`` calls the handler named after the event.
"""

import asyncio
import collections
import logging

from channels.layers import get_channel_layer

from preguntas.realtime import protocol
from preguntas.realtime.per_loop import per_loop

log = logging.getLogger(__name__)


class Relay:
    def __init__(self, group: str, teacher_group: str):
        self.group, self.teacher_group = group, teacher_group
        self.members: set = set()  # consumers that receive the classroom's frames
        self.teachers: set = set()  # consumers that also receive teacher events
        self.layer = get_channel_layer()
        self.channel = None
        self.task = None
        self.lock = asyncio.Lock()
        self.split_sent = 0.0  # when a teacher socket here last sent the class its live split

    async def add(self, consumer, teacher: bool = False) -> None:
        async with self.lock:
            self.members.add(consumer)
            if self.task is None:
                self.channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, self.channel)
                self.task = asyncio.ensure_future(self._pump(self.channel))
            if teacher:
                # Teacher events (every answer stored, presence) reach only the processes
                # where a teacher socket listens.
                if not self.teachers:
                    await self.layer.group_add(self.teacher_group, self.channel)
                self.teachers.add(consumer)

    async def remove(self, consumer) -> None:
        async with self.lock:
            self.members.discard(consumer)
            was_teacher = consumer in self.teachers
            self.teachers.discard(consumer)
            if self.task is None:
                return
            if was_teacher and not self.teachers:
                await self.layer.group_discard(self.teacher_group, self.channel)
            if self.members:
                return
            self.task.cancel()
            self.task = None
            await self.layer.group_discard(self.group, self.channel)
            if relays().get(self.group) is self:
                del relays()[self.group]

    async def _pump(self, channel: str) -> None:
        while True:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Relay for %s lost the channel layer; retrying", self.group)
                await asyncio.sleep(0.5)
                continue
            await self.deliver(event)

    async def deliver(self, event: dict) -> None:
        """Hand an event to the local sockets, once: the outbox (outbox.py) may have
        delivered it here already while the channel layer was down."""
        if not _first_delivery(event.get("id")):
            return
        kind = event.get("type")
        if kind == "frame.send":
            text = event["text"]
            await self._send_each((consumer, text) for consumer in list(self.members))
        elif kind == "frames.personal":
            await self._send_each(self._personal(event))
        else:
            for consumer in self._addressees(event.get("to")):
                await consumer.dispatch(event)

    def _addressees(self, to) -> list:
        if to == protocol.TEACHERS:
            return list(self.teachers)
        ids = set(to or ())
        return [c for c in self.members if c.alumno and c.alumno["id"] in ids]

    def _personal(self, event: dict):
        """Each joined student here with a frame of their own in the event, and the teachers."""
        texts, teacher_text = event.get("students", {}), event.get("teachers")
        for consumer in list(self.members):
            if consumer in self.teachers:
                text = teacher_text
            else:
                text = texts.get(str(consumer.alumno["id"])) if consumer.alumno else None
            if text is not None:
                yield consumer, text

    @staticmethod
    async def _send_each(deliveries) -> None:
        for consumer, text in deliveries:
            try:
                await consumer.base_send({"type": "websocket.send", "text": text})
            except Exception:  # one closed socket must not starve the others
                log.debug("Could not deliver to a closing socket", exc_info=True)


class RecentIds:
    """The ids of the last `size` events delivered in this process."""

    def __init__(self, size: int = 4096):
        self.order = collections.deque(maxlen=size)
        self.ids: set = set()

    def add(self, event_id) -> bool:
        """Remember an id; False if it was already there."""
        if event_id in self.ids:
            return False
        if len(self.order) == self.order.maxlen:
            self.ids.discard(self.order[0])
        self.order.append(event_id)
        self.ids.add(event_id)
        return True


recent_ids = per_loop(RecentIds)


def _first_delivery(event_id) -> bool:
    """Whether this process delivers an event for the first time (per process, so that a
    relay made anew after its sockets reconnected does not deliver a resent event again)."""
    if event_id is None:
        return True
    return recent_ids().add(event_id)


relays = per_loop(dict)  # classroom group -> Relay


def existing_relay(group: str) -> Relay | None:
    """The relay in this process that listens to a group, if any socket here does."""
    for relay in relays().values():
        if group in (relay.group, relay.teacher_group):
            return relay
    return None


def relay_for(group: str, teacher_group: str) -> Relay:
    """The relay of a classroom in this process, made when its first socket listens."""
    relay = relays().get(group)
    if relay is None:
        relay = relays()[group] = Relay(group, teacher_group)
    return relay
