"""Protocol fuzz: arbitrary frames from students and teachers never break the classroom socket.

Each example opens, through the whole ASGI stack, the owner teacher's socket, another
teacher's socket and two anonymous ones on classroom A, then sends a random sequence of
frames: valid ones in any order, ones with wrong types, missing or extra fields, huge
numbers, unicode, binary frames, frames near and over the size limit, tokens and rounds of
classroom B, and plain garbage. A small model of the protocol (docs/protocol.md) says what
each frame must get back. Properties:

- the consumer never raises (the communicator would re-raise it);
- every frame gets exactly one direct answer; a refused one gets an ``error`` frame whose
  code is documented and is one the protocol allows for that frame;
- every socket still answers a ``ping`` with a ``pong`` afterwards;
- the stored answers are exactly the valid answers sent (one per student per round), and
  no student counts as connected once every socket is closed;
- nothing a non-teacher socket receives carries ``correct`` (except ``closed``), a tally,
  a roster, or any student's token other than its own.
"""

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from preguntas.game import students
from preguntas.game.errors import GameError
from preguntas.models import Alumno, Aula, Respuesta, Ronda
from QuestionsRT.asgi import application
from tests.factories import AulaFactory, PreguntaFactory
from tests.security.protocol import DOCUMENTED_ERROR_CODES, has_key

pytestmark = pytest.mark.django_db(transaction=True)


TIMEOUT = 5
ORIGIN = b"http://localhost"
TYPES = {
    "join", "answer", "push", "close", "split", "revote", "ping", "seats", "leaderboard", "lock", "remove", "rename",
    "change_name",
}
TEACHER_TYPES = {"push", "close", "split", "revote", "leaderboard", "lock", "remove", "rename"}
STUDENT_DIRECT = {"error", "pong", "joined", "answered", "seats", "renamed"}
# The fuzz keeps every round open for its whole run: a valid "seconds" below this is raised
# to it (deadlines that expire are covered in tests/test_consumer.py).
MIN_FUZZ_SECONDS = 60


# Symbolic values, resolved when the frame is sent ------------------------------------


@dataclass(frozen=True)
class Ref:
    name: str

    def __repr__(self):
        return self.name


OPEN_A, CLOSED_A, ROUND_B = Ref("OPEN_A"), Ref("CLOSED_A"), Ref("ROUND_B")
Q_OWN, Q_SHARED, Q_FOREIGN = Ref("Q_OWN"), Ref("Q_SHARED"), Ref("Q_FOREIGN")
TOKEN_A, TOKEN_B, TOKEN_PEER = Ref("TOKEN_A"), Ref("TOKEN_B"), Ref("TOKEN_PEER")
STUDENT_B = Ref("STUDENT_B")  # a student of the other classroom: never one the teacher can remove or rename


# Strategies ----------------------------------------------------------------------------

# Any code point, NUL and lone surrogates included (escaped in JSON: raw ones cannot be sent).
chars = st.characters(exclude_categories=())

texts = st.text(chars, max_size=30)
huge_ints = st.integers(min_value=2**31, max_value=10**40) | st.integers(min_value=-(10**40), max_value=-(2**31))
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=5)
    | huge_ints
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=12,
)
field_names = st.sampled_from(["type", "name", "token", "seat", "round", "value", "sure", "question", "seconds",
                               "option", "options", "number"]) | st.text(
    chars, max_size=8
)

