"""Checks the database after a benchmark run and writes the report.

    python bench/report.py --project P.json [--reference R.json] --state STATE.json \
        --meta META.json --out RESULT.json

Reads the load client's results, counts in the database the answers stored per round
(and duplicates, which must be 0), merges everything into one JSON document written to
--out, and prints the summary table. Runs with the servers' environment (DATABASE_URL).
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
        "students_in_db": Alumno.objects.filter(aula_id=state["aula"]).count(),
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
    if db:
        s["answers_sent"] = db["answers_sent"]
        s["answers_stored"] = db["answers_stored"]
        s["answers_lost"] = db["answers_lost"]
        s["duplicates"] = db["duplicates"]
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


def table(result: dict) -> str:
    s = result["summary"]
    ref = s.get("reference") or {}
    p = result["project"]
    lines = []

    def row(label, proj, refv=""):
        lines.append(f"| {label:<40} | {str(proj):>22} | {str(refv):>14} |")

    def pct(d, *keys):
        if not d:
            return "-"
        return " / ".join(f"{d[k]:.0f}" for k in keys)

    m = result["meta"]
    lines.append(
        f"QuestionsRT bench {m.get('timestamp')}: {s['students']} students, {s['rounds']} rounds, "
        f"{m.get('procs')} Daphne process(es), layer {m.get('layer')}, server core {m.get('server_core')}, "
        f"client core {m.get('client_core')}, nice {m.get('nice', 0)}"
    )
    lines.append(f"servers ran: {m.get('source')}")
    lines.append(f"| {'figure':<40} | {'project':>22} | {'reference':>14} |")
    lines.append(f"|{'-' * 42}|{'-' * 24}:|{'-' * 15}:|")
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
    if "answers_sent" in s:
        row("answers sent / stored / lost", f"{s['answers_sent']} / {s['answers_stored']} / {s['answers_lost']}")
        row("duplicate answers in DB", s["duplicates"])
    if s.get("still_marked_connected") is not None:
        row("all disconnects processed after, s", s["disconnects_drained_s"] if s["disconnects_drained_s"] is not None else "never")
        row("students still counted connected", s["still_marked_connected"])
    row("connect failures", sum(s["connect_failures"].values()))
    row("error frames", sum(s["error_frames"].values()))
    row("unexpected closes", sum(s["unexpected_closes"].values()))
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
    nz, rnz = s.get("machine_noise"), ref.get("machine_noise")
    show = lambda n: f"{n['other_processes_cpu_s']} of {n['wall_s']}" if n else "-"  # noqa: E731
    row("other processes' CPU s during the run", show(nz), show(rnz) if rnz else "")
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
    result = {"meta": meta, "summary": summary(project, reference, db), "db": db, "project": project, "reference": reference}
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
    print(table(result))
    print()
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
