"""Load client of the classroom benchmark (bench/run.sh, docs/performance.md).

One asyncio process simulates one teacher and N students over the classroom socket
protocol (docs/protocol.md) and measures, with one monotonic clock:

1. connect burst: N students connect and join, at most --concurrency in flight;
2. --rounds rounds: the teacher pushes a question (fan-out latency: push sent ->
   ``question`` received by each student), students answer after a random delay of
   0..--spread seconds (one round, --burst-round, all at the same instant: ack latency:
   answer sent -> ``answered``), tally convergence (last answer sent -> the teacher's
   ``tally`` counts every answer), then the teacher closes (``closed`` fan-out);
3. the students and the teacher disconnect.

It also samples CPU time and memory of the server processes (``--server-pid``) from
/proc at the phase boundaries. It talks to 127.0.0.1 only and every wait is bounded.
The same client drives the project (--target project) and bench/reference_server.py
(--target reference). Writes one JSON document to --out.
"""

import argparse
import asyncio
import json
import math
import os
import random
import resource
import sys
import time
from collections import Counter

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

now = time.monotonic
CLK_TCK = os.sysconf("SC_CLK_TCK")


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def percentiles(values_s: list[float], *, scale: float = 1000.0) -> dict | None:
    """p50/p95/p99/max (nearest rank) of values in seconds, reported in ms by default."""
    if not values_s:
        return None
    data = sorted(values_s)

    def rank(p):
        return data[max(0, math.ceil(p / 100 * len(data)) - 1)] * scale

    return {
        "n": len(data),
        "min": round(data[0] * scale, 2),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "max": round(data[-1] * scale, 2),
        "mean": round(sum(data) / len(data) * scale, 2),
    }


def describe_failure(exc: BaseException, stage: str) -> str:
    if isinstance(exc, InvalidStatus):
        return f"{stage}: HTTP {exc.response.status_code}"
    if isinstance(exc, ConnectionClosed):
        code = exc.rcvd.code if exc.rcvd else 1006
        return f"{stage}: closed {code}"
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return f"{stage}: timeout"
    if isinstance(exc, InvalidHandshake):
        return f"{stage}: {type(exc).__name__}: {exc}"[:160]
    if isinstance(exc, OSError):
        return f"{stage}: {type(exc).__name__} errno {exc.errno}"
    return f"{stage}: {type(exc).__name__}: {exc}"[:160]


# /proc sampling --------------------------------------------------------------


def proc_sample(pid: int, with_children: bool = False) -> dict | None:
    """CPU seconds (user+system) and memory of a process (and of its children)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as f:
            status = {k: v.strip() for k, _, v in (line.partition(":") for line in f)}
    except OSError:
        return None
    # Fields after "(comm)": state is index 0, utime 11, stime 12, cutime 13, cstime 14.
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
        for child in children_of(pid):
            try:
                with open(f"/proc/{child}/stat") as f:
                    cf = f.read().rsplit(")", 1)[1].split()
                ticks += int(cf[11]) + int(cf[12])
            except OSError:
                pass

    def kib(key):
        value = status.get(key, "0 kB").split()[0]
        return int(value)

    return {
        "cpu_s": round(ticks / CLK_TCK, 2),
        "cpu_s_exact": ticks / CLK_TCK,
        "rss_kib": kib("VmRSS"),
        "hwm_kib": kib("VmHWM"),
    }


def schedstat_s(pid: int) -> float:
    """Time on CPU of all threads of a process (seconds; 0 when it is gone)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        pass
    return total / 1e9


