"""The classroom socket: one consumer, one URL per classroom (docs/protocol.md).

Thin by design: parse a frame, check who may send it, call a rule in ``game/`` through
``database_sync_to_async``, broadcast the outcome (frames built in ``protocol``).
"""

import asyncio
import json
import time
import uuid

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import trans_real

from preguntas.game import answers, rounds, scoring, students, tallies
from preguntas.game.errors import GameError
from preguntas.realtime import protocol
from preguntas.realtime.batcher import batcher
from preguntas.realtime.joins import finder, joins, leaves
from preguntas.realtime.outbox import outbox
from preguntas.realtime.presence import heartbeat
from preguntas.realtime.relay import relay_for

ROSTER_INTERVAL = 1.0  # seconds between two roster frames to a teacher
CHECK_AFTER = 1.0  # seconds of quiet answers before a teacher socket checks its count with the database
UNKNOWN = object()  # the open round, not read yet
SPLIT_INTERVAL = 1.0  # seconds between two updates of a split on view, per classroom and process
DEADLINE_MARGIN = 0.05  # seconds; a timer may wake a hair before the wall clock's deadline


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
        self.aula = await finder().find(code)
        await self.accept()
        if self.aula is None:
            if await database_sync_to_async(students.is_archived)(code):
                await self._send(protocol.error(students.archived()))
            await self.close(code=protocol.CLOSE_NOT_FOUND)
            return
        user = self.scope.get("user")
        self.is_teacher = bool(user and user.is_authenticated and user.pk == self.aula.propietario_id)
        self._window_start, self._window_frames = time.monotonic(), 0
        if self.is_teacher:
            await heartbeat().opened()  # this process then notices another one's death
            self._pending_answers: list[dict] = []
            self._roster_dirty = False
            # The classroom's open sockets, read once and then followed in memory as sockets open
            # and close (`presence.changed` with the connections); read again (None) when an event
            # comes without them: a process that stopped beating, a student renamed or removed.
            self._presence: tallies.Presence | None = None
            self._presence_heard: list | None = None  # changes heard while it is being read
            self._presence_changes = 0  # the events that call for reading it again
            self._presence_followed = 0  # the changes followed in memory
            self._presence_unchecked = False  # followed since the database was last read
            # The open round and its counts, as last read; read again when a round opens, closes
            # or changes (events from every teacher socket of the classroom; this socket knows the
            # rounds it opens and closes itself), not with every tally.
            # In between, the counts grow in memory from the answers stored (`answers.stored`).
            self._round = None
            self._running = tallies.Running(None)
            self._round_changes = 0
            self._token = uuid.uuid4().hex  # marks the round events this socket causes
            self._round_known_at = -1  # the count of changes when ``_round`` was read
            self._check_task = None
            self._unchecked = False  # answers counted in memory since the database was last read
            self._roster_sent = 0.0
            self._flush_task = None
            self._deadline_task = None
            self._split_task = None
            await self._close_overdue()  # before listening: the teacher's `state` comes first
            await self._listen()
            ronda, state = await self._teacher_state()
            await self._send(state)
            if ronda is not None and ronda.limite:
                self._schedule_deadline(ronda.termina())

    async def disconnect(self, code):
        if self.relay is not None:
            await self.relay.remove(self)
        if self.is_teacher:
            heartbeat().closed()
            for task in (self._flush_task, self._deadline_task, self._check_task, self._split_task):
                if task:
                    task.cancel()
        if self.alumno is not None:
            heartbeat().closed()
            await leaves().submit(self.aula, self._conexion_id)  # the teacher hears of it then

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
            if handler is None or kind not in protocol.TEACHER_TYPES | protocol.STUDENT_TYPES | protocol.EITHER_TYPES:
                raise GameError("unknown_type", _("Tipo de mensaje desconocido."))
            if kind in protocol.TEACHER_TYPES and not self.is_teacher:
                raise GameError("forbidden", _("Solo el docente del aula puede hacer eso."))
            if kind in protocol.STUDENT_TYPES and self.is_teacher:
                raise GameError("forbidden", _("El docente no responde preguntas."))
            await handler(frame)
        except GameError as refusal:
            await self._send(protocol.error(refusal))

    def _parse(self, text_data, bytes_data) -> dict:
        if text_data is None:
            raise GameError("bad_json", _("Solo se aceptan mensajes de texto JSON."))
        if len(text_data.encode()) > settings.QRT_MAX_FRAME_BYTES:
            raise GameError(
                "too_large", _("Mensaje de más de %(max)s bytes.") % {"max": settings.QRT_MAX_FRAME_BYTES}
            )
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested arrays
            raise GameError("bad_json", _("El mensaje no es JSON válido.")) from None
        if not isinstance(frame, dict):
            raise GameError("bad_json", _("El mensaje debe ser un objeto JSON."))
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
            await self.close(code=protocol.CLOSE_RATE_LIMITED)
        elif self._window_frames == limit + 1:
            await self._send(protocol.error(GameError("rate_limited", _("Demasiados mensajes; espera unos segundos."))))
        return False

    async def on_ping(self, frame):
        await self._send(protocol.pong())

    async def on_join(self, frame):
        if self.alumno is not None:
            raise GameError("already_joined", _("Ya estás dentro del aula."))
        await self._listen()  # before reading the state, so that no frame falls in between
        try:
            # With the other joins that arrive meanwhile (joins.py); the teacher hears of them then.
            entry, state = await joins().submit(self.aula, frame)
        except GameError:
            await self.relay.remove(self)
            self.relay = None
            raise
        self._conexion_id = entry.conexion_id
        self.alumno = {"id": entry.alumno.pk, "name": entry.alumno.nombre}
        await heartbeat().opened()
        await self._send(protocol.joined(entry.alumno, entry.asked_name))
        await self._send(state)

    async def on_seats(self, frame):
        seats = await database_sync_to_async(students.seats)(self.aula)
        await self._send(protocol.seats(self.aula, seats))

    async def on_answer(self, frame):
        if self.alumno is None:
            raise GameError("not_joined", _("Únete al aula antes de responder."))
        round_id, answer, sure = frame.get("round"), protocol.answer_fields(frame), frame.get("sure")
        await batcher().submit(self.aula, answers.Attempt(self.aula.pk, self.alumno["id"], round_id, answer, sure))
        await self._send(protocol.answered(round_id, answer, sure))

    async def on_change_name(self, frame):
        if self.alumno is None:
            raise GameError("not_joined", _("Únete al aula antes de cambiar tu nombre."))
        alumno = await database_sync_to_async(students.rename_self)(self.aula, self.alumno["id"], frame.get("name"))
        self.alumno["name"] = alumno.nombre
        await self._send_personal({alumno.pk: protocol.renamed(alumno)})
        await self._notify_teacher(protocol.presence_changed())

    async def on_push(self, frame):
        closed, ronda = await database_sync_to_async(rounds.push)(
            self.aula, self.scope["user"], frame.get("question"), frame.get("seconds"), frame.get("quiz")
        )
        if closed is not None:
            await self._announce_closed(closed)
        await self._open(ronda)
        if ronda.limite:
            if ronda.cierre != ronda.limite:
                await self._send_personal(await self._own_deadlines(ronda), protocol.extra_time(ronda))
            self._schedule_deadline(ronda.termina())

    @database_sync_to_async
    def _own_deadlines(self, ronda) -> dict[int, dict]:
        """The deadline of each student with extra time."""
        extra = self.aula.alumnos.exclude(tiempo_extra=100).values_list("pk", "tiempo_extra")
        return {pk: protocol.own_deadline(ronda, tiempo_extra) for pk, tiempo_extra in extra}

    async def on_split(self, frame):
        await self._broadcast(await self._split(rounds.show_split, frame.get("round")))
        self.relay.split_sent = asyncio.get_running_loop().time()
        await self._notify_teacher(protocol.round_changed())

    @database_sync_to_async
    def _split(self, find_round, round_id) -> dict:
        ronda = find_round(self.aula, round_id)
        return protocol.split(ronda, tallies.counts(ronda))

    async def on_revote(self, frame):
        first, second = await database_sync_to_async(rounds.revote)(self.aula, frame.get("round"))
        await self._broadcast(await self._split(rounds.round_of, first.pk))
        await self._open(second)

    async def on_close(self, frame):
        ronda = await database_sync_to_async(rounds.close)(self.aula, frame.get("round"))
        await self._announce_closed(ronda)

    async def on_lock(self, frame):
        locked = frame.get("locked")
        await database_sync_to_async(students.lock)(self.aula, locked)
        await self._send_personal({}, protocol.locked(locked))

    async def on_remove(self, frame):
        alumno = await database_sync_to_async(students.remove)(self.aula, frame.get("student"))
        await outbox().send(self.aula.group_name, protocol.students_removed([alumno.pk]))
        await self._notify_teacher(protocol.presence_changed())

    async def on_rename(self, frame):
        alumno = await database_sync_to_async(students.rename)(self.aula, frame.get("student"), frame.get("name"))
        await self._send_personal({alumno.pk: protocol.renamed(alumno)})
        await self._notify_teacher(protocol.presence_changed())

    async def on_leaderboard(self, frame):
        """Show the leaderboard now (e.g. at the end of a class run without a quiz)."""
        if not await self._announce_scores(None):
            raise GameError("invalid", _("La clasificación está desactivada en esta aula."))

    # Events, delivered by the relay -------------------------------------

    async def answers_stored(self, event):
        self._pending_answers.extend(event["answers"])
        if self._round is None or any(a["round"] != self._round.pk for a in event["answers"]):
            self._round_changes += 1  # answers to a round this socket does not know: read it again
        self._schedule_flush()

    async def presence_changed(self, event):
        self._roster_dirty = True
        if "opened" in event:
            change = (event["opened"], event["closed"])
            self._presence_followed += 1
            if self._presence is not None:
                self._presence.follow(*change)
                self._presence_unchecked = True
            if self._presence_heard is not None:
                self._presence_heard.append(change)
        else:
            self._presence = None
            self._presence_changes += 1
        self._schedule_flush()

    async def round_opened(self, event):
        if event.get("by") == self._token:
            return  # this socket opened it, and knows it (_knows)
        self._pending_answers = []
        self._round_changes += 1
        self._schedule_flush()

    async def round_changed(self, event):
        if event.get("by") != self._token:
            self._round_changes += 1

    async def students_released(self, event):
        """The teacher freed this student's seat, or removed the student: this device is out."""
        await self.close(code=protocol.CLOSE_SEAT_FREED)

    async def students_removed(self, event):
        """The teacher took this student out of the classroom from the panel."""
        await self.close(code=protocol.CLOSE_REMOVED)

    # Helpers ------------------------------------------------------------

    async def _listen(self):
        """Start receiving the classroom's frames (and, for the teacher, its events)."""
        self.relay = relay_for(self.aula.group_name, self.aula.teacher_group_name)
        await self.relay.add(self, teacher=self.is_teacher)

    async def _send(self, frame: dict):
        await self.send(text_data=protocol.encode(frame))

    async def _broadcast(self, frame: dict):
        """Encode once; every relay of the classroom hands the text to its sockets."""
        await outbox().send(self.aula.group_name, protocol.frame_send(frame))

    async def _send_personal(self, students: dict[int, dict], teachers: dict | None = None):
        """Frames for one student each (by id) and for the teacher, through the relays."""
        if students or teachers:
            await outbox().send(self.aula.group_name, protocol.frames_personal(students, teachers))

    async def _notify_teacher(self, event: dict):
        await outbox().send(self.aula.teacher_group_name, event)

    async def _open(self, ronda):
        """A new round: everyone gets the question, the teacher's sockets its first tally."""
        await self._broadcast(protocol.question(ronda))
        self._knows(ronda)
        self._pending_answers = []
        self._schedule_flush()
        await self._notify_teacher(protocol.round_opened(self._token))

    async def _announce_closed(self, ronda):
        closed, results, outcome = await self._closing_frames(ronda)
        await self._broadcast(closed)
        self._knows(None)
        await self._notify_teacher(protocol.round_changed(self._token))
        await self._send_personal(results, outcome)
        await self._announce_scores(ronda)

    @database_sync_to_async
    def _closing_frames(self, ronda):
        """Everyone's `closed`, each student's own `result`, and the teacher's `outcome`."""
        result = tallies.outcome(ronda)
        return protocol.closed(ronda, result.counts), protocol.results(result), protocol.outcome(result)

    async def _announce_scores(self, closed) -> bool:
        """The leaderboard as the classroom shows it (scoring.py) after ``closed``, or now if None.
        False if the classroom has it turned off."""
        board = await self._leaderboard(closed)
        if board is False:
            return False
        if board is not None:
            public = protocol.leaderboard(board)
            if public:
                await self._broadcast(public)
            await self._send_personal(protocol.ranks(board))
        return True

    @database_sync_to_async
    def _leaderboard(self, closed):
        """The classroom's leaderboard now (its settings may have changed); False if it has none."""
        aula = students.find_aula(self.aula.codigo)
        if aula is None or not scoring.shows_leaderboard(aula):
            return False
        return scoring.leaderboard(aula, closed)

    def _knows(self, ronda):
        """This teacher socket opened a round (no answers yet) or closed the open one (None):
        it counts from there without reading the round back, as the other teacher sockets do
        when they hear of it."""
        self._round_changes += 1  # a read in flight is out of date
        self._round, self._running, self._round_known_at = ronda, tallies.Running(ronda), self._round_changes
        self._unchecked = False

    def _schedule_flush(self):
        """Coalesce answer and presence events into one tally frame per interval."""
        if self._flush_task is None or self._flush_task.done():
            self._flush_task = asyncio.ensure_future(self._flush_after_interval())

    async def _flush_after_interval(self):
        """Send a tally every interval while events keep coming, and the roster when it
        changed, at most every ROSTER_INTERVAL: a full roster of a big class is costly,
        and while a class joins it changes all the time. The database is read only for
        what changed: the round (with its counts), presence, the roster; answers are
        counted in memory."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(settings.QRT_TALLY_INTERVAL_MS / 1000)
            answers_now, self._pending_answers = self._pending_answers, []
            with_roster = self._roster_dirty and loop.time() - self._roster_sent >= ROSTER_INTERVAL
            if with_roster:
                self._roster_dirty, self._roster_sent = False, loop.time()
            changes, round_changes = self._presence_changes, self._round_changes
            ronda, running, presence = self._round, self._running, self._presence
            roster = None
            if self._round_known_at != round_changes or presence is None or with_roster:
                fresh = self._round_known_at != round_changes
                if presence is None:
                    self._presence_heard = []
                try:
                    online = presence.students if presence is not None else None  # a copy, for the ORM thread
                    ronda, running, presence, roster = await self._read_tally(fresh, presence, online, with_roster)
                    if self._presence_heard is not None:  # read just now: follow what was heard meanwhile
                        for change in self._presence_heard:
                            presence.follow(*change)
                        if changes == self._presence_changes:
                            self._presence, self._presence_unchecked = presence, False
                finally:
                    self._presence_heard = None
                if fresh and round_changes == self._round_changes:
                    self._round, self._running, self._round_known_at = ronda, running, round_changes
                    self._unchecked = False
            if ronda is not None and ronda.vencida():
                ronda, running = None, tallies.Running(None)
            round_id = ronda.pk if ronda else None
            # An answer held up (e.g. by a channel-layer outage) may arrive after its round.
            listed = [a for a in answers_now if a["round"] == round_id]
            for answer in listed:
                running.add(answer["student"], answer["value"])
                self._unchecked = True
            await self._send(protocol.tally(tallies.Tally(round_id, running.counts, presence.connected), listed))
            if roster is not None:
                await self._send(protocol.roster(ronda, roster))
            if ronda and ronda.reparto_visible and listed:
                self._schedule_split()
            if not self._pending_answers and not self._roster_dirty:
                if self._unchecked or self._presence_unchecked:
                    self._schedule_check()
                return

    def _schedule_split(self):
        """The class sees its live split at most once per SPLIT_INTERVAL per classroom and process,
        and the last answers are never left out of it."""
        if self._split_task is None or self._split_task.done():
            self._split_task = asyncio.ensure_future(self._send_split())

    async def _send_split(self):
        loop = asyncio.get_running_loop()
        wait = self.relay.split_sent + SPLIT_INTERVAL - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        ronda = self._round  # the counts as they are now
        if ronda is None or not ronda.reparto_visible or ronda.vencida():
            return
        self.relay.split_sent = loop.time()
        await self._broadcast(protocol.split(ronda, self._running.counts))

    @database_sync_to_async
    def _read_tally(self, fresh: bool, presence: tallies.Presence | None, online: set[int] | None, with_roster: bool):
        """From the database: the open round and its counts so far (when ``fresh``, else the
        ones in memory), the open sockets (unless known) and the roster (if asked; who is
        connected as known, or as just read)."""
        ronda, running = self._round, self._running
        if fresh:
            ronda = rounds.open_round(self.aula)
            running = tallies.running(ronda)
        if presence is None:
            presence = tallies.presence(self.aula)
            online = presence.students
        roster = tallies.roster(self.aula, ronda, online) if with_roster else None
        return ronda, running, presence, roster

    def _schedule_check(self):
        """Once answers go quiet, check the count in memory against the database's."""
        if self._check_task is not None:
            self._check_task.cancel()
        self._check_task = asyncio.ensure_future(self._check_after_quiet())

    async def _check_after_quiet(self):
        """An `answers.stored` or `presence.changed` event lost to a channel-layer outage would
        leave a count wrong: if the database holds other answers, or counts other students
        connected, than counted in memory, read the round, or the presence, again."""
        await asyncio.sleep(CHECK_AFTER)
        if self._flush_task is not None and not self._flush_task.done():
            return  # events still coming: the flush checks again when they stop
        ronda, running, known_at = self._round, self._running, self._round_known_at
        presence, followed = self._presence, self._presence_followed
        check_round = self._unchecked and ronda is not None and known_at == self._round_changes
        check_presence = self._presence_unchecked and presence is not None
        if not (check_round or check_presence):
            return
        answered, connected = await self._database_counts(ronda if check_round else None, check_presence)
        if check_round:
            if answered != running.counts.answered:
                self._round_changes += 1
                self._schedule_flush()
            elif running is self._running:
                self._unchecked = False
        if check_presence and presence is self._presence and followed == self._presence_followed:
            if connected != presence.connected:
                self._presence = None
                self._presence_changes += 1
                self._schedule_flush()
            else:
                self._presence_unchecked = False

    @database_sync_to_async
    def _database_counts(self, ronda, connected: bool):
        """The round's answers (if a round is given) and the students connected (if asked), as the database counts them."""
        answered = tallies.answered(ronda) if ronda is not None else None
        return answered, tallies.connected_count(self.aula) if connected else None

    @database_sync_to_async
    def _teacher_state(self):
        ronda = rounds.with_quiz_progress(rounds.open_round(self.aula))
        return ronda, protocol.teacher_state(self.aula, ronda, tallies.tally(self.aula, ronda), tallies.roster(self.aula, ronda))

    def _schedule_deadline(self, deadline):
        """Close the round at its deadline (the teacher's socket keeps the time)."""
        if self._deadline_task:
            self._deadline_task.cancel()
        self._deadline_task = asyncio.ensure_future(self._close_at(deadline))

    async def _close_at(self, deadline):
        delay = (deadline - timezone.now()).total_seconds()
        await asyncio.sleep(max(0.0, delay) + DEADLINE_MARGIN)
        await self._close_overdue()

    async def _close_overdue(self):
        """A round past its deadline is closed and announced, whoever notices it first."""
        ronda = await database_sync_to_async(rounds.close_overdue)(self.aula)
        if ronda is not None:
            await self._announce_closed(ronda)
