"""Every frame of the classroom socket and every group event, in one place (docs/protocol.md).

Frames are built from what the rules in ``game/`` decided; nothing else in the project
writes a frame's ``type`` or fields. Group events are named after the consumer handler that
takes them (Channels' ``get_handler_name``: ``"presence.changed"`` → ``presence_changed``).
"""

import json
from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from preguntas.game import kinds
from preguntas.game.errors import GameError
from preguntas.game.scoring import Leaderboard, Standing
from preguntas.game.tallies import Counts, Outcome, StudentStatus, Tally
from preguntas.models import Alumno, Aula, Ronda

# Close codes.
CLOSE_SEAT_FREED = 4401  # the teacher freed this student's seat, or removed the student
CLOSE_REMOVED = 4403  # the teacher removed this student from the panel
CLOSE_NOT_FOUND = 4404  # no such classroom (or archived)
CLOSE_RATE_LIMITED = 4429  # the socket kept flooding

# Frame types each role may send; anything else is `unknown_type`, the other role's `forbidden`.
TEACHER_TYPES = frozenset({"push", "close", "split", "revote", "leaderboard", "lock", "remove", "rename"})
STUDENT_TYPES = frozenset({"join", "answer", "seats", "change_name"})
EITHER_TYPES = frozenset({"ping"})

# The fields an `answer` frame may carry its answer in; each kind takes one (game/kinds/).
ANSWER_FIELDS = ("value", "option", "options", "number")


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# Frames -----------------------------------------------------------------


class ErrorFrame(TypedDict):
    type: Literal["error"]
    code: str
    detail: str


def error(refusal: GameError) -> ErrorFrame:
    return {"type": "error", "code": refusal.code, "detail": refusal.detail}


def pong() -> dict:
    return {"type": "pong"}


class Classroom(TypedDict):
    name: str
    code: str


def classroom(aula: Aula) -> Classroom:
    return {"name": aula.nombre, "code": aula.codigo}


class Joined(TypedDict):
    type: Literal["joined"]
    student: dict
    token: str
    extra_time: NotRequired[int]
    asked_name: NotRequired[str]


def joined(alumno: Alumno, asked_name: str | None = None) -> Joined:
    frame: Joined = {"type": "joined", "student": {"id": alumno.pk, "name": alumno.nombre}, "token": alumno.token}
    if alumno.tiempo_extra != 100:
        frame["extra_time"] = alumno.tiempo_extra  # this student's own; nobody else hears of it
    if asked_name:
        frame["asked_name"] = asked_name  # the name was taken: the student got a number
    return frame


def renamed(alumno: Alumno) -> dict:
    """To a student the teacher renamed."""
    return {"type": "renamed", "student": {"id": alumno.pk, "name": alumno.nombre}}


def locked(is_locked: bool) -> dict:
    """To the teacher's sockets: the classroom takes new names or not."""
    return {"type": "locked", "locked": is_locked}


def seats(aula: Aula, roster: list[dict]) -> dict:
    return {"type": "seats", "seats": roster, "classroom": classroom(aula)}


def time(extra_time: int) -> dict:
    """A student's extra time changed (it counts from the next question)."""
    return {"type": "time", "extra_time": extra_time}


class RoundPayload(TypedDict):
    round: int
    question: dict
    deadline: str | None
    seconds: NotRequired[int]
    previous: NotRequired[int]
    quiz: NotRequired[dict]  # {"position": 2, "of": 5}: pushed from a quiz
    closes: NotRequired[str]  # the teacher's: when it really closes, with extra time
    your_deadline: NotRequired[str]  # a student's: their own deadline, with extra time


def round_payload(ronda: Ronda) -> RoundPayload:
    """A round as students see it: never which answer is right."""
    payload: RoundPayload = {
        "round": ronda.pk,
        "question": {"id": ronda.pregunta_id, "text": ronda.texto},
        "kind": ronda.tipo,
        **kinds.of(ronda).question(ronda),
        "image": image(ronda),
        "deadline": _iso(ronda.limite),
    }
    if ronda.limite:
        payload["seconds"] = round((ronda.limite - ronda.abierta).total_seconds())
    if ronda.anterior_id:
        payload["previous"] = ronda.anterior_id  # a second vote on the same question
    if ronda.quiz_progress:
        payload["quiz"] = quiz_progress(ronda)
    return payload


def image(ronda: Ronda) -> dict | None:
    return {"url": ronda.imagen.url, "alt": ronda.imagen_alt} if ronda.imagen else None


def quiz_progress(ronda: Ronda) -> dict:
    position, of = ronda.quiz_progress
    return {"position": position, "of": of}


def question(ronda: Ronda) -> dict:
    return {"type": "question", **round_payload(ronda)}