def reaped_children_s(pid: int) -> float:
    """CPU seconds of a process's children that have exited (0 when it is gone): a PostgreSQL
    backend whose connection Django closed (CONN_MAX_AGE) takes its CPU with it otherwise."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[13]) + int(fields[14])) / CLK_TCK


def children_of(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def system_sample() -> dict:
    """Busy CPU seconds of each core, the CPU pressure stall total and our own CPU time.

    The machine may be shared: comparing the cores' busy time with the CPU time of the
    processes under test (and of this client) tells how much other work ran meanwhile.
    """
    cores = {}
    try:
        with open("/proc/stat") as f:
            for line in f:
                name, *values = line.split()
                if name.startswith("cpu") and name != "cpu":
                    v = [int(x) for x in values]
                    # user nice system idle iowait irq softirq steal (guest is inside user)
                    busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
                    cores[name] = busy / CLK_TCK
    except OSError:
        pass
    psi = None
    try:
        with open("/proc/pressure/cpu") as f:
            psi = int(f.readline().rsplit("total=", 1)[1]) / 1e6
    except (OSError, IndexError, ValueError):
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"t": now(), "cores_busy_s": cores, "cpu_pressure_some_s": psi, "client_cpu_s": usage.ru_utime + usage.ru_stime}


class ServerProbe:
    """Samples the server-side processes at named phases."""

    def __init__(self, specs: list[str]):
        # name=pid or name=pid+ (with children: the PostgreSQL postmaster)
        self.procs = []
        for spec in specs:
            name, _, pid = spec.partition("=")
            self.procs.append((name, int(pid.rstrip("+")), pid.endswith("+")))
        self.phases: dict[str, dict] = {}
        self.system: dict[str, dict] = {}

    def sample(self, phase: str):
        self.phases[phase] = {}
        for name, pid, kids in self.procs:
            sample = proc_sample(pid, kids)
            if sample:
                sample.pop("cpu_s_exact")
            self.phases[phase][name] = sample
        self.system[phase] = system_sample()

    def cpu_now(self) -> dict[str, float]:
        """CPU seconds so far of each sampled process, to the nanosecond: the sum of its
        threads' /proc schedstat (Daphne's database thread included), and of its
        children's when asked (PostgreSQL backends, those that have exited included)."""
        out = {}
        for name, pid, kids in self.procs:
            total = schedstat_s(pid)
            if kids:
                total += sum(schedstat_s(child) for child in children_of(pid)) + reaped_children_s(pid)
            out[name] = total
        return out

    @staticmethod
    def cpu_delta(a: dict, b: dict) -> dict[str, float]:
        """CPU milliseconds per process between two cpu_now() readings, plus "server":
        the processes serving the sockets (Daphne or the reference server)."""
        out = {name: round((b[name] - a[name]) * 1000) for name in b}
        out["server"] = sum(v for k, v in out.items() if k.startswith("daphne") or k == "reference")
        return out

    def machine_report(self) -> dict:
        """Per interval: wall time, busy time of each core, ours, and other processes' CPU."""
        out = {}
        names = list(self.system)
        for a, b in zip(names, names[1:]):
            sa, sb = self.system[a], self.system[b]
            busy = {c: round(sb["cores_busy_s"][c] - sa["cores_busy_s"].get(c, 0), 2) for c in sb["cores_busy_s"]}
            ours = sb["client_cpu_s"] - sa["client_cpu_s"]
            for name, _, _ in self.procs:
                pa, pb = self.phases[a].get(name), self.phases[b].get(name)
                if pa and pb:
                    ours += pb["cpu_s"] - pa["cpu_s"]
            total = sum(busy.values())
            psi = None
            if sa["cpu_pressure_some_s"] is not None and sb["cpu_pressure_some_s"] is not None:
                psi = round(sb["cpu_pressure_some_s"] - sa["cpu_pressure_some_s"], 2)
            out[f"{a}->{b}"] = {
                "wall_s": round(sb["t"] - sa["t"], 2),
                "cores_busy_s": busy,
                "ours_cpu_s": round(ours, 2),
                "other_processes_cpu_s": round(max(0.0, total - ours), 2),
                "cpu_pressure_stall_s": psi,
            }
        return out

    def report(self, connections_by_proc: dict[str, int]) -> dict:
        out = {}
        for name, pid, _ in self.procs:
            samples = {phase: data.get(name) for phase, data in self.phases.items()}
            first = samples.get("start")
            last = samples.get("end")
            conn = samples.get("connected")
            entry = {"pid": pid, "samples": samples}
            if first and last:
                entry["cpu_s_total"] = round(last["cpu_s"] - first["cpu_s"], 2)
                entry["peak_rss_mib"] = round(last["hwm_kib"] / 1024, 1)
            if first and conn:
                entry["cpu_s_connect"] = round(conn["cpu_s"] - first["cpu_s"], 2)
                n = connections_by_proc.get(name, 0)
                if n:
                    entry["connections"] = n
                    entry["rss_kib_per_connection"] = round((conn["rss_kib"] - first["rss_kib"]) / n, 1)
            if conn and last:
                entry["cpu_s_rounds"] = round(last["cpu_s"] - conn["cpu_s"], 2)
            out[name] = entry
        return out


