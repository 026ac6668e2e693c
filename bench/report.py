"""Checks the database after a benchmark run and writes the report.

    python bench/report.py --project P.json [--reference R.json] --state STATE.json \
        --meta META.json --out RESULT.json

Reads the load client's results, counts in the database the answers stored per round
(and duplicates, which must be 0), merges everything into one JSON document written to
--out, and prints the summary table. Runs with the servers' environment (DATABASE_URL).
A school run (bench/school.py, whose results say "mode": "school") gets its own summary
and table: the same database check over every classroom's rounds.
"""

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

# The Django project under test: the work tree, or the export bench/run.sh --commit made.
ROOT = Path(os.environ.get("QRT_APP_DIR") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "QuestionsRT.settings")


def aulas(state: dict) -> list[int]:
    """The classrooms of a seed: a school's (bench/seed.py --classrooms) or the one."""
    return [c["aula"] for c in state.get("classrooms") or [state]]


def db_check(project: dict, state: dict) -> dict:
    import django

    django.setup()
    from django.db.models import Count

    from preguntas.models import Alumno, Respuesta, Ronda

    rounds = []
    total_sent = total_stored = total_dupes = 0
    for r in project["rounds_detail"]:
        if r["round"] is None:
            continue
        stored = Respuesta.objects.filter(ronda_id=r["round"]).count()
        dupes = (
            Respuesta.objects.filter(ronda_id=r["round"])
            .values("alumno_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        closed = Ronda.objects.filter(pk=r["round"], cerrada__isnull=False).exists()
        rounds.append(
            {
                "round": r["round"],
                "sent": r["answers_sent"],
                "acked": r["answers_acked"],
                "stored": stored,
                "duplicates": dupes,
                "closed": closed,
            }
        )
        total_sent += r["answers_sent"]
        total_stored += stored
        total_dupes += dupes
    return {
        "students_in_db": Alumno.objects.filter(aula_id__in=aulas(state)).count(),
        "students_joined": project["connect"]["joined"],
        "answers_sent": total_sent,
        "answers_stored": total_stored,
        "answers_lost": total_sent - total_stored,
        "duplicates": total_dupes,
        "rounds": rounds,
    }


ACCESS_LINE = re.compile(r"^\S+:\d+ - - \[")  # Daphne's access log: WSCONNECTING, WSCONNECT, ...


def scan_logs(logs_dir: str) -> dict:
    """Tracebacks and other messages (not the access log) in each server log."""
    out = {}
    for path in sorted(Path(logs_dir).glob("daphne-*.log")) + sorted(Path(logs_dir).glob("reference.log")):
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
        exceptions = Counter()
        for line in text:
            if not line.strip() or line[0].isspace() or ACCESS_LINE.match(line) or line.startswith(
                ("Traceback", "During handling", "[reference]")
            ):
                continue
            exceptions[line.strip()[:200]] += 1
        out[path.name] = {
            "lines": len(text),
            "tracebacks": sum(1 for line in text if line.startswith("Traceback")),
            "exceptions": dict(exceptions.most_common(10)),
            "last_lines": text[-5:],
        }
    return out


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 2)


def get(d, *path):
    for key in path:
        if d is None:
            return None
        d = d.get(key) if isinstance(d, dict) else None
    return d


def noise(load: dict | None) -> dict | None:
    """CPU seconds used by processes outside the benchmark while it ran (a shared machine)."""
    if not load or not load.get("machine"):
        return None
    m = load["machine"].values()
    return {
        "wall_s": round(sum(x["wall_s"] for x in m), 1),
        "other_processes_cpu_s": round(sum(x["other_processes_cpu_s"] for x in m), 1),
        "cpu_pressure_stall_s": round(sum(x["cpu_pressure_stall_s"] or 0 for x in m), 1),
    }


def cpu_costs(load: dict | None) -> dict | None:
    """Median CPU of the serving processes per fan-out, per answer and per close."""
    if not load:
        return None
    rounds = [r for r in load["rounds_detail"] if r.get("cpu_ms")]
    if not rounds:
        return None

    def median(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2] if xs else None

    burst = [r for r in rounds if r["mode"] == "burst"]
    per_answer = [r["cpu_ms"]["answers"]["server"] / r["answers_sent"] for r in rounds if r["answers_sent"]]
    return {
        # Only the burst round's fan-out interval is free of answers.
        "fanout_burst_round": median([r["cpu_ms"]["fanout"]["server"] for r in burst]),
        "fanout_all_rounds_median": median([r["cpu_ms"]["fanout"]["server"] for r in rounds]),
        "per_answer_median": round(median(per_answer), 2) if per_answer else None,
        "close_median": median([r["cpu_ms"]["close"]["server"] for r in rounds]),
        "postgres_per_round_median": median(
            [sum(r["cpu_ms"][k].get("postgres", 0) for k in ("fanout", "answers", "close")) for r in rounds]
        ),
        "redis_per_round_median": median(
            [sum(r["cpu_ms"][k].get("redis", 0) for k in ("fanout", "answers", "close")) for r in rounds]
        ),
    }


def summary(project: dict, reference: dict | None, db: dict | None) -> dict:
    daphne = {k: v for k, v in project["server"].items() if k.startswith("daphne")}
    tallies = [t for t in project["tally_convergence_s"] if t is not None]
    s = {
        "students": project["students"],
        "rounds": project["rounds"],
        "joined": project["connect"]["joined"],
        "connect_failures": project["connect"]["failures"],
        "connect_s": project["connect"]["seconds"],
        "handshake_ms": project["connect"]["handshake_ms"],
        "join_ms": project["connect"]["join_ms"],
        "teacher_sees_all_connected_s": project["connect"]["teacher_sees_all_connected_s"],
        "fanout_ms": project["fanout_ms"],
        "ack_ms": project["ack_ms"],
        "ack_ms_burst": project["ack_ms_burst"],
        "tally_convergence_s": project["tally_convergence_s"],
        "tally_convergence_max_s": max(tallies) if tallies else None,
        "tally_not_converged": sum(1 for t in project["tally_convergence_s"] if t is None),
        "error_frames": project["error_frames"],
        "unexpected_closes": project["unexpected_closes"],
        "daphne_cpu_s": {k: v.get("cpu_s_total") for k, v in daphne.items()},
        "daphne_cpu_s_connect": {k: v.get("cpu_s_connect") for k, v in daphne.items()},
        "daphne_peak_rss_mib": {k: v.get("peak_rss_mib") for k, v in daphne.items()},
        "daphne_rss_kib_per_connection": {k: v.get("rss_kib_per_connection") for k, v in daphne.items()},
        "redis_cpu_s": get(project, "server", "redis", "cpu_s_total"),
        "postgres_cpu_s": get(project, "server", "postgres", "cpu_s_total"),
    }
    s["machine_noise"] = noise(project)
    s["server_cpu_ms"] = cpu_costs(project)
    db_fields(s, db)
    if reference:
        s["reference"] = {
            "joined": reference["connect"]["joined"],
            "connect_s": reference["connect"]["seconds"],
            "fanout_ms": reference["fanout_ms"],
            "ack_ms": reference["ack_ms"],
            "tally_convergence_s": reference["tally_convergence_s"],
            "machine_noise": noise(reference),
            "server_cpu_ms": cpu_costs(reference),
            "cpu_s": get(reference, "server", "reference", "cpu_s_total"),
            "peak_rss_mib": get(reference, "server", "reference", "peak_rss_mib"),
            "rss_kib_per_connection": get(reference, "server", "reference", "rss_kib_per_connection"),
        }
        s["fanout_ratio"] = {
            "p50": ratio(get(project, "fanout_ms", "p50"), get(reference, "fanout_ms", "p50")),
            "p99": ratio(get(project, "fanout_ms", "p99"), get(reference, "fanout_ms", "p99")),
        }
    return s


def db_fields(s: dict, db: dict | None):
    if db:
        s["answers_sent"] = db["answers_sent"]
        s["answers_stored"] = db["answers_stored"]
        s["answers_lost"] = db["answers_lost"]
        s["duplicates"] = db["duplicates"]


class Rows(list):
    """Lines of the summary table: figure | project | reference."""

    def __init__(self, width: int = 40, ref_width: int = 14):
        super().__init__()
        self.width, self.ref_width = width, ref_width

    def head(self):
        self.append(f"| {'figure':<{self.width}} | {'project':>22} | {'reference':>{self.ref_width}} |")
        self.append(f"|{'-' * (self.width + 2)}|{'-' * 24}:|{'-' * (self.ref_width + 1)}:|")

    def row(self, label, proj, refv=""):
        self.append(f"| {label:<{self.width}} | {str(proj):>22} | {str(refv):>{self.ref_width}} |")


def pct(d, *keys):
    if not d:
        return "-"
    return " / ".join(f"{d[k]:.0f}" for k in keys)


def outcome_rows(lines: Rows, s: dict):
    """Answers stored vs sent, duplicates, disconnects processed, failures."""
    row = lines.row
    if "answers_sent" in s:
        row("answers sent / stored / lost", f"{s['answers_sent']} / {s['answers_stored']} / {s['answers_lost']}")
        row("duplicate answers in DB", s["duplicates"])
    if s.get("still_marked_connected") is not None:
        row("all disconnects processed after, s", s["disconnects_drained_s"] if s["disconnects_drained_s"] is not None else "never")
        row("students still counted connected", s["still_marked_connected"])
    row("connect failures", sum(s["connect_failures"].values()))
    row("error frames", sum(s["error_frames"].values()))
    row("unexpected closes", sum(s["unexpected_closes"].values()))


def noise_row(lines: Rows, s: dict, ref: dict):
    nz, rnz = s.get("machine_noise"), ref.get("machine_noise")
    show = lambda n: f"{n['other_processes_cpu_s']} of {n['wall_s']}" if n else "-"  # noqa: E731
    lines.row("other processes' CPU s during the run", show(nz), show(rnz) if rnz else "")


def problems(result: dict) -> list[str]:
    """Tracebacks and other messages in the server logs; failures, error frames and
    unexpected closes by kind."""
    s = result["summary"]
    lines = []
    for name, info in (result.get("server_logs") or {}).items():
        if info["tracebacks"] or info["exceptions"]:
            lines.append(f"{name}: {info['tracebacks']} tracebacks; " + "; ".join(f"{k} x{v}" for k, v in info["exceptions"].items()))
    for label, d in (
        ("connect failures", s["connect_failures"]),
        ("error frames", s["error_frames"]),
        ("unexpected closes", s["unexpected_closes"]),
    ):
        if d:
            lines.append(f"{label}: " + ", ".join(f"{k} x{v}" for k, v in d.items()))
    return lines


def table(result: dict) -> str:
    s = result["summary"]
    ref = s.get("reference") or {}
    p = result["project"]
    lines = Rows()
    row = lines.row
    m = result["meta"]
    lines.append(
        f"QuestionsRT bench {m.get('timestamp')}: {s['students']} students, {s['rounds']} rounds, "
        f"{m.get('procs')} Daphne process(es), layer {m.get('layer')}, server core {m.get('server_core')}, "
        f"client core {m.get('client_core')}, nice {m.get('nice', 0)}"
    )
    lines.append(f"servers ran: {m.get('source')}")
    lines.head()
    row("students joined", f"{s['joined']}/{s['students']}", ref.get("joined", ""))
    row("connect burst, s", s["connect_s"], ref.get("connect_s", ""))
    row("handshake p50/p99/max, ms", pct(s["handshake_ms"], "p50", "p99", "max"))
    row("join p50/p99/max, ms", pct(s["join_ms"], "p50", "p99", "max"))
    row("teacher sees all connected, s", s["teacher_sees_all_connected_s"])
    row("fan-out p50/p95/p99/max, ms", pct(s["fanout_ms"], "p50", "p95", "p99", "max"), pct(ref.get("fanout_ms"), "p50", "p95", "p99", "max"))
    if "fanout_ratio" in s:
        row("fan-out ratio project/reference p50", s["fanout_ratio"]["p50"])
        row("fan-out ratio project/reference p99", s["fanout_ratio"]["p99"])
    row("ack p50/p99/max, ms (all rounds)", pct(s["ack_ms"], "p50", "p99", "max"), pct(ref.get("ack_ms"), "p50", "p99", "max"))
    row("ack p50/p99/max, ms (burst round)", pct(s["ack_ms_burst"], "p50", "p99", "max"))
    tc = [t for t in s["tally_convergence_s"] if t is not None]
    row("tally convergence median/max, s", f"{sorted(tc)[len(tc) // 2]:.2f} / {max(tc):.2f}" if tc else "-")
    row("rounds whose tally never converged", s["tally_not_converged"])
    outcome_rows(lines, s)
    for name in s["daphne_cpu_s"]:
        row(f"{name} CPU s (connect / total)", f"{s['daphne_cpu_s_connect'][name]} / {s['daphne_cpu_s'][name]}")
        row(f"{name} peak RSS MiB", s["daphne_peak_rss_mib"][name], ref.get("peak_rss_mib", ""))
        row(f"{name} RSS per connection KiB", s["daphne_rss_kib_per_connection"][name], ref.get("rss_kib_per_connection", ""))
    row("server CPU s (Daphne total / reference)", round(sum(v or 0 for v in s["daphne_cpu_s"].values()), 2), ref.get("cpu_s", ""))
    row("redis CPU s / postgres CPU s", f"{s['redis_cpu_s']} / {s['postgres_cpu_s']}")
    sc, rsc = s.get("server_cpu_ms") or {}, ref.get("server_cpu_ms") or {}
    row("server CPU ms per fan-out (burst round)", sc.get("fanout_burst_round", "-"), rsc.get("fanout_burst_round", ""))
    row("server CPU ms per answer (median)", sc.get("per_answer_median", "-"), rsc.get("per_answer_median", ""))
    row("server CPU ms per close (median)", sc.get("close_median", "-"), rsc.get("close_median", ""))
    row("postgres / redis CPU ms per round", f"{sc.get('postgres_per_round_median')} / {sc.get('redis_per_round_median')}")
    noise_row(lines, s, ref)
    lines.append("")
    lines.append("per round (project): mode, fan-out p50/p99/max ms, ack p50/p99 ms, tally s, closed p99 ms, server CPU ms fan-out/answers/close")
    for r in p["rounds_detail"]:
        lines.append(
            f"  {r['index']:>2} {r['mode']:<6} fan-out {pct(r['fanout_ms'], 'p50', 'p99', 'max'):>18}"
            f"  ack {pct(r['ack_ms'], 'p50', 'p99'):>12}  tally {r['tally_convergence_s']}"
            f"  closed p99 {pct(r['closed_fanout_ms'], 'p99')}  got {r['question_received']}/{r['students']}"
            f" acked {r['answers_acked']}/{r['answers_sent']}"
            + (
                f"  cpu {r['cpu_ms']['fanout']['server']}/{r['cpu_ms']['answers']['server']}/{r['cpu_ms']['close']['server']}"
                if r.get("cpu_ms")
                else ""
            )
        )
    lines += problems(result)
    return "\n".join(lines)


def school_processes(load: dict) -> dict:
    """Per serving process (each Daphne, or the reference server): sockets, CPU (connect
    burst / rounds / whole load), memory, and the fitted CPU per answer / push / close."""
    fit = get(load, "cpu_fit", "processes") or {}
    out = {}
    for name, v in load["server"].items():
        if not (name.startswith("daphne") or name == "reference"):
            continue
        out[name] = {
            "connections": v.get("connections"),
            "cpu_s_connect": v.get("cpu_s_connect"),
            "cpu_s_rounds": v.get("cpu_s_rounds"),
            "cpu_s_total": v.get("cpu_s_total"),
            "peak_rss_mib": v.get("peak_rss_mib"),
            "rss_kib_per_connection": v.get("rss_kib_per_connection"),
            "cpu_fit": fit.get(name),
            "cpu_ms_per_answer_all_in": get(load, "cpu_ms_per_answer_all_in", name),
        }
    return out


def school_target(load: dict) -> dict:
    """The figures of one target (project or reference) of a school run."""
    c = load["connect"]
    return {
        "classrooms": load["classrooms"],
        "students": load["students"],
        "joined": c["joined"],
        "teachers_connected": c["teachers_connected"],
        "classrooms_all_joined": c["classrooms_all_joined"],
        "connect_s": c["seconds"],
        "handshake_ms": c["handshake_ms"],
        "join_ms": c["join_ms"],
        "teacher_sees_all_connected_ms": c["teacher_sees_all_connected_ms"],
        "fanout_ms": load["fanout_ms"],
        "ack_ms": load["ack_ms"],
        "count_complete_ms": load["count_complete_ms"],
        "count_not_complete": load["count_not_complete"],
        "closed_fanout_ms": load["closed_fanout_ms"],
        "rounds_played": load["rounds_played"],
        "classrooms_aborted": load["classrooms_aborted"],
        "answers_sent_by_client": load["answers_sent"],
        "answers_acked": load["answers_acked"],
        "rounds_s": load["rounds_s"],
        "processes": school_processes(load),
        "server_cpu_ms_per_answer_all_in": get(load, "cpu_ms_per_answer_all_in", "server"),
        "server_cpu_fit": get(load, "cpu_fit", "processes", "server"),
        "machine_noise": noise(load),
        "client_max_loop_lag_ms": load["client_max_loop_lag_ms"],
        "client_cpu_s": load["client_cpu_s"],
    }


def school_summary(project: dict, reference: dict | None, db: dict | None) -> dict:
    c = project["connect"]
    s = {"mode": "school", "students_per_class": project["students_per_class"], "questions": project["questions"]}
    s.update(school_target(project))
    s["connect_failures"] = {**c["failures"], **{f"teacher {k}": 1 for k in c["teacher_failures"]}}
    s["error_frames"] = project["error_frames"]
    s["unexpected_closes"] = project["unexpected_closes"]
    answers = project["answers_sent"]
    for name in ("redis", "postgres"):
        s[name] = {
            "cpu_s_total": get(project, "server", name, "cpu_s_total"),
            "cpu_s_rounds": get(project, "server", name, "cpu_s_rounds"),
            "cpu_ms_per_1000_answers": round(project["cpu_rounds_ms"][name] / answers * 1000)
            if answers and name in project["cpu_rounds_ms"]
            else None,
            "cpu_fit": get(project, "cpu_fit", "processes", name),
        }
    s["machine_noise"] = noise(project)
    db_fields(s, db)
    if reference:
        s["reference"] = school_target(reference)
        s["ratio"] = {
            f"{figure}_{k}": ratio(get(project, figure, k), get(reference, figure, k))
            for figure in ("fanout_ms", "ack_ms", "count_complete_ms", "closed_fanout_ms")
            for k in ("p50", "p99")
        }
    return s


def school_table(result: dict) -> str:
    s = result["summary"]
    ref = s.get("reference") or {}
    ratios = s.get("ratio") or {}
    m = result["meta"]
    lines = Rows(width=48, ref_width=22)
    row = lines.row
    lines.append(
        f"QuestionsRT school bench {m.get('timestamp')}: {s['classrooms']} classrooms x {s['students_per_class']} students, "
        f"{s['questions']} questions each, {m.get('procs')} Daphne process(es), layer {m.get('layer')}, "
        f"server core {m.get('server_core')}, client core {m.get('client_core')}, nice {m.get('nice', 0)}"
    )
    lines.append(f"servers ran: {m.get('source')}")
    lines.head()
    row("students joined", f"{s['joined']}/{s['students']}", ref.get("joined", ""))
    row("teachers connected", f"{s['teachers_connected']}/{s['classrooms']}", ref.get("teachers_connected", ""))
    row("classrooms with every student joined", s["classrooms_all_joined"], ref.get("classrooms_all_joined", ""))
    row("connect burst, s", s["connect_s"], ref.get("connect_s", ""))
    row("handshake p50/p99/max, ms", pct(s["handshake_ms"], "p50", "p99", "max"), pct(ref.get("handshake_ms"), "p50", "p99", "max"))
    row("join p50/p99/max, ms", pct(s["join_ms"], "p50", "p99", "max"), pct(ref.get("join_ms"), "p50", "p99", "max"))
    row("teacher sees all connected p50/p99, ms", pct(s["teacher_sees_all_connected_ms"], "p50", "p99"), pct(ref.get("teacher_sees_all_connected_ms"), "p50", "p99"))
    for label, key in (
        ("fan-out", "fanout_ms"),
        ("ack", "ack_ms"),
        ("teacher's count complete", "count_complete_ms"),
        ("closed fan-out", "closed_fanout_ms"),
    ):
        row(f"{label} p50/p95/p99/max, ms", pct(s[key], "p50", "p95", "p99", "max"), pct(ref.get(key), "p50", "p95", "p99", "max"))
        if ratios:
            row("  ratio project/reference p50 / p99", f"{ratios[key + '_p50']} / {ratios[key + '_p99']}")
    row("classroom rounds played / count never complete", f"{s['rounds_played']} / {s['count_not_complete']}",
        f"{ref['rounds_played']} / {ref['count_not_complete']}" if ref else "")
    outcome_rows(lines, s)
    row("classrooms stopped by an error", len(s["classrooms_aborted"]), len(ref["classrooms_aborted"]) if ref else "")
    def costs(fit):
        fit = fit or {}
        return f"{fit.get('answer_ms', '-')} / {fit.get('push_ms', '-')} / {fit.get('close_ms', '-')}"

    def background(fit):
        fit = fit or {}
        return f"{fit.get('background_ms_per_s', '-')} ({fit.get('r2', '-')})"

    for name, v in s["processes"].items():
        row(f"{name} sockets", v["connections"])
        row(f"{name} CPU s (connect / rounds / total)", f"{v['cpu_s_connect']} / {v['cpu_s_rounds']} / {v['cpu_s_total']}")
        row(f"{name} CPU ms per answer / push / close", costs(v["cpu_fit"]))
        row(f"{name} background CPU ms/s (fit R2)", background(v["cpu_fit"]))
        row(f"{name} peak RSS MiB", v["peak_rss_mib"])
        row(f"{name} RSS per connection KiB", v["rss_kib_per_connection"])
    # All Daphne processes together against the one reference process.
    rp = (ref.get("processes") or {}).get("reference") or {}
    procs = s["processes"].values()
    total = lambda key: round(sum(v[key] or 0 for v in procs), 2)  # noqa: E731
    sockets = sum(v["connections"] or 0 for v in procs)
    rss = sum((v["rss_kib_per_connection"] or 0) * (v["connections"] or 0) for v in procs)
    row("server sockets", sockets, rp.get("connections", ""))
    row("server CPU s (connect / rounds / total)", f"{total('cpu_s_connect')} / {total('cpu_s_rounds')} / {total('cpu_s_total')}",
        f"{rp.get('cpu_s_connect')} / {rp.get('cpu_s_rounds')} / {rp.get('cpu_s_total')}" if rp else "")
    row("server CPU ms per answer / push / close", costs(s.get("server_cpu_fit")), costs(ref.get("server_cpu_fit")) if ref else "")
    row("server background CPU ms/s (fit R2)", background(s.get("server_cpu_fit")), background(ref.get("server_cpu_fit")) if ref else "")
    row("server CPU ms per answer, all in", s["server_cpu_ms_per_answer_all_in"], ref.get("server_cpu_ms_per_answer_all_in", ""))
    row("server peak RSS MiB (sum)", total("peak_rss_mib"), rp.get("peak_rss_mib", ""))
    row("server RSS per connection KiB", round(rss / sockets, 1) if sockets else "-", rp.get("rss_kib_per_connection", ""))
    for name in ("redis", "postgres"):
        v = s[name]
        row(f"{name} CPU s (rounds / total)", f"{v['cpu_s_rounds']} / {v['cpu_s_total']}")
        row(f"{name} CPU ms per 1000 answers, all in", v["cpu_ms_per_1000_answers"])
        row(f"{name} CPU ms per answer / push / close", costs(v["cpu_fit"]))
    row("client max loop lag ms (connect / rounds)", f"{s['client_max_loop_lag_ms']['connect']} / {s['client_max_loop_lag_ms']['rounds']}",
        f"{ref['client_max_loop_lag_ms']['connect']} / {ref['client_max_loop_lag_ms']['rounds']}" if ref else "")
    noise_row(lines, s, ref)
    lines += problems(result)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--project", required=True)
    p.add_argument("--reference")
    p.add_argument("--state", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--drain", help="JSON from bench/drain.py")
    p.add_argument("--logs", help="directory of the server logs to scan for exceptions")
    p.add_argument("--no-db", action="store_true", help="skip the database check")
    args = p.parse_args()
    load = lambda path: json.loads(Path(path).read_text(encoding="utf-8"))  # noqa: E731
    project = load(args.project)
    reference = load(args.reference) if args.reference and Path(args.reference).exists() else None
    state = load(args.state)
    meta = load(args.meta)
    db = None if args.no_db else db_check(project, state)
    school = project.get("mode") == "school"
    summarise = school_summary if school else summary
    result = {"meta": meta, "summary": summarise(project, reference, db), "db": db, "project": project, "reference": reference}
    result["server_logs"] = scan_logs(args.logs) if args.logs else None
    drain = load(args.drain) if args.drain and Path(args.drain).exists() else None
    result["drain"] = drain
    result["summary"]["disconnects_drained_s"] = drain["seconds"] if drain and drain["drained"] else None
    result["summary"]["still_marked_connected"] = drain["still_marked_connected"] if drain else None
    if result["server_logs"]:
        result["summary"]["server_log_tracebacks"] = {k: v["tracebacks"] for k, v in result["server_logs"].items()}
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result["summary"], indent=2, ensure_ascii=False))
    print()
    print((school_table if school else table)(result))
    print()
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