names = st.sampled_from(
    [
        "Ana",
        "Beto",
        "  Ana \t María  ",
        "Zoe",
        "Ana 2",
        "José Ñúñez",
        "李小龙",
        "Ωμέγα",
        "محمد",
        "😀🎉",
        "\u00a0Ana\u3000",
        "x" * 40,
        "y" * 41,
        "ñ" * 40,
        "",
        "   ",
        "\u200b",
        "<script>alert(1)</script>",
        "=1+1",
        "Ana\x00",
        "\x00",
        "\ud83d",
        "Ana\udfff",
        "Ana\x1b[31m",
        "\u200b\u200b",
        "Ana\r\nMaría",
        "\u0301",
    ]
) | st.text(chars, max_size=50)
tokens = (
    st.sampled_from([TOKEN_A, TOKEN_B, TOKEN_PEER, "\x00", "\ud800", "%", "' OR '1'='1"])
    | st.text(chars, max_size=40)
    | json_values
)
rounds = st.sampled_from([OPEN_A, OPEN_A, CLOSED_A, ROUND_B]) | st.integers(-3, 3) | huge_ints | json_values
questions = st.sampled_from([Q_OWN, Q_SHARED, Q_FOREIGN]) | st.integers(-3, 3) | huge_ints | json_values
seconds = (
    st.none()
    | st.integers(MIN_FUZZ_SECONDS, 3600)
    | st.integers(max_value=0)
    | st.integers(min_value=3601)
    | json_values
)
values = st.booleans() | st.booleans() | json_values

structured = st.one_of(
    st.fixed_dictionaries({"type": st.just("ping")}),
    st.fixed_dictionaries({"type": st.just("join"), "name": names}),
    st.fixed_dictionaries({"type": st.just("join"), "token": tokens}),
    st.fixed_dictionaries({"type": st.just("join"), "seat": rounds}),
    st.fixed_dictionaries({"type": st.sampled_from(["seats", "leaderboard"])}),
    st.fixed_dictionaries({"type": st.just("answer"), "round": rounds, "value": values}, optional={"sure": values}),
    # Another kind's answer field, sent to the classroom's true/false rounds.
    st.fixed_dictionaries({"type": st.just("answer"), "round": rounds},
                          optional={"option": values, "options": values, "number": values, "value": values}),
    st.fixed_dictionaries({"type": st.just("push"), "question": questions}, optional={"seconds": seconds}),
    st.fixed_dictionaries({"type": st.just("close"), "round": rounds}),
    st.fixed_dictionaries({"type": st.just("lock"), "locked": values}),
    st.fixed_dictionaries({"type": st.just("change_name"), "name": names}),
    st.fixed_dictionaries({"type": st.just("remove"), "student": st.just(STUDENT_B) | huge_ints | json_values}),
    st.fixed_dictionaries(
        {"type": st.just("rename"), "student": st.just(STUDENT_B) | huge_ints | json_values, "name": names}
    ),
    st.fixed_dictionaries({"type": json_values}),
)


@st.composite
def mutated(draw):
    """A structured frame, maybe with fields dropped, added or overwritten."""
    frame = draw(structured)
    for key in draw(st.sets(st.sampled_from(sorted(frame)), max_size=2)) if draw(st.booleans()) else ():
        frame.pop(key, None)
    frame.update(draw(st.dictionaries(field_names, json_values, max_size=2)))
    return frame


@dataclass
class Outgoing:
    """One frame to send: a dict (with Refs) to encode, raw text, or bytes."""

    payload: object
    ensure_ascii: bool = True
    pad_to: int | None = None  # bytes: grow the frame with a filler field to about this size


ACTORS = ["teacher", "other_teacher", "student_1", "student_2"]
STUDENTS = ACTORS[1:]  # the other teacher is a student in classroom A


def frame(kind, **fields):
    return st.fixed_dictionaries({"type": st.just(kind), **fields})


# Frames a well-behaved client sends, so that rounds open and answers land often enough.
plausible_teacher = st.one_of(
    frame("push", question=st.sampled_from([Q_OWN, Q_SHARED])),
    frame("close", round=st.just(OPEN_A)),
    frame("lock", locked=st.booleans()),
)
plausible_student = st.one_of(
    frame("join", name=names),
    frame("join", token=st.sampled_from([TOKEN_A, TOKEN_PEER])),
    frame("seats"),
    frame("answer", round=st.just(OPEN_A), value=st.booleans()),
    frame("answer", round=st.just(OPEN_A), value=st.booleans()),
)
# The right sender, the wrong classroom: classroom B's rounds, tokens and questions.
crossed_teacher = st.one_of(frame("push", question=st.just(Q_FOREIGN)), frame("close", round=st.just(ROUND_B)))
crossed_student = st.one_of(
    frame("join", token=st.just(TOKEN_B)), frame("answer", round=st.just(ROUND_B), value=st.booleans())
)
garbage = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=60),
    st.binary(max_size=60),
    json_values.map(json.dumps),
    # Hypothesis raises the recursion limit while it runs a test: nest deep enough to pass it.
    st.integers(1000, 4090).map(lambda n: "[" * n),
    st.integers(500, 1360).map(lambda n: '{"a":' * n + "1" + "}" * n),
)