class LoopLag:
    """Measures how late the client's own event loop wakes up (client saturation)."""

    def __init__(self, interval=0.01):
        self.interval = interval
        self.max_lag = 0.0
        self.task = None

    async def _run(self):
        while True:
            t = now()
            await asyncio.sleep(self.interval)
            self.max_lag = max(self.max_lag, now() - t - self.interval)

    def start(self):
        self.task = asyncio.ensure_future(self._run())

    def take(self) -> float:
        lag, self.max_lag = self.max_lag, 0.0
        return round(lag * 1000, 1)


# Actors ----------------------------------------------------------------------


class RoundState:
    def __init__(self, index: int, mode: str, expected: int):
        self.index = index
        self.mode = mode  # "spread" | "burst"
        self.expected = expected  # students connected when the question was pushed
        self.round_id = None
        self.t_push = None
        self.t_close = None
        self.question_at: dict[int, float] = {}
        self.closed_at: dict[int, float] = {}
        self.answer_sent: dict[int, float] = {}
        self.answer_acked: dict[int, float] = {}
        self.answer_errors = Counter()
        self.all_questions = asyncio.Event()
        self.all_closed = asyncio.Event()
        self.all_acked = asyncio.Event()
        self.answers_done = asyncio.Event()  # every answer sent (or given up on)
        self.answers_pending = 0
        self.none_pending = asyncio.Event()  # set when answers_pending drops to 0
        self.tally_target = None
        self.tally_converged_at = None
        self.tally_max_answered = 0
        self.tally_frames = 0
        self.tally_event = asyncio.Event()
        self.teacher_question_at = None

    def check_questions(self):
        if len(self.question_at) >= self.expected:
            self.all_questions.set()

    def check_closed(self):
        if len(self.closed_at) >= self.expected:
            self.all_closed.set()

    def check_acked(self):
        if self.answers_done.is_set() and len(self.answer_acked) + sum(self.answer_errors.values()) >= len(
            self.answer_sent
        ):
            self.all_acked.set()


class Bench:
    def __init__(self, args, state: dict):
        self.args = args
        self.state = state
        self.rng = random.Random(args.seed)
        self.ports = [int(p) for p in args.ports.split(",")]
        self.round: RoundState | None = None
        self.round_states: list[RoundState] = []  # every round played, for bench/school.py
        self.error_frames = Counter()
        self.unexpected_closes = Counter()
        self.students: list[Student] = []
        self.closing = False
        self.teacher: Teacher | None = None

    def url(self, port: int) -> str:
        return f"ws://127.0.0.1:{port}/ws/aula/{self.state['code']}/"

    def connect_kwargs(self, port: int) -> dict:
        return dict(
            origin=f"http://127.0.0.1:{port}",
            compression=None,  # browsers offer permessage-deflate; Daphne does not negotiate it
            proxy=None,
            open_timeout=self.args.op_timeout,
            ping_interval=None,  # browsers do not ping; Daphne pings every 20 s and we answer
            close_timeout=5,
            max_size=None,
            max_queue=None,
        )


