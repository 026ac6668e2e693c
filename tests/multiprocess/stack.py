"""Real servers for the production-stack tests: Daphne subprocesses and the run's Redis.

Nothing here talks to Django's test machinery; conftest.py wires these to the test
database and makes sure every process started here is stopped.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0  # seconds for a Daphne process to import Django and answer /healthz
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def http_get(port: int, path: str, headers: dict | None = None, timeout: float = 10.0):
    """(status, headers, body) of one GET to 127.0.0.1:port; headers' names lower-cased."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class DaphneProcess:
    """`python -m daphne -b 127.0.0.1 -p PORT QuestionsRT.asgi:application`, output to a log file.

    `app` may name a test wrapper of the application (see slow_asgi.py).
    """

    def __init__(
        self,
        name: str,
        env: dict,
        log_dir: Path,
        extra_args: tuple[str, ...] = (),
        app: str = "QuestionsRT.asgi:application",
    ):
        self.name = name
        self.env = env
        self.app = app
        self.port = free_port()
        self.log_path = log_dir / f"daphne-{name}-{self.port}.log"
        self.extra_args = extra_args
        self.proc: subprocess.Popen | None = None

    def __repr__(self):
        return f"<Daphne {self.name} :{self.port}>"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, code: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/aula/{code}/"

    def start(self, timeout: float = START_TIMEOUT) -> "DaphneProcess":
        command = [sys.executable, "-m", "daphne", *self.extra_args]
        command += ["-b", "127.0.0.1", "-p", str(self.port), self.app]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_until(self._ready, timeout, interval=0.2, what=f"{self} to answer /healthz")
        except TimeoutError as error:
            raise AssertionError(f"{error}\n{self.log_tail()}") from None
        return self

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"{self} exited with {self.proc.returncode} while starting\n{self.log_tail()}")
        try:
            status, _, _ = http_get(self.port, "/healthz", timeout=5)
        except OSError:
            return False
        return status == 200

    def health(self) -> tuple[int, dict]:
        status, _, body = http_get(self.port, "/healthz")
        return status, json.loads(body)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """Crash: SIGKILL, no chance to close sockets cleanly or run disconnect handlers."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(STOP_TIMEOUT)

    def terminate(self) -> None:
        """Ask the process to stop (SIGTERM) without waiting."""
        if self.alive():
            self.proc.terminate()

    def stop(self) -> None:
        """Polite stop (SIGTERM), then SIGKILL if it lingers."""
        if self.proc is None:
            return
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc.wait(STOP_TIMEOUT)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return f"(no log at {self.log_path})"
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text.splitlines()[-lines:])

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class RedisServer:
    """The Redis server of this test run (scripts/services.sh), which a test may crash and restart.

    The run's own server is known by QRT_REDIS_PID; a restarted one is a child of this
    process. Restarts reuse the port, so REDIS_URL stays valid for every process.
    """

    def __init__(self):
        self.server = os.environ["QRT_REDIS_SERVER"]
        self.port = int(os.environ["QRT_REDIS_PORT"])
        self.runner_pid = int(os.environ["QRT_REDIS_PID"])
        self.workdir = os.environ.get("QRT_REDIS_DIR") or str(ROOT)
        self.proc: subprocess.Popen | None = None  # a server restarted by a test

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Crash the server (SIGKILL) and wait until its port refuses connections."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(STOP_TIMEOUT)
            self.proc = None
        else:
            try:
                os.kill(self.runner_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        wait_until(lambda: not port_open(self.port), STOP_TIMEOUT, what=f"Redis on {self.port} to go away")

    def start(self) -> None:
        """Start Redis again on the same port, as the brief for an operator would."""
        command = [self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self.workdir, "--logfile", os.path.join(self.workdir, "redis-restarted.log")]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(self.ping, STOP_TIMEOUT, what=f"Redis on {self.port} to answer PING")

    def ensure_running(self) -> None:
        if not self.ping():
            self.start()

    def stop_restarted(self) -> None:
        """Stop a server this process restarted (the runner stops its own)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT)
        self.proc = None