@st.composite
def action(draw):
    """(actor, Outgoing): the mix is explicit so that every kind of frame shows up often."""
    actor = draw(st.sampled_from(ACTORS))
    teacher = actor == "teacher"
    kind = draw(st.sampled_from(["plausible"] * 6 + ["crossed", "structured", "mutated", "padded", "garbage"] * 2))
    if kind == "plausible":
        return actor, Outgoing(draw(plausible_teacher if teacher else plausible_student))
    if kind == "crossed":
        return actor, Outgoing(draw(crossed_teacher if teacher else crossed_student))
    if kind == "structured":
        return actor, Outgoing(draw(structured), draw(st.booleans()))
    if kind == "mutated":
        return actor, Outgoing(draw(mutated()), draw(st.booleans()))
    if kind == "padded":
        return actor, Outgoing(draw(structured), False, draw(st.integers(4000, 4200)))
    return actor, Outgoing(draw(garbage))


WARM_UP = [("teacher", Outgoing({"type": "push", "question": Q_OWN}))] + [
    (student, Outgoing({"type": "join", "name": "Ana"})) for student in STUDENTS
]
actions = st.builds(
    lambda warm, rest: (WARM_UP if warm else []) + rest,
    st.booleans(),
    st.lists(action(), min_size=3, max_size=30),
)


# The world: created once per test function ----------------------------------------------


@dataclass
class World:
    code_a: str
    aula_a_id: int
    q_own: int
    q_shared: int
    q_foreign: int
    correct: dict  # question id -> its answer
    round_b: int
    token_b: str
    student_b: int
    cookies: dict  # actor -> Cookie header (None: anonymous)


@dataclass
class Peer:
    name: str
    socket: WebsocketCommunicator
    is_teacher: bool
    alumno: int | None = None
    frames: list = field(default_factory=list)  # (raw text, decoded) of every frame received


@dataclass
class Model:
    """What the server must hold for classroom A, per the protocol."""

    open_round: int | None
    closed_rounds: set
    tokens: dict  # token -> alumno id, classroom A
    answers: dict = field(default_factory=dict)  # (alumno, round) -> value
    round_question: dict = field(default_factory=dict)  # round -> question id
    codes: set = field(default_factory=set)  # error codes seen (statistics)
    locked: bool = False  # no new names


@dataclass
class Expected:
    errors: set = field(default_factory=set)  # error codes the protocol allows
    success: str | None = None  # or the success frame type it allows
    alumno: int | None = None  # for a rejoin: the student it must be
    name: str | None = None  # for a join by name: the folded name


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def name_refusals(name) -> tuple[set, str | None]:
    """What the server says of a name a student types: the refusal codes, or none and the name shown."""
    if not isinstance(name, str):
        return {"invalid"}, None
    folded = " ".join(name.split())
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in folded):
        return {"invalid"}, None  # control characters (NUL too) and lone surrogates
    codes = set()
    # Invisible characters are dropped before the other checks (NFKC, format controls, fillers).
    shown = " ".join(students.visible(folded).split())
    if not any(unicodedata.category(c)[0] not in "CZ" for c in shown):
        codes.add("invalid")  # empty, or nothing visible (zero-width spaces, say)
    if len(shown) > django_settings.QRT_MAX_NAME_LENGTH:
        codes.add("invalid")
    if not codes:
        try:
            students.clean_name(name)
        except GameError as refusal:  # look-alike alphabets (tests/game/test_rules.py)
            codes.add(refusal.code)
    return codes, shown