class Teacher:
    def __init__(self, bench: Bench):
        self.bench = bench
        self.ws = None
        self.state = asyncio.Event()
        self.connected_seen = 0
        self.connected_event = asyncio.Event()
        self.connected_target = None
        self.connected_at = None

    async def start(self):
        port = self.bench.ports[0]
        kwargs = self.bench.connect_kwargs(port)
        kwargs["additional_headers"] = {"Cookie": f"sessionid={self.bench.state['sessionid']}"}
        self.ws = await connect(self.bench.url(port), **kwargs)
        self.reader = asyncio.ensure_future(self.read())
        await asyncio.wait_for(self.state.wait(), self.bench.args.op_timeout)

    async def read(self):
        bench = self.bench
        try:
            async for raw in self.ws:
                t = now()
                frame = json.loads(raw)
                kind = frame.get("type")
                rnd = bench.round
                if kind == "tally":
                    self.connected_seen = frame.get("connected", 0)
                    if self.connected_target is not None and self.connected_seen >= self.connected_target:
                        if self.connected_at is None:
                            self.connected_at = t
                        self.connected_event.set()
                    if rnd is not None and rnd.round_id is not None and frame.get("round") == rnd.round_id:
                        rnd.tally_frames += 1
                        rnd.tally_max_answered = max(rnd.tally_max_answered, frame.get("answered", 0))
                        if rnd.tally_target is not None and frame.get("answered", 0) >= rnd.tally_target:
                            if rnd.tally_converged_at is None:
                                rnd.tally_converged_at = t
                            rnd.tally_event.set()
                elif kind == "state":
                    tally = frame.get("tally") or {}
                    self.connected_seen = tally.get("connected", 0)
                    self.state.set()
                elif kind == "question":
                    if rnd is not None:
                        rnd.teacher_question_at = t
                        if rnd.round_id is None:
                            rnd.round_id = frame["round"]
                elif kind == "error":
                    bench.error_frames[f"teacher: {frame.get('code')}"] += 1
        except ConnectionClosed as exc:
            if not bench.closing:
                bench.unexpected_closes[f"teacher: {exc.rcvd.code if exc.rcvd else 1006}"] += 1

    def watch_connected(self, target: int):
        self.connected_target = target
        if self.connected_seen >= target:
            self.connected_at = now()
            self.connected_event.set()

    async def send(self, frame: dict):
        await self.ws.send(encode(frame))


class Student:
    def __init__(self, bench: Bench, index: int):
        self.bench = bench
        self.index = index
        self.port = bench.ports[index % len(bench.ports)]
        self.ws = None
        self.open = False
        self.joined = asyncio.Event()
        self.reader = None

    async def start(self, sem: asyncio.Semaphore, stats: dict):
        bench = self.bench
        async with sem:
            t0 = now()
            try:
                self.ws = await connect(bench.url(self.port), **bench.connect_kwargs(self.port))
            except BaseException as exc:  # noqa: BLE001 - every failure is counted by kind
                if isinstance(exc, asyncio.CancelledError):
                    raise
                stats["failures"][describe_failure(exc, "connect")] += 1
                return
            t1 = now()
            stats["connect"].append(t1 - t0)
            self.open = True
            self.reader = asyncio.ensure_future(self.read())
            try:
                await self.ws.send(encode({"type": "join", "name": f"Alumno {self.index:05d}"}))
                await asyncio.wait_for(self.joined.wait(), bench.args.op_timeout)
            except BaseException as exc:  # noqa: BLE001
                if isinstance(exc, asyncio.CancelledError):
                    raise
                stats["failures"][describe_failure(exc, "join")] += 1
                return
            stats["join"].append(now() - t1)
            stats["ok"] += 1
            stats["per_port"][self.port] += 1

    async def read(self):
        bench = self.bench
        got_joined = False
        try:
            async for raw in self.ws:
                t = now()
                frame = json.loads(raw)
                kind = frame.get("type")
                rnd = bench.round
                if kind == "question":
                    if rnd is not None:
                        if rnd.round_id is None:
                            rnd.round_id = frame["round"]
                        if frame["round"] == rnd.round_id and self.index not in rnd.question_at:
                            rnd.question_at[self.index] = t
                            rnd.check_questions()
                            if rnd.mode == "spread":
                                rnd.answers_pending += 1
                                asyncio.ensure_future(self.answer_later(rnd, bench.rng.uniform(0, bench.args.spread)))
                elif kind == "answered":
                    if rnd is not None and frame.get("round") == rnd.round_id:
                        rnd.answer_acked[self.index] = t
                        rnd.check_acked()
                elif kind == "closed":
                    if rnd is not None and frame.get("round") == rnd.round_id and self.index not in rnd.closed_at:
                        rnd.closed_at[self.index] = t
                        rnd.check_closed()
                elif kind == "joined":
                    got_joined = True
                elif kind == "state":
                    if got_joined:
                        self.joined.set()
                elif kind == "error":
                    code = frame.get("code")
                    bench.error_frames[f"student: {code}"] += 1
                    if rnd is not None and self.index in rnd.answer_sent and self.index not in rnd.answer_acked:
                        rnd.answer_errors[code] += 1
                        rnd.check_acked()
        except ConnectionClosed as exc:
            if not bench.closing:
                bench.unexpected_closes[f"student: {exc.rcvd.code if exc.rcvd else 1006}"] += 1
        except Exception as exc:  # noqa: BLE001
            bench.unexpected_closes[f"student reader: {type(exc).__name__}"] += 1
        finally:
            self.open = False

    async def answer_later(self, rnd: RoundState, delay: float):
        try:
            await asyncio.sleep(delay)
            await self.answer(rnd)
        finally:
            rnd.answers_pending -= 1
            if rnd.answers_pending <= 0:
                rnd.none_pending.set()

    async def answer(self, rnd: RoundState):
        if not self.open or rnd.round_id is None:
            return
        value = (self.index + rnd.index) % 3 != 0
        rnd.answer_sent[self.index] = now()
        try:
            await self.ws.send(encode({"type": "answer", "round": rnd.round_id, "value": value}))
        except ConnectionClosed:
            del rnd.answer_sent[self.index]

    async def stop(self):
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001
                pass
        if self.reader is not None:
            self.reader.cancel()


