"""Load client of the school benchmark (bench/run.sh --classrooms C, docs/performance.md).

A school's morning: C classrooms at the same time, each with its teacher and S students,
over the classroom socket protocol (docs/protocol.md). The actors and the round are those
of bench/load.py (one ``Bench`` per classroom); this module runs them side by side:

1. the teachers connect (the classroom owner's session cookie), then all the students
   of all classrooms connect and join, at most --concurrency in flight, interleaved
   across classrooms; every classroom's sockets are spread over the server ports (the
   teachers too: classroom k's teacher is on port k mod P), or with --together all on
   port k mod P, as nginx's consistent hash of the URL places them (docs/deploy.md);
2. each classroom then plays --questions rounds at its own pace, all classrooms at the
   same time: after a random 0..--teacher-pause s the teacher pushes; each student
   answers after a random 0..--spread s; the teacher waits until its ``tally`` counts
   every answer, closes, waits (bounded) for every ``closed``, pauses 0..--teacher-pause s,
   and pushes the next question;
3. everyone disconnects.

Measured with one monotonic clock: joins, fan-out (push sent -> ``question`` received),
ack (answer sent -> ``answered``), count complete (last answer of the classroom's round
sent -> the teacher's tally counts every answer), closed fan-out. The server processes'
CPU is sampled every --bucket s during the rounds; since the classrooms overlap, the CPU
per answer, per push and per close of each process is fitted by least squares over these
buckets (CPU ~ answers + pushes + closes + background per second). RSS per connection,
CPU of Redis and PostgreSQL: as in bench/load.py. Talks to 127.0.0.1 only; every wait is
bounded. Writes one JSON document to --out.
"""

import argparse
import asyncio
import bisect
import json
import resource
import sys

from load import (
    Bench,
    LoopLag,
    ServerProbe,
    Student,
    Teacher,
    connect_report,
    connect_stats,
    describe_failure,
    disconnect,
    fmt,
    now,
    output_args,
    percentiles,
    round_phase,
    run_client,
    target_args,
    wait_for,
)


class NoProbe:
    """round_phase() measures CPU per round; in a school the rounds overlap, so the CPU is
    sampled over time instead (cpu_sampler) and this stands in for the per-round probe."""

    def cpu_now(self):
        return {}

    @staticmethod
    def cpu_delta(a, b):
        return {}


class NoLag:
    def take(self):
        return None


def serving(name: str) -> bool:
    return name.startswith("daphne") or name == "reference"


async def cpu_sampler(probe: ServerProbe, interval: float, samples: list, stop: asyncio.Event):
    """(time, CPU seconds of each process) every `interval` s until `stop` is set."""
    while True:
        samples.append((now(), probe.cpu_now()))
        if await wait_for(stop, interval):
            samples.append((now(), probe.cpu_now()))
            return


def least_squares(rows: list[list[float]], ys: list[float]) -> list[float] | None:
    """Solves the normal equations of rows·beta ≈ ys (Gaussian elimination, partial
    pivoting); None when they are singular (an event kind that never varied)."""
    k = len(rows[0])
    a = [[sum(r[i] * r[j] for r in rows) for j in range(k)] + [sum(r[i] * y for r, y in zip(rows, ys))] for i in range(k)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-9 * max(1.0, max(abs(a[i][i]) for i in range(k))):
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(k):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][k] / a[i][i] for i in range(k)]