def resolve(value, world: World, model: Model, peer: Peer, peers: dict):
    if isinstance(value, dict):
        return {resolve(k, world, model, peer, peers): resolve(v, world, model, peer, peers) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, world, model, peer, peers) for v in value]
    if not isinstance(value, Ref):
        return value
    if value is OPEN_A:
        if model.open_round is not None:
            return model.open_round
        return max(model.closed_rounds)
    if value is CLOSED_A:
        return min(model.closed_rounds)
    if value is ROUND_B:
        return world.round_b
    if value is Q_OWN:
        return world.q_own
    if value is Q_SHARED:
        return world.q_shared
    if value is Q_FOREIGN:
        return world.q_foreign
    if value is TOKEN_B:
        return world.token_b
    if value is STUDENT_B:
        return world.student_b
    by_alumno = {alumno: token for token, alumno in model.tokens.items()}
    if value is TOKEN_PEER:
        for other in peers.values():
            if other is not peer and other.alumno is not None:
                return by_alumno[other.alumno]
    return next(iter(model.tokens))  # TOKEN_A: a student of classroom A with no socket open


def encode(out: Outgoing, world, model, peer, peers) -> str | bytes:
    if isinstance(out.payload, (str, bytes)):
        return out.payload
    frame = resolve(out.payload, world, model, peer, peers)
    if frame.get("type") == "push" and is_int(frame.get("seconds")) and 1 <= frame["seconds"] < MIN_FUZZ_SECONDS:
        frame["seconds"] = MIN_FUZZ_SECONDS
    # Raw lone surrogates cannot cross the wire (text frames are UTF-8): escape them.
    ensure_ascii = out.ensure_ascii or has_surrogate(json.dumps(frame, ensure_ascii=False))
    if out.pad_to:
        frame["pad"] = ""
        filler = out.pad_to - len(json.dumps(frame, ensure_ascii=ensure_ascii).encode())
        frame["pad"] = "x" * max(0, filler)
    return json.dumps(frame, ensure_ascii=ensure_ascii)


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def expect(peer: Peer, raw, world: World, model: Model) -> Expected:
    """What docs/protocol.md says this frame must get back."""
    if isinstance(raw, bytes):
        return Expected({"bad_json"})
    if len(raw.encode()) > django_settings.QRT_MAX_FRAME_BYTES:
        return Expected({"too_large"})
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError):
        return Expected({"bad_json"})
    if not isinstance(frame, dict):
        return Expected({"bad_json"})
    kind = frame.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        return Expected({"unknown_type"})
    if kind == "ping":
        return Expected(success="pong")
    if kind in TEACHER_TYPES and not peer.is_teacher:
        return Expected({"forbidden"})
    if kind == "lock":
        return Expected(success="locked") if isinstance(frame.get("locked"), bool) else Expected({"invalid"})
    if kind in ("remove", "rename"):  # never a student of this classroom (tests/realtime covers those)
        return Expected({"invalid", "not_found", "name_taken"})
    if kind == "leaderboard":
        return Expected({"invalid"})  # classroom A keeps the default: no leaderboard
    if kind in ("split", "revote"):  # the generator never builds these for the teacher (test_consumer does)
        return Expected({"invalid", "not_found", "round_closed"}, success="split")
    if kind in ("join", "answer", "seats", "change_name") and peer.is_teacher:
        return Expected({"forbidden"})
    if kind == "seats":
        return Expected(success="seats")
    if kind == "change_name":
        if peer.alumno is None:
            return Expected({"not_joined"})
        if model.locked:
            return Expected({"locked"})
        codes, shown = name_refusals(frame.get("name"))
        # A valid name may belong to another student of the classroom.
        return Expected(codes) if codes else Expected({"name_taken"}, success="renamed", name=shown)
    known_rounds = model.closed_rounds | ({model.open_round} if model.open_round else set())

    if kind == "join":
        if peer.alumno is not None:
            return Expected({"already_joined"})
        if "token" in frame:
            token = frame["token"]
            if not isinstance(token, str) or not token:
                return Expected({"invalid"})
            if token in model.tokens:
                return Expected(success="joined", alumno=model.tokens[token])
            return Expected({"not_found", "invalid"})
        if "seat" in frame:  # classroom A has no roster: no seat is one of its own
            return Expected({"not_found", "invalid"})
        codes, shown = name_refusals(frame.get("name"))
        if model.locked:
            codes.add("locked")
        return Expected(codes) if codes else Expected(success="joined", name=shown)

    if kind == "answer":
        if peer.alumno is None:
            return Expected({"not_joined"})
        codes = set()
        round_id, value = frame.get("round"), frame.get("value")
        if not is_int(round_id):
            codes.add("invalid")
        elif round_id not in known_rounds:
            codes.add("not_found")
        else:
            if round_id in model.closed_rounds:
                codes.add("round_closed")
            if (peer.alumno, round_id) in model.answers:
                codes.add("already_answered")
        if not isinstance(value, bool) or any(name in frame for name in ("option", "options", "number")):
            codes.add("invalid")
        if frame.get("sure") is not None and not isinstance(frame.get("sure"), bool):
            codes.add("invalid")
        return Expected(codes) if codes else Expected(success="answered")

    if kind == "push":
        codes = set()
        question, secs = frame.get("question"), frame.get("seconds")
        if not is_int(question):
            codes.add("invalid")
        elif question not in (world.q_own, world.q_shared):
            codes.add("not_found")
        if secs is not None and (not is_int(secs) or not 1 <= secs <= 3600):
            codes.add("invalid")
        return Expected(codes) if codes else Expected(success="question")

    # close
    round_id = frame.get("round")
    if not is_int(round_id):
        return Expected({"invalid"})
    if round_id not in known_rounds:
        return Expected({"not_found"})
    if round_id in model.closed_rounds:
        return Expected({"round_closed"})
    return Expected(success="closed")


