"""/healthz: the database and the channel layer, each checked for real."""

import pytest
from channels.layers import get_channel_layer
from django.db import OperationalError
from django.test import override_settings

from QuestionsRT import health
from tests.multiprocess.stack import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def _open_channels(layer) -> int:
    """Channels this process's layer still holds on the running loop."""
    if hasattr(layer, "_get_layer"):  # RedisPubSubChannelLayer: one layer per event loop
        loop_layer = layer._get_layer()
        return len(loop_layer.channels) + sum(len(shard._subscribed_to) for shard in loop_layer._shards)
    return len(getattr(layer, "channels", {}))


async def test_healthy(async_client):
    response = await async_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok"}
    assert "no-cache" in response["Cache-Control"]


async def test_probes_leave_no_channel_behind(async_client):
    layer = get_channel_layer()
    before = _open_channels(layer)
    for _ in range(5):
        assert (await async_client.get("/healthz")).status_code == 200
    assert _open_channels(layer) == before


async def test_channel_layer_down_is_503(async_client):
    # Redis is down from the application's point of view: nothing listens on its port.
    down = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=down):
        response = await async_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["channel_layer"] in {"error", "timeout"}
    assert "redis" not in response.content.decode().lower()  # the reason is logged, not published


async def test_database_down_is_503(async_client, monkeypatch):
    async def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_query_database", broken)
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "channel_layer": "ok"}


async def test_a_hung_check_times_out(async_client, monkeypatch):
    async def hung():
        import asyncio

        await asyncio.sleep(60)

    monkeypatch.setattr(health, "_query_database", hung)
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "timeout", "channel_layer": "ok"}


async def test_only_get_and_head(async_client):
    assert (await async_client.post("/healthz")).status_code == 405
    assert (await async_client.head("/healthz")).status_code == 200
