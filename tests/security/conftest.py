"""Personas for the security tests, on top of tests/conftest.py (alice, bob, aula, pregunta).

- staff: an administrator (is_staff) with every permission on the preguntas models;
  not the owner of any classroom.
"""

import asyncio
import contextlib

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Permission

from tests.factories import TeacherFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created by the dozen here; the real hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    user = TeacherFactory(username="staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="preguntas"))
    return user


@pytest.fixture(autouse=True)
async def close_sockets_left_open(monkeypatch):
    """Disconnect every socket a test opened and left open (say, because an assertion failed).

    A consumer still running when the test's event loop closes can hang the teardown for
    good: its relay unsubscribes from Redis while the loop is cancelling every task.
    """
    opened = []
    original = WebsocketCommunicator.__init__

    def tracking_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(WebsocketCommunicator, "__init__", tracking_init)
    yield
    loop = asyncio.get_running_loop()
    for communicator in opened:
        if communicator.future.get_loop() is loop and not communicator.future.done():
            with contextlib.suppress(BaseException):
                await communicator.disconnect(timeout=2)