# Talking to the server -------------------------------------------------------------------


async def receive(peer: Peer) -> dict:
    text = await peer.socket.receive_from(timeout=TIMEOUT)
    frame = json.loads(text)
    assert isinstance(frame, dict) and isinstance(frame.get("type"), str), text
    peer.frames.append((text, frame))
    return frame


async def receive_until(peer: Peer, kinds: set, round_id=None) -> dict:
    """The next frame of one of these types (others are broadcasts, tallies, rosters)."""
    while True:
        frame = await receive(peer)
        if frame["type"] in kinds and (round_id is None or frame["type"] == "error" or frame.get("round") == round_id):
            return frame


async def send(peer: Peer, raw) -> None:
    if isinstance(raw, bytes):
        await peer.socket.send_input({"type": "websocket.receive", "bytes": raw})
    else:
        await peer.socket.send_input({"type": "websocket.receive", "text": raw})


async def open_peer(world: World, name: str) -> Peer:
    headers = [(b"origin", ORIGIN), (b"host", b"localhost")]
    if world.cookies.get(name):
        headers.append((b"cookie", world.cookies[name]))
    socket = WebsocketCommunicator(application, f"/ws/aula/{world.code_a}/", headers=headers)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected, f"{name}: handshake refused"
    peer = Peer(name, socket, is_teacher=name == "teacher")
    if peer.is_teacher:
        state = await receive(peer)
        assert state["type"] == "state"
    return peer


async def play(world: World, model: Model, script) -> dict:
    peers = {}
    try:
        for name in ACTORS:
            peers[name] = await open_peer(world, name)
        for actor, out in script:
            peer = peers[actor]
            raw = encode(out, world, model, peer, peers)
            expected = expect(peer, raw, world, model)
            await send(peer, raw)
            await check_response(peer, raw, expected, model, world)
        for peer in peers.values():  # every socket is still usable
            await send(peer, json.dumps({"type": "ping"}))
            assert (await receive_until(peer, {"pong", "error"}))["type"] == "pong"
    except BaseException:
        await close_all(peers, quiet=True)
        raise
    await close_all(peers)
    return peers


async def close_all(peers: dict, quiet: bool = False) -> None:
    """Disconnect every socket, even when one of them fails (a consumer left running can hang
    the event loop's shutdown); then raise the first consumer exception, unless quiet."""
    failures = []
    for peer in peers.values():
        try:
            await peer.socket.disconnect(timeout=TIMEOUT)
        except BaseException as error:  # the consumer's own exception, re-raised
            failures.append(error)
    if failures and not quiet:
        raise failures[0]


