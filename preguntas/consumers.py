"""The classroom socket: one consumer, one URL per classroom (docs/protocol.md).

Thin by design: parse a frame, check who may send it, call a rule in
``preguntas.live`` through ``database_sync_to_async``, broadcast the outcome.
"""

import asyncio
import json
import time
from datetime import datetime

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import trans_real

from preguntas import live, scores
from preguntas.answers import batcher
from preguntas.live import LiveError
from preguntas.models import Clasificacion
from preguntas.outbox import outbox
from preguntas.presence import PROCESS_ID, heartbeat
from preguntas.relay import relay_for

# Close codes (docs/protocol.md).
CLOSE_SEAT_FREED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_RATE_LIMITED = 4429

ROSTER_INTERVAL = 1.0  # seconds between two roster frames to a teacher
DEADLINE_MARGIN = 0.05  # seconds; a timer may wake a hair before the wall clock's deadline

TEACHER_TYPES = {"push", "close", "split", "revote", "leaderboard"}
STUDENT_TYPES = {"join", "answer", "seats"}


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def socket_language(scope) -> str:
    """The socket's language: the language cookie, else Accept-Language, else the default."""
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    accept = dict(scope.get("headers", ())).get(b"accept-language", b"").decode("latin-1")
    candidates = ([cookie] if cookie else []) + [lang for lang, q in trans_real.parse_accept_lang_header(accept)]
    for candidate in candidates:
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class AulaConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the classroom's relay (relay.py) delivers frames and events.
    channel_layer_alias = None
    aula = None
    alumno = None
    is_teacher = False
    relay = None

    async def dispatch(self, message):
        """Call the handler straight away.

        Channels first hops to the ORM thread to close stale connections before every
        message; on a busy classroom those hops queue behind the answer batches. Every
        ORM call here goes through ``database_sync_to_async``, which closes them anyway.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        # Local to this socket's task: its handlers (and the ORM calls they make) inherit it.
        translation.activate(socket_language(self.scope))
        code = self.scope["url_route"]["kwargs"]["code"]
        self.aula = await database_sync_to_async(live.find_aula)(code)
        await self.accept()
        if self.aula is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        user = self.scope.get("user")
        self.is_teacher = bool(user and user.is_authenticated and user.pk == self.aula.propietario_id)
        self._window_start, self._window_frames = time.monotonic(), 0
        if self.is_teacher:
            self._pending_answers: list[dict] = []
            self._roster_dirty = False
            self._roster_sent = 0.0
            self._flush_task = None
            self._deadline_task = None
            await self._close_overdue()  # before listening: the teacher's `state` comes first
            await self._listen()
            state = await database_sync_to_async(live.teacher_state)(self.aula)
            await self._send(state)
            if state["round"] and state["round"]["deadline"]:
                self._schedule_deadline(state["round"].get("closes") or state["round"]["deadline"])

    async def disconnect(self, code):
        if self.relay is not None:
            await self.relay.remove(self)
        if self.is_teacher:
            for task in (self._flush_task, self._deadline_task):
                if task:
                    task.cancel()
        if self.alumno is not None:
            heartbeat().closed()
            await database_sync_to_async(live.leave)(self._conexion_id)
            await self._notify_teacher({"type": "presence.changed"})

    # Incoming frames ----------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.aula is None:
            return
        if not await self._within_rate_limit():
            return
        try:
            frame = self._parse(text_data, bytes_data)
            kind = frame.get("type")
            handler = getattr(self, f"on_{kind}", None) if isinstance(kind, str) else None
            if handler is None or kind not in TEACHER_TYPES | STUDENT_TYPES | {"ping"}:
                raise LiveError("unknown_type", _("Tipo de mensaje desconocido."))
            if kind in TEACHER_TYPES and not self.is_teacher:
                raise LiveError("forbidden", _("Solo el docente del aula puede hacer eso."))
            if kind in STUDENT_TYPES and self.is_teacher:
                raise LiveError("forbidden", _("El docente no responde preguntas."))
            await handler(frame)
        except LiveError as error:
            await self._send({"type": "error", "code": error.code, "detail": error.detail})

    def _parse(self, text_data, bytes_data) -> dict:
        if text_data is None:
            raise LiveError("bad_json", _("Solo se aceptan mensajes de texto JSON."))
        if len(text_data.encode()) > settings.QRT_MAX_FRAME_BYTES:
            raise LiveError(
                "too_large", _("Mensaje de más de %(max)s bytes.") % {"max": settings.QRT_MAX_FRAME_BYTES}
            )
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested arrays
            raise LiveError("bad_json", _("El mensaje no es JSON válido.")) from None
        if not isinstance(frame, dict):
            raise LiveError("bad_json", _("El mensaje debe ser un objeto JSON."))
        return frame

    async def _within_rate_limit(self) -> bool:
        """Count frames per window: over the limit gets an error, twice over closes."""
        now = time.monotonic()
        if now - self._window_start >= settings.QRT_RATE_LIMIT_WINDOW:
            self._window_start, self._window_frames = now, 0
        self._window_frames += 1
        limit = settings.QRT_RATE_LIMIT_FRAMES
        if self._window_frames <= limit:
            return True
        if self._window_frames > 2 * limit:
            await self.close(code=CLOSE_RATE_LIMITED)
        elif self._window_frames == limit + 1:
            await self._send(
                {"type": "error", "code": "rate_limited", "detail": _("Demasiados mensajes; espera unos segundos.")}
            )
        return False

    async def on_ping(self, frame):
        await self._send({"type": "pong"})

    async def on_join(self, frame):
        if self.alumno is not None:
            raise LiveError("already_joined", _("Ya estás dentro del aula."))
        await self._listen()  # before reading the state, so that no frame falls in between
        try:
            alumno, self._conexion_id, state = await database_sync_to_async(live.enter)(self.aula, frame, PROCESS_ID)
        except LiveError:
            await self.relay.remove(self)
            self.relay = None
            raise
        self.alumno = {"id": alumno.pk, "name": alumno.nombre}
        heartbeat().opened()
        joined = {"type": "joined", "student": self.alumno, "token": alumno.token}
        if alumno.tiempo_extra != 100:
            joined["extra_time"] = alumno.tiempo_extra  # this student's own; nobody else hears of it
        await self._send(joined)
        await self._send(state)
        await self._notify_teacher({"type": "presence.changed"})

    async def on_seats(self, frame):
        seats = await database_sync_to_async(live.seats)(self.aula)
        classroom = {"name": self.aula.nombre, "code": self.aula.codigo}
        await self._send({"type": "seats", "seats": seats, "classroom": classroom})

    async def on_answer(self, frame):
        if self.alumno is None:
            raise LiveError("not_joined", _("Únete al aula antes de responder."))
        round_id, value, sure = frame.get("round"), frame.get("value"), frame.get("sure")
        await batcher().submit(self.aula, self.alumno["id"], round_id, value, sure)
        ack = {"type": "answered", "round": round_id, "value": value}
        if sure is not None:
            ack["sure"] = sure
        await self._send(ack)

    async def on_push(self, frame):
        closed, ronda = await database_sync_to_async(live.push)(
            self.aula, self.scope["user"], frame.get("question"), frame.get("seconds"), frame.get("quiz")
        )
        if closed is not None:
            await self._announce_closed(closed)
        self._pending_answers = []
        await self._broadcast(live.question_frame(ronda))
        if ronda.limite:
            closes = (ronda.cierre or ronda.limite).isoformat()
            if ronda.cierre != ronda.limite:
                await self._send_personal({}, {"type": "extra_time", "round": ronda.pk, "closes": closes})
            self._schedule_deadline(closes)

    async def on_split(self, frame):
        ronda = await database_sync_to_async(live.round_of)(self.aula, frame.get("round"))
        await self._broadcast(await database_sync_to_async(live.split_frame)(ronda))

    async def on_revote(self, frame):
        first, second = await database_sync_to_async(live.revote)(self.aula, frame.get("round"))
        self._pending_answers = []
        await self._broadcast(await database_sync_to_async(live.split_frame)(first))
        await self._broadcast(live.question_frame(second))

    async def on_close(self, frame):
        ronda = await database_sync_to_async(live.close)(self.aula, frame.get("round"))
        await self._announce_closed(ronda)

    async def on_leaderboard(self, frame):
        """Show the leaderboard now (e.g. at the end of a class run without a quiz)."""
        if not await self._announce_scores(None):
            raise LiveError("invalid", _("La clasificación está desactivada en esta aula."))

    # Teacher events, delivered by the relay -----------------------------

    async def answers_stored(self, event):
        self._pending_answers.extend(event["answers"])
        self._schedule_flush()

    async def presence_changed(self, event):
        self._roster_dirty = True
        self._schedule_flush()

    async def seat_released(self):
        """The teacher freed this student's seat, or removed the student: this device is out."""
        await self.close(code=CLOSE_SEAT_FREED)

    # Helpers ------------------------------------------------------------

    async def _listen(self):
        """Start receiving the classroom's frames (and, for the teacher, its events)."""
        self.relay = relay_for(self.aula.group_name, self.aula.teacher_group_name)
        await self.relay.add(self, teacher=self.is_teacher)

    async def _send(self, frame: dict):
        await self.send(text_data=encode(frame))

    async def _broadcast(self, frame: dict):
        """Encode once; every relay of the classroom hands the text to its sockets."""
        await outbox().send(self.aula.group_name, {"type": "frame.send", "text": encode(frame)})

    async def _send_personal(self, students: dict[int, dict], teachers: dict | None = None):
        """Frames for one student each (by id) and for the teacher, through the relays."""
        event = {"type": "frames.personal", "students": {str(pk): encode(f) for pk, f in students.items()}}
        if teachers:
            event["teachers"] = encode(teachers)
        await outbox().send(self.aula.group_name, event)

    async def _announce_closed(self, ronda):
        await self._broadcast(await database_sync_to_async(live.closed_frame)(ronda))
        await self._announce_scores(ronda)

    async def _announce_scores(self, closed) -> bool:
        """The leaderboard as the classroom shows it (scores.py) after ``closed``, or now if None.
        False if the classroom has it turned off."""
        aula = await database_sync_to_async(live.find_aula)(self.aula.codigo)  # its settings may have changed
        if aula is None or aula.clasificacion == Clasificacion.NINGUNA:
            return False
        public, personal = await database_sync_to_async(scores.leaderboard)(aula, closed)
        if public:
            await self._broadcast(public)
        if personal:
            await self._send_personal(personal)
        return True

    async def _notify_teacher(self, event: dict):
        await outbox().send(self.aula.teacher_group_name, event)

    def _schedule_flush(self):
        """Coalesce answer and presence events into one tally frame per interval."""
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = asyncio.ensure_future(self._flush_after_interval())

    async def _flush_after_interval(self):
        """Send a tally every interval while events keep coming, and the roster when it
        changed, at most every ROSTER_INTERVAL: a full roster of a big class is costly,
        and while a class joins it changes all the time."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(settings.QRT_TALLY_INTERVAL_MS / 1000)
            answers, self._pending_answers = self._pending_answers, []
            with_roster = self._roster_dirty and loop.time() - self._roster_sent >= ROSTER_INTERVAL
            if with_roster:
                self._roster_dirty, self._roster_sent = False, loop.time()
            frames = await database_sync_to_async(self._tally_frames)(with_roster)
            # An answer held up (e.g. by a channel-layer outage) may arrive after its round.
            frames[0]["answers"] = [a for a in answers if a["round"] == frames[0]["round"]]
            for frame in frames:
                await self._send(frame)
            if not self._pending_answers and not self._roster_dirty:
                return

    def _tally_frames(self, with_roster: bool) -> list[dict]:
        ronda = live.open_round(self.aula)
        frames = [live.tally(self.aula, ronda)]
        if with_roster:
            frames.append({"type": "roster", "students": live.roster(self.aula, ronda)})
        return frames

    def _schedule_deadline(self, deadline_iso: str):
        """Close the round at its deadline (the teacher's socket keeps the time)."""
        if self._deadline_task:
            self._deadline_task.cancel()
        self._deadline_task = asyncio.ensure_future(self._close_at(deadline_iso))

    async def _close_at(self, deadline_iso: str):
        delay = (datetime.fromisoformat(deadline_iso) - timezone.now()).total_seconds()
        await asyncio.sleep(max(0.0, delay) + DEADLINE_MARGIN)
        await self._close_overdue()

    async def _close_overdue(self):
        """A round past its deadline is closed and announced, whoever notices it first."""
        ronda = await database_sync_to_async(live.close_overdue)(self.aula)
        if ronda is not None:
            await self._announce_closed(ronda)
