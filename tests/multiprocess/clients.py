"""Socket clients that behave like the pages: a teacher's panel and a student's tab.

They speak the protocol of docs/protocol.md over real WebSockets (the `websockets`
library) to a Daphne process, and reconnect the way the pages do: on a drop, open a new
socket (possibly to another process) and, for a student, rejoin with the token.
"""

import asyncio
import json

from django.test import override_settings
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from tests.multiprocess.conftest import SECRET_KEY
from tests.sockets import session_cookie

TIMEOUT = 10.0  # seconds to wait for one frame
RECONNECT_TIMEOUT = 30.0


async def teacher_cookie(user) -> str:
    """A session cookie that the Daphne processes (which share SECRET_KEY) accept."""
    with override_settings(SECRET_KEY=SECRET_KEY):
        return (await session_cookie(user)).decode()


class Client:
    def __init__(self, server, code: str, cookie: str | None = None, label: str = ""):
        self.server = server
        self.code = code
        self.cookie = cookie
        self.label = label
        self.socket = None
        self.drops: list[str] = []  # how each socket of this client ended without our asking
        self.errors: list[dict] = []  # every error frame received

    def __repr__(self):
        return f"<{type(self).__name__} {self.label} on {self.server.name}>"

    async def open(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await connect(
            self.server.ws_url(self.code),
            origin=self.server.origin,
            additional_headers=headers,
            open_timeout=TIMEOUT,
            ping_interval=None,  # no keepalive pings: a dead peer must show up as a drop, not a timeout
        )

    async def close(self):
        if self.socket is not None:
            await self.socket.close()

    async def send(self, frame: dict):
        await self.socket.send(json.dumps(frame))

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        try:
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        except ConnectionClosed as closed:
            self.drops.append(_describe(closed))
            raise
        if frame.get("type") == "error":
            self.errors.append(frame)
        return frame

    async def receive_type(self, kind: str, timeout: float = TIMEOUT) -> dict:
        """The next frame of a type, skipping others (tallies and rosters come at their own pace)."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.receive(timeout)
                if frame["type"] == kind:
                    return frame

    async def receive_one_of(self, kinds: set[str], timeout: float = TIMEOUT) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.receive(timeout)
                if frame["type"] in kinds:
                    return frame

    async def dropped(self, timeout: float = TIMEOUT) -> bool:
        """Read until the socket ends; True if it did within the timeout."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.receive(timeout)
        except ConnectionClosed:
            return True
        except TimeoutError:
            return False

    async def is_open(self) -> bool:
        """Whether the socket still answers a ping frame of the protocol."""
        try:
            await self.send({"type": "ping"})
            await self.receive_type("pong", timeout=5)
        except (ConnectionClosed, TimeoutError):
            return False
        return True

    async def reconnect(self, server=None, timeout: float = RECONNECT_TIMEOUT):
        """Open a new socket, to `server` if given, retrying with back-off like the pages."""
        if server is not None:
            self.server = server
        if self.socket is not None:
            await self.socket.close()
        delay = 0.1
        async with asyncio.timeout(timeout):
            while True:
                try:
                    await self.open()
                    return await self.after_open()
                except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError) as error:
                    last = error
                    if isinstance(error, InvalidStatus):
                        last = f"HTTP {error.response.status_code}"
                    self.drops.append(f"reconnect failed: {last!r}")
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 1.0)

    async def after_open(self):
        return None


class Teacher(Client):
    state: dict | None = None

    async def connect(self) -> dict:
        await self.open()
        return await self.after_open()

    async def after_open(self) -> dict:
        self.state = await self.receive()
        assert self.state["type"] == "state", self.state
        return self.state

    async def push(self, question_id: int) -> dict:
        await self.send({"type": "push", "question": question_id})
        return await self.receive_type("question")


class Student(Client):
    token: str | None = None
    id: int | None = None
    state: dict | None = None

    async def join(self, name: str) -> dict:
        await self.open()
        await self.send({"type": "join", "name": name})
        return await self._joined()

    async def after_open(self) -> dict:
        await self.send({"type": "join", "token": self.token})
        return await self._joined()

    async def _joined(self) -> dict:
        joined = await self.receive()
        assert joined["type"] == "joined", (self, joined)
        self.id, self.token = joined["student"]["id"], joined["token"]
        self.state = await self.receive_type("state")
        return self.state

    async def answer(self, round_id: int, value: bool) -> dict:
        """Send an answer; the reply is `answered` or an `error` frame."""
        await self.send({"type": "answer", "round": round_id, "value": value})
        return await self.receive_one_of({"answered", "error"})


async def collect_tally(teacher: Teacher, round_id: int, answered: int, listed_count: int = 0, timeout=TIMEOUT):
    """Tally frames of a round until `answered` answers are counted and `listed_count`
    answers were listed one by one in the frames' `answers`.

    Returns (last tally, {student id: value} listed); a student listed twice fails the test.
    """
    listed: dict[int, bool] = {}
    frame = None
    try:
        async with asyncio.timeout(timeout):
            while True:
                frame = await teacher.receive_type("tally")
                if frame["round"] != round_id:
                    continue
                for item in frame["answers"]:
                    assert item["student"] not in listed, f"student {item['student']} listed twice in the tallies"
                    listed[item["student"]] = item["value"]
                if frame["answered"] >= answered and len(listed) >= listed_count:
                    return frame, listed
    except TimeoutError:
        raise AssertionError(
            f"the teacher's tallies of round {round_id} did not reach {answered} answers, {listed_count} listed,"
            f" within {timeout}s: last tally {frame}, listed {listed}"
        ) from None


def _describe(closed: ConnectionClosed) -> str:
    if closed.rcvd is None:
        return "closed without a close frame (1006)"
    return f"closed with {closed.rcvd.code}"


async def panel_projector_and_students(a, b, code: str, teacher, per_process: int) -> tuple[Teacher, Teacher, list[Student]]:
    """The teacher's panel on process ``a`` and projector on ``b``, and ``per_process`` students
    joined on each process (labelled by process and number: "A0", "B3")."""
    cookie = await teacher_cookie(teacher)
    panel = Teacher(a, code, cookie=cookie, label="panel")
    projector = Teacher(b, code, cookie=cookie, label="projector")
    await panel.connect()
    await projector.connect()
    students = [Student(server, code, label=f"{server.name}{i}") for server in (a, b) for i in range(per_process)]
    await asyncio.gather(*(s.join(f"Alumno {s.label}") for s in students))
    return panel, projector, students