def own_deadline(ronda: Ronda, tiempo_extra: int) -> dict:
    """To a student with extra time, after a timed push: their own deadline."""
    return {"type": "deadline", "round": ronda.pk, "deadline": _iso(ronda.limite_para(tiempo_extra))}


def student_state(
    aula: Aula, ronda: Ronda | None, stored_answer, tiempo_extra: int, last: Ronda | None = None, own=None
) -> dict:
    """After a student's `join`: the open round (with their own deadline), and their answer to it.
    With no open round, ``last`` (a round just closed) and ``own`` (this student's answer to it and
    whether it was right, or None) bring back the result the page was showing."""
    payload = None
    if ronda is not None:
        payload = round_payload(ronda)
        if ronda.limite:
            payload["your_deadline"] = _iso(ronda.limite_para(tiempo_extra))
    value = None if stored_answer is None else kinds.of(ronda).to_wire(stored_answer)
    frame = {
        "type": "state",
        "round": payload,
        "answered": stored_answer is not None,
        "value": value,
        "classroom": classroom(aula),
    }
    if ronda is None and last is not None:
        frame["result"] = last_result(last, own)
    return frame


def last_result(ronda: Ronda, own) -> dict:
    """A closed round as one student's result screen shows it: the question, the right options,
    their answer (None: no answer) and whether the server counted it right."""
    kind = kinds.of(ronda)
    return {
        "round": ronda.pk,
        "question": {"id": ronda.pregunta_id, "text": ronda.texto},
        "kind": ronda.tipo,
        **kind.question(ronda),
        "image": image(ronda),
        "right_options": kind.right_options(ronda),
        **kind.reveal(ronda),
        "explanation": ronda.explicacion or None,
        "value": None if own is None else kind.to_wire(own[0]),
        "right": None if own is None else own[1],
    }


def teacher_round_payload(ronda: Ronda) -> RoundPayload:
    payload = round_payload(ronda)
    if ronda.cierre and ronda.cierre != ronda.limite:
        payload["closes"] = _iso(ronda.cierre)
    if ronda.reparto_visible:
        payload["split_shown"] = True  # the class sees how it votes («Mostrar reparto»)
    return payload


def teacher_state(aula: Aula, ronda: Ronda | None, counts: Tally, students: list[StudentStatus]) -> dict:
    return {
        "type": "state",
        "round": teacher_round_payload(ronda) if ronda else None,
        "answered": None,
        "classroom": {**classroom(aula), "locked": aula.bloqueada},
        "tally": tally(counts),
        "students": roster_list(ronda, students),
    }


def extra_time(ronda: Ronda) -> dict:
    """To the teacher, after a timed push when some connected student has extra time."""
    return {"type": "extra_time", "round": ronda.pk, "closes": _iso(ronda.cierre)}


def answer_fields(frame: dict) -> dict:
    """The answer an `answer` frame carries, in whichever of its fields it came."""
    return {name: frame[name] for name in ANSWER_FIELDS if name in frame}


def answered(round_id, answer: dict, sure) -> dict:
    """A stored answer, echoed in the field it came in."""
    frame = {"type": "answered", "round": round_id, **answer}
    if sure is not None:
        frame["sure"] = sure
    return frame


def stored_answer(alumno_id: int, round_id: int, value, sure) -> dict:
    """One answer as the teacher's `tally` lists it (``value`` as stored: true/false, an option
    id, a list of ids or a number)."""
    entry = {"student": alumno_id, "value": value, "round": round_id}
    if sure is not None:
        entry["sure"] = sure
    return entry


class TallyFrame(TypedDict, total=False):
    type: Literal["tally"]
    round: int | None
    answered: int
    connected: int
    answers: list[dict]
    options: dict[str, int]  # choice, multi, poll: answers per option id
    histogram: list[dict]  # number: the answers' spread
    # true/false: `true` and `false` counts


def counted(counts: Counts, reveal: bool = True) -> dict:
    """The counts as the tally, split and closed frames carry them, by the round's kind; without
    ``reveal`` (a split, for students, before the close) the histogram does not mark the right range."""
    fields = counts.kind.wire_counts(counts.options)
    spread = counts.spread()
    if spread is None:
        return fields
    return {**fields, "histogram": spread if reveal else [{k: v for k, v in b.items() if k != "right"} for b in spread]}


def tally(counts: Tally, answers: list[dict] | None = None) -> TallyFrame:
    frame = {"type": "tally", "round": counts.round_id, **counted(counts.counts), "answered": counts.answered,
             "connected": counts.connected}
    if answers is not None:
        frame["answers"] = answers
    return frame