# Phases ----------------------------------------------------------------------


async def wait_for(event: asyncio.Event, timeout: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), timeout)
        return True
    except asyncio.TimeoutError:
        return False


async def connect_phase(bench: Bench, lag: LoopLag) -> dict:
    args = bench.args
    stats = connect_stats()
    bench.students = [Student(bench, i) for i in range(args.students)]
    sem = asyncio.Semaphore(args.concurrency)
    lag.take()
    t0 = now()
    await asyncio.gather(*(s.start(sem, stats) for s in bench.students))
    elapsed = now() - t0
    joined = stats["ok"]
    # The teacher's panel: time until its tally counts every joined student as connected.
    bench.teacher.watch_connected(joined)
    presence_ok = await wait_for(bench.teacher.connected_event, args.op_timeout)
    out = connect_report(stats, args.students, elapsed, args.concurrency)
    out.update(
        teacher_sees_all_connected_s=round(bench.teacher.connected_at - t0, 2) if presence_ok else None,
        teacher_connected_count=bench.teacher.connected_seen,
        per_port=out.pop("per_port"),
        client_max_loop_lag_ms=lag.take(),
    )
    return out


def connect_stats() -> dict:
    """What Student.start() records: successes, failures by kind, latencies, sockets per port."""
    return {"ok": 0, "failures": Counter(), "connect": [], "join": [], "per_port": Counter()}


def connect_report(stats: dict, requested: int, elapsed: float, concurrency: int) -> dict:
    joined = stats["ok"]
    return {
        "requested": requested,
        "joined": joined,
        "failed": requested - joined,
        "failures": dict(stats["failures"].most_common()),
        "seconds": round(elapsed, 2),
        "rate_per_s": round(joined / elapsed, 1) if elapsed else None,
        "concurrency": concurrency,
        "handshake_ms": percentiles(stats["connect"]),
        "join_ms": percentiles(stats["join"]),
        "per_port": {str(k): v for k, v in sorted(stats["per_port"].items())},
    }