async def check_response(peer: Peer, raw, expected: Expected, model: Model, world: World) -> None:
    sent = raw if isinstance(raw, bytes) else raw[:300]
    if peer.is_teacher:
        if expected.success == "question":  # skipping the `closed` of the round it replaces
            response = await receive_until(peer, {"error", "question"})
        elif expected.success == "closed":
            response = await receive_until(peer, {"error", "closed"}, json.loads(raw)["round"])
        else:
            response = await receive_until(peer, {"error", "pong", "question", "closed", "locked"})
    else:
        response = await receive_until(peer, STUDENT_DIRECT)

    if response["type"] == "error":
        assert response["code"] in DOCUMENTED_ERROR_CODES, (sent, response)
        assert response["code"] in expected.errors, (sent, response, expected)
        assert isinstance(response.get("detail"), str) and response["detail"], response
        model.codes.add(response["code"])
        return
    assert response["type"] == expected.success, (sent, response, expected)
    frame = json.loads(raw)
    if response["type"] == "joined":
        state = await receive_until(peer, {"state"})
        assert state["round"] is None or state["round"]["round"] == model.open_round, (sent, state)
        if expected.alumno is not None:
            assert response["student"]["id"] == expected.alumno, (sent, response)
        else:
            assert response["student"]["id"] not in model.tokens.values(), (sent, response)
            given_name = response["student"]["name"]
            assert given_name == expected.name or re.fullmatch(re.escape(expected.name) + r" \d+", given_name), (
                sent,
                response,
            )
            model.tokens[response["token"]] = response["student"]["id"]
        assert model.tokens.get(response["token"]) == response["student"]["id"]
        peer.alumno = response["student"]["id"]
    elif response["type"] == "renamed":
        assert response["student"] == {"id": peer.alumno, "name": expected.name}, (sent, response)
    elif response["type"] == "locked":
        assert response == {"type": "locked", "locked": frame["locked"]}, (sent, response)
        model.locked = frame["locked"]
    elif response["type"] == "seats":
        assert response["seats"] == [] and response["classroom"]["code"] == world.code_a, (sent, response)
    elif response["type"] == "answered":
        ack = {"type": "answered", "round": frame["round"], "value": frame["value"]}
        if frame.get("sure") is not None:
            ack["sure"] = frame["sure"]
        assert response == ack, (sent, response)
        model.answers[(peer.alumno, frame["round"])] = frame["value"]
    elif response["type"] == "question":
        assert "correct" not in response, response
        if model.open_round is not None:
            model.closed_rounds.add(model.open_round)
        model.open_round = response["round"]
        model.round_question[response["round"]] = response["question"]["id"]
    elif response["type"] == "closed":
        assert response["round"] == frame["round"], (sent, response)
        assert response["correct"] == world.correct[model.round_question[frame["round"]]], response
        model.closed_rounds.add(model.open_round)
        model.open_round = None


# The test --------------------------------------------------------------------------------


@pytest.fixture
def world(alice, bob, aula, pregunta):
    shared = PreguntaFactory(propietario=None, texto="El Amazonas desemboca en el Atlántico.", respuesta=True)
    foreign = PreguntaFactory(propietario=bob, texto="Pregunta privada de Bob.", respuesta=False)
    aula_b = AulaFactory(propietario=bob, nombre="Aula de Bob")
    round_b = Ronda.objects.create(aula=aula_b, pregunta=foreign, texto=foreign.texto, correcta=False)
    bea = Alumno.objects.create(aula=aula_b, nombre="Bea")
    cookies = {}
    for actor, user in (("teacher", alice), ("other_teacher", bob)):
        client = Client()
        client.force_login(user)
        cookies[actor] = f"sessionid={client.cookies['sessionid'].value}".encode()
    return World(
        code_a=aula.codigo,
        aula_a_id=aula.pk,
        q_own=pregunta.pk,
        q_shared=shared.pk,
        q_foreign=foreign.pk,
        correct={pregunta.pk: pregunta.respuesta, shared.pk: shared.respuesta},
        round_b=round_b.pk,
        token_b=bea.token,
        student_b=bea.pk,
        cookies=cookies,
    )