def roster_list(ronda: Ronda | None, students: list[StudentStatus]) -> list[dict]:
    kind = kinds.of(ronda) if ronda else None
    return [
        {
            "id": s.id,
            "name": s.name,
            "online": s.online,
            "answer": None if s.answer is None else kind.to_wire(s.answer),
            "sure": s.sure,
        }
        for s in students
    ]


def roster(ronda: Ronda | None, students: list[StudentStatus]) -> dict:
    return {"type": "roster", "students": roster_list(ronda, students)}


def split(ronda: Ronda, counts: Counts) -> dict:
    """The class's votes, without the correct answer."""
    return {"type": "split", "round": ronda.pk, **counted(counts, reveal=False)}


def closed(ronda: Ronda, counts: Counts) -> dict:
    kind = kinds.of(ronda)
    frame = {
        "type": "closed",
        "round": ronda.pk,
        **kind.reveal(ronda),
        "right_options": kind.right_options(ronda),
        **counted(counts),
        "answered": counts.answered,
        "explanation": ronda.explicacion or None,
    }
    if ronda.quiz_progress:
        frame["quiz"] = quiz_progress(ronda)
    return frame


def results(outcome: Outcome) -> dict[int, dict]:
    """Each student who answered a closed round: their answer and whether it was right."""
    kind = kinds.of(outcome.ronda)
    return {
        alumno_id: {"type": "result", "round": outcome.ronda.pk, "value": kind.to_wire(stored), "right": right}
        for alumno_id, (stored, right) in outcome.answers.items()
    }


def outcome(result: Outcome) -> dict:
    """To the teacher, when a round closes: who was right, who wrong, and how sure they were."""
    c = result.confidence
    return {
        "type": "outcome",
        "round": result.ronda.pk,
        "right": [pk for pk, (_, right) in result.answers.items() if right is True],
        "wrong": [pk for pk, (_, right) in result.answers.items() if right is False],
        "confidence": {"right_sure": c.right_sure, "right_unsure": c.right_unsure,
                       "wrong_sure": c.wrong_sure, "wrong_unsure": c.wrong_unsure},
    }


def _place(s: Standing, with_points: bool) -> dict:
    return {"rank": s.rank, "right": s.right, **({"points": s.points} if with_points else {})}


def leaderboard(board: Leaderboard) -> dict | None:
    """The top places, for everyone; None when the classroom shows each student only their own."""
    if board.top is None:
        return None
    top = [{"name": s.name, **_place(s, board.with_points)} for s in board.top]
    return {"type": "leaderboard", "of": len(board.everyone), "top": top}


def ranks(board: Leaderboard) -> dict[int, dict]:
    """Each ranked student's own place, by student id."""
    return {s.alumno_id: {"type": "rank", "of": len(board.everyone), **_place(s, board.with_points)} for s in board.everyone}


# Group events (between processes, through the channel layer and relay.py) -------


def frame_send(frame: dict) -> dict:
    """A frame for every socket of the classroom, encoded once."""
    return {"type": "frame.send", "text": encode(frame)}


def frames_personal(students: dict[int, dict], teachers: dict | None = None) -> dict:
    """A frame for one student each (by id), and one for the teacher's sockets."""
    event = {"type": "frames.personal", "students": {str(pk): encode(f) for pk, f in students.items()}}
    if teachers:
        event["teachers"] = encode(teachers)
    return event


TEACHERS = "teachers"  # an event's `to`: the teacher's sockets only


def answers_stored(answers: list[dict]) -> dict:
    return {"type": "answers.stored", "to": TEACHERS, "answers": answers}


def presence_changed(opened=None, closed=None) -> dict:
    """Presence changed. With ``opened`` (pairs of connection and student ids) or ``closed``
    (connection ids) a teacher's socket follows the change in memory; without, it reads the
    classroom's presence again from the database."""
    event = {"type": "presence.changed", "to": TEACHERS}
    if opened is not None or closed is not None:
        event["opened"], event["closed"] = [list(pair) for pair in opened or ()], list(closed or ())
    return event


def round_opened(by: str | None = None) -> dict:
    """A round was pushed: the teacher's sockets send its first tally. ``by``: the socket that
    pushed it, which knows the round already."""
    return {"type": "round.opened", "to": TEACHERS, "by": by}


def round_changed(by: str | None = None) -> dict:
    """The open round closed, or its split went on view: the teacher's sockets read it again
    (but ``by``, the socket that closed it)."""
    return {"type": "round.changed", "to": TEACHERS, "by": by}


def students_released(alumno_ids) -> dict:
    """These students' seats were freed or they were removed: their sockets close (4401)."""
    return {"type": "students.released", "to": [int(pk) for pk in alumno_ids]}


def students_removed(alumno_ids) -> dict:
    """The teacher removed these students from the panel: their sockets close (4403)."""
    return {"type": "students.removed", "to": [int(pk) for pk in alumno_ids]}
