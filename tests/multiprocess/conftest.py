"""Fixtures for the production-stack tests: several Daphne processes on the run's
PostgreSQL test database and Redis, with DEBUG off.

Run them with the real services: ``bash scripts/test.sh tests/multiprocess``.
"""

import os
import secrets
from urllib.parse import quote

import pytest
from django.db import connection

from tests.multiprocess.stack import DaphneProcess, RedisServer

# Shared by the Daphne processes and by this process when it signs a teacher's session.
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = "127.0.0.1,localhost"

_STACK_VARIABLES = ("DATABASE_URL", "REDIS_URL", "QRT_REDIS_SERVER", "QRT_REDIS_PORT", "QRT_REDIS_PID")


@pytest.fixture(scope="session")
def redis_server():
    """The run's Redis; whatever a test restarts is stopped when the session ends."""
    missing = [name for name in _STACK_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"the production-stack tests need PostgreSQL and Redis ({', '.join(missing)} unset): "
            "run them with `bash scripts/test.sh tests/multiprocess`",
            pytrace=False,
        )
    server = RedisServer()
    yield server
    server.stop_restarted()


@pytest.fixture
def redis(redis_server):
    """Redis for one test, up again afterwards even if the test crashed it and failed."""
    redis_server.ensure_running()
    yield redis_server
    redis_server.ensure_running()


@pytest.fixture
def stack_env(transactional_db, redis):
    """Environment of a production Daphne process on the suite's test database."""
    if connection.vendor != "postgresql":
        pytest.fail(f"the production-stack tests need PostgreSQL, not {connection.vendor}", pytrace=False)
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "QuestionsRT.settings",
        "DATABASE_URL": database_url,  # test_<name>: the database this test's rows are in
        "DB_CONN_MAX_AGE": "0",  # no idle connection may keep the test database from being dropped
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": ALLOWED_HOSTS,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def daphne_process(stack_env, tmp_path):
    """Factory: ``daphne_process("A")`` starts a Daphne process and waits until /healthz is 200.

    Every process started here is stopped when the test ends, passed or failed.
    """
    started: list[DaphneProcess] = []

    def start(name: str, app: str = "QuestionsRT.asgi:application", **env) -> DaphneProcess:
        process = DaphneProcess(name, {**stack_env, **env}, tmp_path, app=app)
        started.append(process)
        return process.start()

    yield start
    for process in started:  # all at once: each may take a moment to shut down
        process.terminate()
    for process in started:
        process.stop()