def fresh_classroom(world: World) -> Model:
    """Empty classroom A but for a closed round and a student with no socket (Zoe)."""
    Respuesta.objects.filter(ronda__aula_id=world.aula_a_id).delete()
    Ronda.objects.filter(aula_id=world.aula_a_id).delete()
    Alumno.objects.filter(aula_id=world.aula_a_id).delete()
    Aula.objects.filter(pk=world.aula_a_id).update(bloqueada=False)
    closed = Ronda.objects.create(
        aula_id=world.aula_a_id, texto="Ronda anterior", correcta=True, cerrada=timezone.now()
    )
    zoe = Alumno.objects.create(aula_id=world.aula_a_id, nombre="Zoe")
    return Model(open_round=None, closed_rounds={closed.pk}, tokens={zoe.token: zoe.pk})


def check_leaks(peers: dict, model: Model, world: World) -> None:
    every_token = set(model.tokens) | {world.token_b}
    for peer in peers.values():
        if peer.is_teacher:
            continue
        own = {token for token, alumno in model.tokens.items() if alumno == peer.alumno}
        for text, frame in peer.frames:
            assert frame["type"] not in ("tally", "roster"), (peer.name, frame)
            if frame["type"] != "closed":
                # Only a closed round tells its answer: `closed`, or a rejoin's result of one.
                result = frame.get("result") if frame["type"] == "state" else None
                if result is not None:
                    assert result["round"] in model.closed_rounds, (peer.name, frame)
                rest = {key: value for key, value in frame.items() if key != "result"}
                assert not has_key(rest, "correct"), (peer.name, frame)
            for key in ("answers", "students", "tally", "token") if frame["type"] != "joined" else ():
                assert not has_key(frame, key), (peer.name, frame)
            if frame["type"] == "joined":
                continue  # checked against the token it was asked with, in check_response
            leaked = [token for token in every_token - own if token in text]
            assert not leaked, (peer.name, frame)


@hypothesis_settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(script=actions)
def test_arbitrary_frames_never_break_the_classroom(world, settings, script):
    settings.QRT_RATE_LIMIT_FRAMES = 100_000  # the rate limit has its own test
    model = fresh_classroom(world)
    started = time.monotonic()
    peers = async_to_sync(play)(world, model, script)
    event(f"length {len(script)//5*5}")
    for _, out in script:
        kind = type(out.payload).__name__ if not isinstance(out.payload, dict) else "dict pad" if out.pad_to else "dict"
        event(f"sent {kind}")
    assert time.monotonic() - started < MIN_FUZZ_SECONDS, "an example outlived the shortest fuzz deadline"

    stored = {
        (alumno, ronda): valor
        for alumno, ronda, valor in Respuesta.objects.filter(ronda__aula_id=world.aula_a_id).values_list(
            "alumno_id", "ronda_id", "valor"
        )
    }
    assert stored == model.answers
    assert not Respuesta.objects.filter(ronda_id=world.round_b).exists()
    assert set(Alumno.objects.filter(aula_id=world.aula_a_id).values_list("pk", flat=True)) == set(
        model.tokens.values()
    )
    assert not Alumno.objects.filter(conexiones__gt=0).exists(), "a closed socket still counts as connected"
    open_rounds = list(Ronda.objects.filter(aula_id=world.aula_a_id, cerrada__isnull=True).values_list("pk", flat=True))
    assert open_rounds == ([model.open_round] if model.open_round else [])
    check_leaks(peers, model, world)
    event(f"answers stored: {min(len(model.answers), 3)}{'+' if len(model.answers) >= 3 else ''}")
    event(f"rounds pushed: {min(len(model.round_question), 2)}{'+' if len(model.round_question) >= 2 else ''}")
    for code in sorted(model.codes):
        event(f"error {code}")