def fit_cpu(samples: list, events: dict[str, list[float]]) -> dict:
    """CPU ms of each process per answer, per push and per close, and its background ms per
    second, fitted over the sampling buckets. `events`: kind -> times the client sent them."""
    kinds = ["answer", "push", "close"]
    times = {kind: sorted(events[kind]) for kind in kinds}
    rows, ys = [], {}
    for (t0, c0), (t1, c1) in zip(samples, samples[1:]):
        if t1 <= t0:
            continue
        rows.append([bisect.bisect_left(times[k], t1) - bisect.bisect_left(times[k], t0) for k in kinds] + [t1 - t0])
        deltas = {name: (c1[name] - c0[name]) * 1000 for name in c1 if name in c0}
        deltas["server"] = sum(v for name, v in deltas.items() if serving(name))
        for name, v in deltas.items():
            ys.setdefault(name, []).append(v)
    out = {"buckets": len(rows), "events": {k: len(v) for k, v in times.items()}, "processes": {}}
    if len(rows) < 2 * (len(kinds) + 1):
        out["note"] = "too few buckets to fit"
        return out
    for name, y in ys.items():
        beta = least_squares(rows, y)
        if beta is None:
            out["processes"][name] = None
            continue
        mean = sum(y) / len(y)
        ss_tot = sum((v - mean) ** 2 for v in y)
        ss_res = sum((v - sum(b * x for b, x in zip(beta, r))) ** 2 for r, v in zip(rows, y))
        out["processes"][name] = {
            "answer_ms": round(beta[0], 3),
            "push_ms": round(beta[1], 2),
            "close_ms": round(beta[2], 2),
            "background_ms_per_s": round(beta[3], 1),
            "r2": round(1 - ss_res / ss_tot, 3) if ss_tot else None,
            "total_ms": round(sum(y)),
        }
    return out


def classroom_benches(args, state: dict) -> list[Bench]:
    """One bench.load.Bench per classroom: its code and teacher session, its own random
    stream, and the ports rotated so that the teachers spread over the processes too."""
    ports = args.ports.split(",")
    benches = []
    for k, room in enumerate(state["classrooms"]):
        ns = argparse.Namespace(**vars(args))
        rotated = ports[k % len(ports):] + ports[: k % len(ports)]
        ns.ports = rotated[0] if args.together else ",".join(rotated)
        ns.seed = args.seed * 1_000_003 + k
        ns.burst_round = 0  # no all-at-once round: every student answers after 0..spread s
        benches.append(Bench(ns, room))
    return benches


async def connect_school(benches: list[Bench], args, lag: LoopLag) -> dict:
    sem = asyncio.Semaphore(args.concurrency)
    teacher_failures = {}

    async def start_teacher(b: Bench):
        async with sem:
            b.teacher = Teacher(b)
            try:
                await b.teacher.start()
            except Exception as exc:  # noqa: BLE001 - a classroom without its teacher is skipped
                teacher_failures[b.state["code"]] = describe_failure(exc, "teacher")
                if b.teacher.ws is not None:
                    await b.teacher.ws.close()
                b.teacher = None

    await asyncio.gather(*(start_teacher(b) for b in benches))
    live = [b for b in benches if b.teacher is not None]
    for b in live:
        b.students = [Student(b, i) for i in range(args.students_per_class)]
    # Students of all classrooms arrive mixed, as in a school at 9:00.
    order = [b.students[i] for i in range(args.students_per_class) for b in live]
    stats = connect_stats()
    lag.take()
    t0 = now()
    await asyncio.gather(*(s.start(sem, stats) for s in order))
    elapsed = now() - t0
    for b in live:
        b.teacher.watch_connected(sum(1 for s in b.students if s.joined.is_set()))
    await asyncio.gather(*(wait_for(b.teacher.connected_event, args.op_timeout) for b in live))
    sees = [b.teacher.connected_at - t0 for b in live if b.teacher.connected_at is not None]
    out = connect_report(stats, len(benches) * args.students_per_class, elapsed, args.concurrency)
    out.update(
        teachers_connected=len(live),
        teacher_failures=teacher_failures,
        classrooms_all_joined=sum(1 for b in live if all(s.joined.is_set() for s in b.students)),
        teacher_sees_all_connected_ms=percentiles(sees),
        teachers_never_saw_all_connected=len(live) - len(sees),
        client_max_loop_lag_ms=lag.take(),
    )
    return out


