"""Waits until the server has processed every disconnect of a benchmark run.

    python bench/drain.py STATE.json OUT.json [--timeout 60]

After the load client closed its sockets, polls the classroom (every classroom of a
school run) until no student is counted as connected (Alumno.conexiones), and writes how
long that took, or how many were still counted when the wait ended. Runs with the
servers' environment.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

# The Django project under test: the work tree, or the export bench/run.sh --commit made.
ROOT = Path(os.environ.get("QRT_APP_DIR") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "QuestionsRT.settings")

import django  # noqa: E402

django.setup()

from preguntas.models import Alumno  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("state")
    p.add_argument("out")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    state = json.loads(Path(args.state).read_text(encoding="utf-8"))
    aulas = [c["aula"] for c in state.get("classrooms") or [state]]
    # Presence is a counter on Alumno in older versions, a Conexion row per socket in newer.
    if Alumno._meta.get_field("conexiones").is_relation:
        connected = Alumno.objects.filter(aula_id__in=aulas, conexiones__isnull=False).distinct()
    else:
        connected = Alumno.objects.filter(aula_id__in=aulas, conexiones__gt=0)
    t0 = time.monotonic()
    remaining = None
    while True:
        remaining = connected.count()
        if remaining == 0 or time.monotonic() - t0 >= args.timeout:
            break
        time.sleep(0.25)
    result = {
        "drained": remaining == 0,
        "seconds": round(time.monotonic() - t0, 2),
        "still_marked_connected": remaining,
        "timeout_s": args.timeout,
    }
    Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"[drain] {'every disconnect processed' if remaining == 0 else f'{remaining} students still counted as connected'} after {result['seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
