"""Group messages that outlive a channel-layer outage.

When Redis is down a `group_send` fails. The outbox then hands the message to this
process's own sockets at once (through the classroom's relay), keeps it, and sends it
again, in order, until the layer is back: a question pushed during an outage still
reaches the students of every process once it is over. Each message carries an id, so
that a relay that already delivered it does not deliver it twice.
"""

import asyncio
import collections
import logging
import time
import uuid

from channels.layers import get_channel_layer

from preguntas.realtime.per_loop import per_loop
from preguntas.realtime.relay import existing_relay

log = logging.getLogger(__name__)

RETRY_SECONDS = 0.5
# Redis keeps no pub/sub messages: one published before the other processes have
# subscribed again is lost. channels-redis retries its subscriptions every second.
RESUBSCRIBE_GRACE = 2.5
PROBE_GROUP = "qrt.probe"
GIVE_UP_AFTER = 300  # seconds; older messages are dropped (the pages resync from `state`)


class Outbox:
    def __init__(self):
        self.queue: collections.deque = collections.deque()
        self.task = None

    async def send(self, group: str, event: dict) -> None:
        event = {**event, "id": uuid.uuid4().hex}
        if not self.queue:
            try:
                await get_channel_layer().group_send(group, event)
                return
            except Exception:
                log.warning("Channel layer unavailable; holding group messages until it is back", exc_info=True)
        relay = existing_relay(group)
        if relay is not None:
            await relay.deliver(event)
        self.queue.append((time.monotonic() + GIVE_UP_AFTER, group, event))
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._resend())

    async def _resend(self) -> None:
        layer = get_channel_layer()
        while True:  # wait for the layer to answer, then give subscribers time to come back
            try:
                await layer.group_send(PROBE_GROUP, {"type": "probe"})
                break
            except Exception:
                await asyncio.sleep(RETRY_SECONDS)
        await asyncio.sleep(RESUBSCRIBE_GRACE)
        while self.queue:
            expires, group, event = self.queue[0]
            if time.monotonic() > expires:
                log.error("Dropped a message to %s: the channel layer was down too long", group)
                self.queue.popleft()
                continue
            try:
                await layer.group_send(group, event)
            except Exception:
                await asyncio.sleep(RETRY_SECONDS)
                continue
            self.queue.popleft()


outbox = per_loop(Outbox)