async def play_classroom(b: Bench, k: int, args, questions: list, results: list, aborted: dict):
    rng = b.rng
    try:
        await asyncio.sleep(rng.uniform(0, args.teacher_pause))
        for i in range(1, args.questions + 1):
            q = questions[(k + i - 1) % len(questions)]
            r = await round_phase(b, i, q["id"], NoLag(), NoProbe())
            for key in ("_fanout", "_acks", "cpu_ms", "client_max_loop_lag_ms"):
                r.pop(key, None)
            r["classroom"] = b.state["code"]
            results.append(r)
            if i < args.questions:
                await asyncio.sleep(rng.uniform(0, args.teacher_pause))
    except Exception as exc:  # noqa: BLE001 - e.g. the teacher's socket closed: the classroom stops
        aborted[b.state["code"]] = describe_failure(exc, "round")


def school_figures(benches: list[Bench]) -> dict:
    """Latencies over every round of every classroom, from the rounds' own records."""
    fanout, acks, closed, complete, teacher_q = [], [], [], [], []
    sent = acked = not_complete = 0
    errors = {}
    events = {"answer": [], "push": [], "close": []}
    for b in benches:
        for rnd in b.round_states:
            if rnd.t_push is not None:
                events["push"].append(rnd.t_push)
                fanout += [t - rnd.t_push for t in rnd.question_at.values()]
                if rnd.teacher_question_at:
                    teacher_q.append(rnd.teacher_question_at - rnd.t_push)
            if rnd.t_close is not None:
                events["close"].append(rnd.t_close)
                closed += [t - rnd.t_close for t in rnd.closed_at.values()]
            events["answer"] += rnd.answer_sent.values()
            acks += [rnd.answer_acked[i] - rnd.answer_sent[i] for i in rnd.answer_acked if i in rnd.answer_sent]
            sent += len(rnd.answer_sent)
            acked += len(rnd.answer_acked)
            for code, n in rnd.answer_errors.items():
                errors[code] = errors.get(code, 0) + n
            last = max(rnd.answer_sent.values(), default=None)
            if last is not None and rnd.tally_converged_at is not None:
                complete.append(rnd.tally_converged_at - last)
            elif last is not None:
                not_complete += 1
    return {
        "fanout_ms": percentiles(fanout),
        "teacher_question_ms": percentiles(teacher_q),
        "ack_ms": percentiles(acks),
        "count_complete_ms": percentiles(complete),
        "count_not_complete": not_complete,
        "closed_fanout_ms": percentiles(closed),
        "answers_sent": sent,
        "answers_acked": acked,
        "answer_errors": errors,
        "_events": events,
    }


