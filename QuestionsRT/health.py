"""``/healthz``: is this process able to serve a live classroom?

Checks, concurrently and each with a short timeout:

- ``database``: one query on the default database;
- ``channel_layer``: a message sent to a fresh channel comes back through the layer
  (with Redis: a publish and a subscription on this process's own connection).

Answers ``200 {"database": "ok", "channel_layer": "ok"}``, or ``503`` with the failed
check set to ``"error"`` or ``"timeout"``. The reason is logged, never sent.

The view is async on purpose: under Daphne it runs on the event loop that serves the
sockets, so it exercises the very channel layer connection the consumers use.
"""

import asyncio
import logging
import uuid

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

TIMEOUT = 2.0  # seconds, per check


@database_sync_to_async
def _query_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _round_trip(layer) -> None:
    channel = await layer.new_channel()
    token = uuid.uuid4().hex
    receiver = asyncio.ensure_future(layer.receive(channel))
    try:
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await receiver
        if message.get("token") != token:
            raise RuntimeError(f"unexpected message on {channel}: {message!r}")
        # Channel layers have no "delete channel" call: they release a channel when a
        # receive on it is cancelled (that is how a consumer leaves). Without this each
        # probe would leave one more subscription behind.
        receiver = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0)  # let the receive start waiting
    finally:
        receiver.cancel()
        await asyncio.wait({receiver}, timeout=TIMEOUT)


async def _check(name: str, coroutine) -> str:
    try:
        await asyncio.wait_for(coroutine, TIMEOUT)
    except asyncio.TimeoutError:
        log.warning("healthz: %s did not answer within %ss", name, TIMEOUT)
        return "timeout"
    except Exception:
        log.warning("healthz: %s failed", name, exc_info=True)
        return "error"
    return "ok"


async def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        log.warning("healthz: no channel layer configured")
        return "error"
    return await _check("channel_layer", _round_trip(layer))


@never_cache
@require_safe
async def healthz(request):
    database, channel_layer = await asyncio.gather(
        _check("database", _query_database()), _check_channel_layer()
    )
    status = 200 if database == channel_layer == "ok" else 503
    return JsonResponse({"database": database, "channel_layer": channel_layer}, status=status)


urlpatterns = [path("healthz", healthz, name="healthz")]
