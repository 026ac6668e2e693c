"""Reference server of the benchmark: the same classroom protocol on plain ``websockets``.

No Django, no Channels, no database: one process keeps the classrooms in memory (one room
per classroom code: the state of bench/seed.py, one classroom or a school's) and
broadcasts each frame with ``websockets.broadcast`` (one encoded frame written to every
socket). Frames have the project's shapes and sizes (same question texts and ids, same
JSON encoding), so bench/load.py drives it unchanged and its fan-out is the floor the
project is compared with (docs/performance.md).

    python bench/reference_server.py --port P --state STATE.json

The socket whose handshake carries a ``sessionid`` cookie is the teacher.
"""

import argparse
import asyncio
import json
import signal

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed

TALLY_INTERVAL = 0.1


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Classroom:
    def __init__(self, code: str, questions: list[dict]):
        self.code = code
        self.questions = {q["id"]: q for q in questions}
        self.sockets = set()  # every joined student and every teacher
        self.teachers = set()
        self.students = {}  # id -> {"name", "online"}
        self.next_student = 1
        self.next_round = 1
        self.round = None  # {"round", "question", "correct", "answers": {student: value}, "open"}
        self.pending = []
        self.roster_dirty = False
        self.flush_task = None

    def round_payload(self):
        r = self.round
        if r is None or not r["open"]:
            return None
        return {"round": r["round"], "question": {"id": r["question"]["id"], "text": r["question"]["text"]}, "deadline": None}

    def tally(self):
        r = self.round if self.round and self.round["open"] else None
        answers = r["answers"] if r else {}
        t = sum(1 for v in answers.values() if v)
        return {
            "type": "tally",
            "round": r["round"] if r else None,
            "true": t,
            "false": len(answers) - t,
            "answered": len(answers),
            "connected": sum(1 for s in self.students.values() if s["online"]),
        }

    def roster(self):
        answers = self.round["answers"] if self.round and self.round["open"] else {}
        return [
            {"id": i, "name": s["name"], "online": s["online"], "answer": answers.get(i)}
            for i, s in self.students.items()
        ]

    def schedule_flush(self):
        if self.flush_task is None or self.flush_task.done():
            self.flush_task = asyncio.ensure_future(self.flush())

    async def flush(self):
        await asyncio.sleep(TALLY_INTERVAL)
        answers, self.pending = self.pending, []
        roster, self.roster_dirty = self.roster_dirty, False
        frame = self.tally()
        frame["answers"] = answers
        frames = [encode(frame)]
        if roster:
            frames.append(encode({"type": "roster", "students": self.roster()}))
        for text in frames:
            broadcast(self.teachers, text)

    def close_round(self):
        r = self.round
        if r is None or not r["open"]:
            return
        r["open"] = False
        t = sum(1 for v in r["answers"].values() if v)
        broadcast(
            self.sockets,
            encode({"type": "closed", "round": r["round"], "correct": r["correct"], "true": t, "false": len(r["answers"]) - t}),
        )


def rooms_of(state: dict) -> dict[str, Classroom]:
    """One room per classroom of the seed: a school's ``classrooms``, or the one classroom."""
    classrooms = state.get("classrooms") or [state]
    return {c["code"]: Classroom(c["code"], state["questions"]) for c in classrooms}


async def handler(ws, rooms: dict[str, Classroom]):
    path = ws.request.path
    room = rooms.get(path.rstrip("/").split("/")[-1].upper())
    if room is None:
        await ws.close(4404)
        return
    is_teacher = "sessionid=" in (ws.request.headers.get("Cookie") or "")
    student = None
    if is_teacher:
        room.teachers.add(ws)
        room.sockets.add(ws)
        await ws.send(
            encode(
                {
                    "type": "state",
                    "round": room.round_payload(),
                    "answered": None,
                    "classroom": {"name": "Benchmark", "code": room.code},
                    "tally": room.tally(),
                    "students": room.roster(),
                }
            )
        )
    try:
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "join" and not is_teacher and student is None:
                student = room.next_student
                room.next_student += 1
                room.students[student] = {"name": frame.get("name"), "online": True}
                room.sockets.add(ws)
                await ws.send(encode({"type": "joined", "student": {"id": student, "name": frame.get("name")}, "token": "x" * 32}))
                await ws.send(
                    encode(
                        {
                            "type": "state",
                            "round": room.round_payload(),
                            "answered": False,
                            "value": None,
                            "classroom": {"name": "Benchmark", "code": room.code},
                        }
                    )
                )
                room.roster_dirty = True
                room.schedule_flush()
            elif kind == "answer" and student is not None:
                r = room.round
                if r is None or not r["open"] or frame.get("round") != r["round"]:
                    await ws.send(encode({"type": "error", "code": "round_closed", "detail": "La ronda ya está cerrada."}))
                elif student in r["answers"]:
                    await ws.send(encode({"type": "error", "code": "already_answered", "detail": "Ya respondiste."}))
                else:
                    r["answers"][student] = frame.get("value")
                    await ws.send(encode({"type": "answered", "round": r["round"], "value": frame.get("value")}))
                    room.pending.append({"student": student, "value": frame.get("value")})
                    room.schedule_flush()
            elif kind == "push" and is_teacher:
                question = room.questions[frame.get("question")]
                room.close_round()
                room.round = {"round": room.next_round, "question": question, "correct": question["correct"], "answers": {}, "open": True}
                room.next_round += 1
                room.pending = []
                broadcast(room.sockets, encode({"type": "question", **room.round_payload()}))
            elif kind == "close" and is_teacher:
                room.close_round()
            elif kind == "ping":
                await ws.send(encode({"type": "pong"}))
    except ConnectionClosed:
        pass
    finally:
        room.sockets.discard(ws)
        room.teachers.discard(ws)
        if student is not None:
            room.students[student]["online"] = False
            room.roster_dirty = True
            room.schedule_flush()


async def main_async(args):
    with open(args.state, encoding="utf-8") as f:
        rooms = rooms_of(json.load(f))
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        lambda ws: handler(ws, rooms),
        "127.0.0.1",
        args.port,
        compression=None,
        ping_interval=None,
        max_size=64 * 1024,
        backlog=args.backlog,
    ):
        print(f"[reference] listening on 127.0.0.1:{args.port}, {len(rooms)} classroom(s)", flush=True)
        await stop


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--backlog", type=int, default=50, help="listen backlog (Twisted's default under Daphne is 50)")
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