async def round_phase(bench: Bench, index: int, question_id: int, lag: LoopLag, probe: ServerProbe) -> dict:
    args = bench.args
    live = [s for s in bench.students if s.open and s.joined.is_set()]
    mode = "burst" if index == args.burst_round else "spread"
    rnd = RoundState(index, mode, len(live))
    bench.round = rnd
    bench.round_states.append(rnd)
    lag.take()
    cpu0 = probe.cpu_now()
    rnd.t_push = now()
    await bench.teacher.send({"type": "push", "question": question_id})
    got_all = await wait_for(rnd.all_questions, args.op_timeout)
    cpu1 = probe.cpu_now()
    fanout_lag = lag.take()
    if mode == "burst":
        # Everyone at the same instant: one tight loop of sends once all have the question.
        targets = [s for s in live if s.index in rnd.question_at]
        await asyncio.gather(*(s.answer(rnd) for s in targets))
        rnd.answers_done.set()
    else:
        # Answers go out from answer_later() tasks; wait (bounded) until none is pending.
        if rnd.answers_pending > 0:
            await wait_for(rnd.none_pending, args.spread + args.op_timeout)
        rnd.answers_done.set()
    rnd.check_acked()
    acked_ok = await wait_for(rnd.all_acked, args.op_timeout)
    last_sent = max(rnd.answer_sent.values(), default=None)
    rnd.tally_target = len(rnd.answer_sent) - sum(rnd.answer_errors.values())
    if rnd.tally_max_answered >= rnd.tally_target and rnd.tally_converged_at is None:
        rnd.tally_converged_at = now()
    if rnd.tally_converged_at is not None:
        rnd.tally_event.set()
    tally_ok = await wait_for(rnd.tally_event, args.op_timeout)
    answer_lag = lag.take()
    cpu2 = probe.cpu_now()
    rnd.t_close = now()
    if rnd.round_id is not None:
        await bench.teacher.send({"type": "close", "round": rnd.round_id})
        await wait_for(rnd.all_closed, args.op_timeout)
    cpu3 = probe.cpu_now()
    fanout = [t - rnd.t_push for t in rnd.question_at.values()]
    closed = [t - rnd.t_close for t in rnd.closed_at.values()]
    acks = [rnd.answer_acked[i] - rnd.answer_sent[i] for i in rnd.answer_acked if i in rnd.answer_sent]
    result = {
        "index": index,
        "round": rnd.round_id,
        "mode": mode,
        "students": rnd.expected,
        "question_received": len(rnd.question_at),
        "fanout_ms": percentiles(fanout),
        "teacher_question_ms": round((rnd.teacher_question_at - rnd.t_push) * 1000, 2)
        if rnd.teacher_question_at
        else None,
        "answers_sent": len(rnd.answer_sent),
        "answers_acked": len(rnd.answer_acked),
        "answer_errors": dict(rnd.answer_errors),
        "all_acked": acked_ok,
        "ack_ms": percentiles(acks),
        "answer_window_s": round(last_sent - min(rnd.answer_sent.values()), 3) if last_sent else None,
        "tally_convergence_s": round(rnd.tally_converged_at - last_sent, 3)
        if tally_ok and last_sent and rnd.tally_converged_at
        else None,
        "tally_target": rnd.tally_target,
        "tally_max_answered": rnd.tally_max_answered,
        "tally_frames": rnd.tally_frames,
        "closed_received": len(rnd.closed_at),
        "closed_fanout_ms": percentiles(closed),
        "client_max_loop_lag_ms": {"fanout": fanout_lag, "answers": answer_lag},
        # CPU used meanwhile (ms): push -> every question received (in spread rounds the
        # first answers already arrive), -> every answer acked and the tally converged,
        # close -> every closed received. Unlike latencies, barely moved by other load.
        "cpu_ms": {
            "fanout": probe.cpu_delta(cpu0, cpu1),
            "answers": probe.cpu_delta(cpu1, cpu2),
            "close": probe.cpu_delta(cpu2, cpu3),
        },
        "_fanout": fanout,
        "_acks": acks,
    }
    bench.round = None
    return result


async def disconnect(students: list, concurrency: int, timeout: float) -> float:
    """Closes the students' sockets, at most `concurrency` at a time, within `timeout`;
    returns the seconds it took."""
    sem = asyncio.Semaphore(concurrency)

    async def stop(s):
        async with sem:
            await s.stop()

    t_close = now()
    try:
        await asyncio.wait_for(asyncio.gather(*(stop(s) for s in students)), timeout)
    except asyncio.TimeoutError:
        pass
    return now() - t_close


