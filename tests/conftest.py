"""Named personas shared by the suite.

- alice: a teacher; owns `aula` and the questions pushed there.
- bob: another teacher; must never see or drive alice's classroom.
"""

import asyncio
import contextlib

import pytest
from asgiref.sync import SyncToAsync
from channels.testing import WebsocketCommunicator
from django.db import connections

from tests.factories import AulaFactory, PreguntaFactory, TeacherFactory


@pytest.fixture
def alice(db):
    return TeacherFactory(username="alice")


@pytest.fixture
def bob(db):
    return TeacherFactory(username="bob")


@pytest.fixture
def aula(alice):
    return AulaFactory(propietario=alice, nombre="3ºB Geografía", codigo="AULA01")


@pytest.fixture
def pregunta(alice):
    return PreguntaFactory(propietario=alice, texto="Bogotá es la capital de Colombia.", respuesta=True)



@pytest.fixture(scope="session", autouse=True)
def _close_orm_thread_connections(django_db_setup):
    """The consumers' ORM thread keeps its connection; close it before the test database is dropped."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


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
