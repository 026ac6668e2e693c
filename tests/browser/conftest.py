"""Fixtures for the end-to-end tests: the app served by Daphne, headless Chromium windows.

- ``live_app``: the whole ASGI app (pages and sockets) served by a real ``daphne`` process on
  127.0.0.1, talking to the suite's test database and channel layer (PostgreSQL and Redis under
  ``scripts/test.sh``). One server for the session; each test gets a clean database
  (``transactional_db``: the server is another process and must see committed rows).
  ``live_app.stop()`` / ``live_app.start()`` drop every socket and bring the server back on the
  same port.
- ``browser(size)``: a fresh headless Chromium (Debian's ``chromium`` + ``chromium-driver``,
  no download) with its own profile, its viewport set to ``PHONE`` or ``LAPTOP``.
- ``teacher_socket(aula, user)``: the teacher's side driven from Python over the real socket,
  for scenarios that are about the student's page.
- ``demo``: the demo data of ``seed_demo`` (teacher "profesor", classroom DEMO01, the bank).

Nothing here skips: a missing browser or driver is an error.
"""

import contextlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from selenium import webdriver
from selenium.common.exceptions import SessionNotCreatedException
from selenium.webdriver.chrome.service import Service
from websockets.sync.client import connect as ws_connect

from tests.browser.pages import WAIT

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("QRT_CHROMIUM") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("QRT_CHROMEDRIVER") or "/usr/bin/chromedriver"

# Needed as root and on a box with no GPU; the rest stop Chromium from reaching the network.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-proxy-server",
    "--no-default-browser-check",
    "--disable-extensions",
    "--lang=es-ES",
]


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int
    mobile: bool


# The page sees exactly this viewport (device metrics emulation): a headless window cannot be
# narrower than 500 px, so the window is only the frame around it.
PHONE = Viewport(375, 740, mobile=True)
LAPTOP = Viewport(1280, 800, mobile=False)