async def main_async(args) -> dict:
    with open(args.state, encoding="utf-8") as f:
        state = json.load(f)
    bench = Bench(args, state)
    probe = ServerProbe(args.server_pid)
    lag = LoopLag()
    lag.start()
    probe.sample("start")
    bench.teacher = Teacher(bench)
    t_start = now()
    await bench.teacher.start()
    connect = await connect_phase(bench, lag)
    await asyncio.sleep(args.pause)
    probe.sample("connected")
    questions = state["questions"]
    rounds = []
    for i in range(1, args.rounds + 1):
        q = questions[(i - 1) % len(questions)]
        rounds.append(await round_phase(bench, i, q["id"], lag, probe))
        print(
            f"[load:{args.target}] round {i}/{args.rounds} ({rounds[-1]['mode']}): "
            f"fan-out p50 {fmt(rounds[-1]['fanout_ms'], 'p50')} ms, "
            f"p99 {fmt(rounds[-1]['fanout_ms'], 'p99')} ms, "
            f"ack p99 {fmt(rounds[-1]['ack_ms'], 'p99')} ms, "
            f"tally {rounds[-1]['tally_convergence_s']} s",
            file=sys.stderr,
            flush=True,
        )
        await asyncio.sleep(args.pause)
    probe.sample("end")
    # Disconnect everyone (bounded).
    bench.closing = True
    disconnect_s = await disconnect(bench.students, args.concurrency, args.op_timeout)
    try:
        await asyncio.wait_for(bench.teacher.ws.close(), 5)
    except Exception:  # noqa: BLE001
        pass

    all_fanout = [x for r in rounds for x in r.pop("_fanout")]
    acks_by_mode = {"spread": [], "burst": []}
    for r in rounds:
        acks_by_mode[r["mode"]] += r.pop("_acks")
    connections_by_proc = {}
    for name, _, _ in probe.procs:
        if name.startswith("daphne"):
            port = name.split(":")[1] if ":" in name else None
            connections_by_proc[name] = connect["per_port"].get(port, 0) + (1 if port == str(bench.ports[0]) else 0)
        elif name == "reference":
            connections_by_proc[name] = connect["joined"] + 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "target": args.target,
        "students": args.students,
        "rounds": args.rounds,
        "ports": bench.ports,
        "spread_s": args.spread,
        "burst_round": args.burst_round,
        "connect": connect,
        "fanout_ms": percentiles(all_fanout),
        "ack_ms": percentiles(acks_by_mode["spread"] + acks_by_mode["burst"]),
        "ack_ms_spread": percentiles(acks_by_mode["spread"]),
        "ack_ms_burst": percentiles(acks_by_mode["burst"]),
        "tally_convergence_s": [r["tally_convergence_s"] for r in rounds],
        "rounds_detail": rounds,
        "answers_sent_by_round": {str(r["round"]): r["answers_sent"] for r in rounds if r["round"] is not None},
        "answers_acked_by_round": {str(r["round"]): r["answers_acked"] for r in rounds if r["round"] is not None},
        "error_frames": dict(bench.error_frames),
        "unexpected_closes": dict(bench.unexpected_closes),
        "disconnect_s": round(disconnect_s, 2),
        "elapsed_s": round(now() - t_start, 2),
        "server": probe.report(connections_by_proc),
        "machine": probe.machine_report(),
        "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "client_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }


def fmt(stats, key):
    return stats[key] if stats else "-"


def target_args(p: argparse.ArgumentParser, state_help: str):
    """Options of every load client (this one and bench/school.py): what to drive."""
    p.add_argument("--target", choices=["project", "reference"], default="project")
    p.add_argument("--state", required=True, help=state_help)
    p.add_argument("--ports", required=True, help="comma-separated server ports on 127.0.0.1")


def output_args(p: argparse.ArgumentParser):
    """Options of every load client: randomness, processes to sample, where to write."""
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--server-pid", action="append", default=[], help="name=pid[+] to sample (+: with children)")
    p.add_argument("--out", required=True)


def run_client(main_async, args, tag: str):
    """Runs a load client's main_async(args), writes its JSON to --out and says how it went."""
    result = asyncio.run(main_async(args))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    c = result["connect"]
    print(
        f"[{tag}:{args.target}] joined {c['joined']}/{c['requested']} in {c['seconds']} s; "
        f"fan-out p50 {fmt(result['fanout_ms'], 'p50')} ms p99 {fmt(result['fanout_ms'], 'p99')} ms",
        file=sys.stderr,
    )


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target_args(p, "JSON from bench/seed.py (code, sessionid, questions)")
    p.add_argument("--students", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--concurrency", type=int, default=200, help="connects + joins in flight")
    p.add_argument("--spread", type=float, default=2.0, help="answers spread over 0..S seconds")
    p.add_argument("--burst-round", type=int, default=None, help="round (1-based) answered all at once; default last")
    p.add_argument("--op-timeout", type=float, default=30.0, help="bound of every single wait, seconds")
    p.add_argument("--pause", type=float, default=0.5, help="pause between rounds, seconds")
    output_args(p)
    args = p.parse_args(argv)
    if args.burst_round is None:
        args.burst_round = args.rounds
    if args.students < 1 or args.rounds < 0 or args.concurrency < 1:
        p.error("students and concurrency must be >= 1, rounds >= 0")
    return args


def main():
    run_client(main_async, parse_args(), "load")


if __name__ == "__main__":
    main()