async def main_async(args) -> dict:
    with open(args.state, encoding="utf-8") as f:
        state = json.load(f)
    if args.classrooms:
        state["classrooms"] = state["classrooms"][: args.classrooms]
    benches = classroom_benches(args, state)
    probe = ServerProbe(args.server_pid)
    lag = LoopLag()
    lag.start()
    probe.sample("start")
    t_start = now()
    connect = await connect_school(benches, args, lag)
    print(
        f"[school:{args.target}] {connect['joined']}/{connect['requested']} students joined in {connect['seconds']} s, "
        f"{connect['teachers_connected']}/{len(benches)} teachers",
        file=sys.stderr,
        flush=True,
    )
    await asyncio.sleep(args.pause)
    probe.sample("connected")
    samples, stop = [], asyncio.Event()
    sampler = asyncio.ensure_future(cpu_sampler(probe, args.bucket, samples, stop))
    results, aborted = [], {}
    t_rounds = now()
    live = [b for b in benches if b.teacher is not None]
    await asyncio.gather(*(play_classroom(b, k, args, state["questions"], results, aborted) for k, b in enumerate(benches) if b in live))
    rounds_s = now() - t_rounds
    stop.set()
    await sampler
    rounds_lag = lag.take()
    probe.sample("end")
    figures = school_figures(live)
    events = figures.pop("_events")
    print(
        f"[school:{args.target}] {len(results)} rounds in {rounds_s:.1f} s: fan-out p99 {fmt(figures['fanout_ms'], 'p99')} ms, "
        f"ack p99 {fmt(figures['ack_ms'], 'p99')} ms, count complete p99 {fmt(figures['count_complete_ms'], 'p99')} ms",
        file=sys.stderr,
        flush=True,
    )
    for b in benches:
        b.closing = True
    disconnect_s = await disconnect([s for b in live for s in b.students], args.concurrency, args.op_timeout)
    for b in live:
        try:
            await asyncio.wait_for(b.teacher.ws.close(), 5)
        except Exception:  # noqa: BLE001
            pass

    per_port = connect["per_port"]
    connections_by_proc = {}
    for name, _, _ in probe.procs:
        if name.startswith("daphne") and ":" in name:
            port = name.split(":")[1]
            teachers = sum(1 for b in live if str(b.ports[0]) == port)
            connections_by_proc[name] = per_port.get(port, 0) + teachers
        elif name == "reference":
            connections_by_proc[name] = connect["joined"] + len(live)
    cpu_rounds_ms = {}
    if len(samples) >= 2:
        (_, c0), (_, c1) = samples[0], samples[-1]
        cpu_rounds_ms = {name: round((c1[name] - c0[name]) * 1000) for name in c1 if name in c0}
        cpu_rounds_ms["server"] = sum(v for name, v in cpu_rounds_ms.items() if serving(name))
    n_answers = figures["answers_sent"]
    errors, closes = {}, {}
    for b in benches:
        for key, value in b.error_frames.items():
            errors[key] = errors.get(key, 0) + value
        for key, value in b.unexpected_closes.items():
            closes[key] = closes.get(key, 0) + value
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "target": args.target,
        "mode": "school",
        "classrooms": len(benches),
        "students_per_class": args.students_per_class,
        "students": len(benches) * args.students_per_class,
        "questions": args.questions,
        "ports": [int(p) for p in args.ports.split(",")],
        "spread_s": args.spread,
        "teacher_pause_s": args.teacher_pause,
        "connect": connect,
        **figures,
        "rounds_played": len(results),
        "classrooms_aborted": aborted,
        "rounds_s": round(rounds_s, 2),
        "rounds_detail": results,
        "error_frames": errors,
        "unexpected_closes": closes,
        "disconnect_s": round(disconnect_s, 2),
        "elapsed_s": round(now() - t_start, 2),
        "server": probe.report(connections_by_proc),
        "machine": probe.machine_report(),
        "cpu_rounds_ms": cpu_rounds_ms,
        # Everything each process used during the rounds, divided by the answers sent.
        "cpu_ms_per_answer_all_in": {k: round(v / n_answers, 3) for k, v in cpu_rounds_ms.items()} if n_answers else None,
        "cpu_fit": {"bucket_s": args.bucket, **fit_cpu(samples, events)},
        "client_max_loop_lag_ms": {"connect": connect["client_max_loop_lag_ms"], "rounds": rounds_lag},
        "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "client_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target_args(p, "JSON from bench/seed.py --classrooms C")
    p.add_argument("--classrooms", type=int, default=None, help="use the first C classrooms of the state (default all)")
    p.add_argument("--students-per-class", type=int, default=30)
    p.add_argument("--questions", type=int, default=3, help="rounds per classroom")
    p.add_argument("--concurrency", type=int, default=200, help="connects + joins in flight")
    p.add_argument("--spread", type=float, default=5.0, help="each student answers after 0..S seconds")
    p.add_argument("--together", action="store_true", help="every socket of classroom k on port k mod P")
    p.add_argument("--teacher-pause", type=float, default=5.0, help="teacher pauses 0..S s before each push")
    p.add_argument("--bucket", type=float, default=1.0, help="CPU sampling interval for the fit, seconds")
    p.add_argument("--op-timeout", type=float, default=30.0, help="bound of every single wait, seconds")
    p.add_argument("--pause", type=float, default=0.5, help="pause between the connect phase and the rounds")
    output_args(p)
    args = p.parse_args(argv)
    if args.students_per_class < 1 or args.questions < 1 or args.concurrency < 1 or args.bucket <= 0:
        p.error("students-per-class, questions and concurrency must be >= 1, bucket > 0")
    return args


def main():
    run_client(main_async, parse_args(), "school")


if __name__ == "__main__":
    main()