# The server ----------------------------------------------------------------


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_port() -> int:
    """A free port below the kernel's ephemeral range, so that no outgoing connection takes
    it while the server is down during a restart."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        if _port_is_free(port):
            return port
    raise RuntimeError("no free TCP port found on 127.0.0.1")


def _database_url() -> str:
    """The test database the suite is using, as a DATABASE_URL for the server process."""
    db = connections["default"].settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        quote = urllib.parse.quote
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"browser tests do not know how to share a {db['ENGINE']} database")


class LiveApp:
    """`daphne QuestionsRT.asgi:application` on 127.0.0.1, as a child process of the tests."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.port = _pick_port()
        self.process: subprocess.Popen | None = None
        self.started_once = False
        self.app = "QuestionsRT.asgi:application"
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DB_CONN_MAX_AGE": "0",
            "DEBUG": "1",  # static files straight from the source tree, as in development
            "ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 60) -> None:
        """Start the server and wait until it answers. The first start may move to another
        port if this one was taken meanwhile; a restart keeps the port the pages know."""
        assert not self.running
        for _ in range(3):
            if self._serve(timeout):
                self.started_once = True
                return
            if _port_is_free(self.port):
                break  # it failed for another reason than the port: do not hide it
            if not self.started_once:
                self.port = _pick_port()
            else:
                time.sleep(1)
        raise RuntimeError(f"daphne did not start on 127.0.0.1:{self.port}:\n{self.log_tail()}")

    def _serve(self, timeout: float) -> bool:
        daphne = Path(sys.executable).with_name("daphne")
        command = [str(daphne), "-b", "127.0.0.1", "-p", str(self.port), self.app]
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== {' '.join(command)}\n".encode())
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        return False

    def stop(self) -> None:
        """Stop the server: every open socket drops, as when the Wi-Fi goes."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def _live_app_process(django_db_setup, tmp_path_factory):
    server = LiveApp(tmp_path_factory.mktemp("daphne") / "daphne.log")
    server.start()
    try:
        yield server
    finally:
        # Before the test database is dropped: the server holds connections to it.
        server.stop()


@pytest.fixture
def live_app(_live_app_process, transactional_db, request):
    server = _live_app_process
    if not server.running:  # a test that stopped it failed before starting it again
        server.start()
    yield server
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"\n--- daphne log (tail) ---\n{server.log_tail()}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# Browsers ------------------------------------------------------------------


def _start_chromium(options) -> webdriver.Chrome:
    """Start Chromium through chromedriver; once more if a busy machine made it miss its start-up."""
    try:
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except SessionNotCreatedException:
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture
def browser(live_app, request):
    """Factory: ``browser(PHONE)`` opens a new headless Chromium with a fresh profile."""
    opened: list[tuple[webdriver.Chrome, str]] = []
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"{path} is missing: install Debian's chromium and chromium-driver")

    def open_browser(viewport: Viewport = LAPTOP) -> webdriver.Chrome:
        profile = tempfile.mkdtemp(prefix="qrt-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={max(viewport.width, 500)},{viewport.height + 200}")
        options.add_experimental_option("prefs", {"intl.accept_languages": "es-ES,es"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            driver = _start_chromium(options)
        except Exception:
            shutil.rmtree(profile, ignore_errors=True)
            raise
        opened.append((driver, profile))
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1, "mobile": viewport.mobile},
        )
        driver.set_script_timeout(WAIT)
        return driver

    yield open_browser

    report = getattr(request.node, "rep_call", None)
    for index, (driver, profile) in enumerate(opened):
        if report is not None and report.failed:
            try:
                logs = driver.get_log("browser")
                print(f"\n--- browser {index} at {driver.current_url} ---")
                for entry in logs:
                    print(f"{entry['level']}: {entry['message']}")
            except Exception as error:  # the browser may be the thing that broke
                print(f"\n--- browser {index}: no log ({error}) ---")
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)


# The classroom -------------------------------------------------------------


@dataclass
class Demo:
    profesor: object
    aula: object


@pytest.fixture
def demo(live_app):
    from django.contrib.auth import get_user_model

    from preguntas.models import Aula

    call_command("seed_demo", stdout=io.StringIO())
    return Demo(profesor=get_user_model().objects.get(username="profesor"), aula=Aula.objects.get(codigo="DEMO01"))


def session_cookie(user) -> dict:
    """A logged-in session for ``user``, as a cookie a browser or a socket can carry."""
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


class TeacherSocket:
    """The teacher's socket, driven from the test (docs/protocol.md)."""

    def __init__(self, server: LiveApp, code: str, user):
        cookie = session_cookie(user)
        self._exit = contextlib.ExitStack()
        self.ws = self._exit.enter_context(ws_connect(
            f"{server.ws_url}/ws/aula/{code}/",
            origin=server.url,
            additional_headers={"Cookie": f"{cookie['name']}={cookie['value']}"},
            proxy=None,
            open_timeout=WAIT,
        ))
        self.state = self.receive_type("state")

    def send(self, frame: dict) -> None:
        self.ws.send(json.dumps(frame))

    def receive_type(self, kind: str, timeout: float = WAIT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if frame["type"] == kind:
                return frame

    def push(self, pregunta) -> dict:
        self.send({"type": "push", "question": pregunta.pk})
        return self.receive_type("question")

    def close_round(self, round_id: int) -> dict:
        self.send({"type": "close", "round": round_id})
        return self.receive_type("closed")

    def close(self) -> None:
        self._exit.close()


@pytest.fixture
def teacher_socket(live_app):
    opened: list[TeacherSocket] = []

    def open_socket(aula, user) -> TeacherSocket:
        sock = TeacherSocket(live_app, aula.codigo, user)
        opened.append(sock)
        return sock

    yield open_socket
    for sock in opened:
        sock.close()
