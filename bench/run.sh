#!/usr/bin/env bash
# QuestionsRT load benchmark (make bench): a classroom of N students on one small server.
#
#   bash bench/run.sh [--students N] [--rounds Q] [--procs P] [--layer pubsub|core]
#                     [--concurrency C] [--spread S] [--timeout SECONDS] [--no-reference]
#                     [--commit REV] [--nice N] [--profile [--cpu-only]]
#
# School mode: C classrooms of S students at the same time, each at its own pace:
#
#   bash bench/run.sh --classrooms C [--students-per-class S] [--questions Q]
#                     [--teacher-pause T] [--spread S] [--procs P] [--together] [...the options above]
#
# (defaults: S=30, Q=3, T=5 s, answers after 0..5 s, P=2 Daphne processes; with only
# --students-per-class, C=100). bench/seed.py creates
# the classrooms, one teacher each; bench/school.py drives them (docs/performance.md,
# "School mode"); the reference server then runs the same school with one room per class.
#
# Starts a throwaway PostgreSQL and Redis (scripts/services.sh), migrates, seeds a teacher,
# a classroom and questions (bench/seed.py), starts P Daphne processes on 127.0.0.1 pinned
# to core 0, and runs the load client (bench/load.py) pinned to core 1: N students connect
# and join, then Q rounds of push / answers / close. Then the same client runs against a
# plain-websockets reference server (bench/reference_server.py) on core 0. bench/report.py
# checks the answers stored in the database and prints the summary; everything goes to
# bench/results/<timestamp>.json, with the logs in bench/results/<timestamp>/.
#
# The servers run the work tree as it is, uncommitted edits included; --commit REV runs
# them from a clean export of that commit instead (this harness stays the work tree's),
# to compare two versions of the product with the same load.
#
# The machine may be shared: the report shows how much CPU other processes took during the
# run. --nice N (root) runs everything the bench starts at nice -N so that other work
# disturbs the latencies less (it slows that other work down meanwhile); where the kernel
# groups processes by session (autogroup), the bench runs in a session of its own whose
# group gets that nice value.
#
# --profile samples each Daphne process with py-spy (installed into .venv when missing)
# during the project's load: bench/results/<timestamp>/profile-<i>.txt, summarised in
# profile-<i>.top.txt by bench/flame_top.py. py-spy samples wall time: a thread waiting for
# PostgreSQL or Redis on the same core counts. --cpu-only keeps only the samples that hold the
# GIL, i.e. Python doing work (py-spy --gil).
#
# Everything listens on 127.0.0.1 only. Every process started here is stopped on exit,
# by PID; a watchdog ends the whole run after --timeout seconds. docs/performance.md
# explains the figures and holds the baseline.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

ORIG_ARGS=("$@")
STUDENTS=2000
ROUNDS=10
PROCS=1
LAYER=pubsub
CONCURRENCY=200
SPREAD=2
TIMEOUT=1800
REFERENCE=1
COMMIT=
NICE=0
PROFILE=0
SPY_ARGS=()
# School mode (bench/school.py): set by --classrooms / --students-per-class.
CLASSROOMS=
PER_CLASS=30
QUESTIONS=3
TEACHER_PAUSE=5
TOGETHER=()
PROCS_SET=0
SPREAD_SET=0
SINGLE_SET=

usage() { sed -n '2,44p' "$0" | sed 's/^# \{0,1\}//'; }

need_int() {
    [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "${3:-1}" ] || { echo "bench: $1 needs an integer >= ${3:-1}, got '$2'" >&2; exit 2; }
}

while [ $# -gt 0 ]; do
    case "$1" in
        --students) need_int "$1" "${2:-}"; STUDENTS=$2; SINGLE_SET=$1; shift 2 ;;
        --rounds) need_int "$1" "${2:-}" 0; ROUNDS=$2; SINGLE_SET=$1; shift 2 ;;
        --classrooms) need_int "$1" "${2:-}"; CLASSROOMS=$2; shift 2 ;;
        --students-per-class) need_int "$1" "${2:-}"; PER_CLASS=$2; CLASSROOMS=${CLASSROOMS:-100}; shift 2 ;;
        --questions) need_int "$1" "${2:-}"; QUESTIONS=$2; shift 2 ;;
        --together) TOGETHER=(--together); shift ;;
        --teacher-pause) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "bench: --teacher-pause needs seconds" >&2; exit 2; }
            TEACHER_PAUSE=$2; shift 2 ;;
        --procs) need_int "$1" "${2:-}"; PROCS=$2; PROCS_SET=1; shift 2 ;;
        --concurrency) need_int "$1" "${2:-}"; CONCURRENCY=$2; shift 2 ;;
        --timeout) need_int "$1" "${2:-}" 60; TIMEOUT=$2; shift 2 ;;
        --spread) [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "bench: --spread needs seconds" >&2; exit 2; }
            SPREAD=$2; SPREAD_SET=1; shift 2 ;;
        --layer) case "${2:-}" in pubsub | core) LAYER=$2 ;; *) echo "bench: --layer is pubsub or core" >&2; exit 2 ;; esac
            shift 2 ;;
        --no-reference) REFERENCE=0; shift ;;
        --profile) PROFILE=1; shift ;;
        --cpu-only) SPY_ARGS=(--gil); shift ;;
        --nice) need_int "$1" "${2:-}" 0; NICE=$2; [ "$NICE" -le 20 ] || { echo "bench: --nice is 0..20" >&2; exit 2; }
            shift 2 ;;
        --commit) [ -n "${2:-}" ] || { echo "bench: --commit needs a revision" >&2; exit 2; }
            COMMIT=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -n "$CLASSROOMS" ]; then
    [ -z "$SINGLE_SET" ] || { echo "bench: $SINGLE_SET is for one classroom; a school takes --students-per-class and --questions" >&2; exit 2; }
    [ "$PROCS_SET" = 1 ] || PROCS=2
    [ "$SPREAD_SET" = 1 ] || SPREAD=5
fi

# With autogroup scheduling, a process's nice value only counts inside its session: run
# the bench in a new session and give that session's group the nice value.
if [ "$NICE" -gt 0 ] && [ "$(id -u)" -eq 0 ] && [ -z "${QRT_BENCH_SESSION:-}" ] \
    && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ] && command -v setsid >/dev/null 2>&1; then
    QRT_BENCH_SESSION=1 setsid bash "$0" "${ORIG_ARGS[@]}" &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null' INT TERM
    while :; do
        wait "$child" && rc=0 || rc=$?
        kill -0 "$child" 2>/dev/null || break
    done
    exit "$rc"
fi
if [ -n "${QRT_BENCH_SESSION:-}" ]; then
    echo "-$NICE" >"/proc/$$/autogroup" || echo "[bench] could not set the session's nice value" >&2
fi

TS=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=bench/results
RUN_DIR="$RESULTS_DIR/$TS"
OUT="$RESULTS_DIR/$TS.json"
mkdir -p "$RUN_DIR"

log() { printf '[bench] %s\n' "$*" >&2; }

# Processes started here (PIDs); only these are ever signalled.
STARTED_PIDS=()
WATCHDOG_PID=
SNAPSHOT_DIR=

stop_pid() {  # stop_pid PID [grace seconds]: TERM, then KILL after the grace period
    local pid=$1 grace=${2:-10} i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "process $pid ignored TERM, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? pid
    set +e
    trap - EXIT INT TERM
    if [ -n "$WATCHDOG_PID" ]; then kill -TERM "$WATCHDOG_PID" 2>/dev/null; wait "$WATCHDOG_PID" 2>/dev/null; fi
    for pid in "${STARTED_PIDS[@]}"; do
        stop_pid "$pid" 10
    done
    [ -n "${QRT_PG_DIR:-}" ] && cp "$QRT_PG_DIR/postgres.log" "$RUN_DIR/postgres.log" 2>/dev/null
    [ -n "${QRT_REDIS_DIR:-}" ] && cp "$QRT_REDIS_DIR/redis.log" "$RUN_DIR/redis.log" 2>/dev/null
    stop_services
    [ -n "$SNAPSHOT_DIR" ] && rm -rf "$SNAPSHOT_DIR"
    [ "$rc" -eq 0 ] || log "failed (exit $rc); logs in $RUN_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The global bound: after TIMEOUT seconds the watchdog stops this script (its EXIT trap
# then stops everything it started).
(
    trap - EXIT
    sleep "$TIMEOUT" &
    sleeper=$!
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    wait "$sleeper"
    echo "[bench] global timeout of ${TIMEOUT}s reached, stopping" >&2
    kill -TERM $$
) &
WATCHDOG_PID=$!

# Runs a command in the background and waits for it (a signal interrupts the wait at once).
run_wait() {
    "$@" &
    local pid=$!
    STARTED_PIDS+=("$pid")
    wait "$pid"
}

wait_port() {  # wait_port PORT PID NAME
    local i
    for i in $(seq 1 600); do
        _qrt_port_open "$1" && return 0
        kill -0 "$2" 2>/dev/null || { log "$3 exited before listening (see $RUN_DIR)"; return 1; }
        sleep 0.1
    done
    log "$3 did not listen on 127.0.0.1:$1 within 60 s"
    return 1
}

# 2,000 sockets on each side need more than the usual 1,024 descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# Server on core 0, load client on core 1 (when the machine has two cores and taskset).
SERVER_CORE=none
CLIENT_CORE=none
PIN_SERVER=()
PIN_CLIENT=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
    SERVER_CORE=0
    CLIENT_CORE=1
    PIN_SERVER=(taskset -c 0)
    PIN_CLIENT=(taskset -c 1)
else
    log "taskset or a second core is missing: processes are not pinned"
fi
if [ "$NICE" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        PIN_SERVER=(nice -n "-$NICE" "${PIN_SERVER[@]}")
        PIN_CLIENT=(nice -n "-$NICE" "${PIN_CLIENT[@]}")
    else
        log "--nice needs root: ignored"
        NICE=0
    fi
fi

ROOT=$PWD
PY="$ROOT/.venv/bin/python"
# The Django project the servers run: the work tree, or a clean export of --commit.
APP_DIR=$ROOT
if [ -n "$COMMIT" ]; then
    SOURCE_SHA=$(git rev-parse --verify --quiet "$COMMIT^{commit}") || { log "unknown revision '$COMMIT'"; exit 2; }
    SNAPSHOT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/qrt-bench-src.XXXXXX")
    git archive "$SOURCE_SHA" | tar -x -C "$SNAPSHOT_DIR"
    APP_DIR=$SNAPSHOT_DIR
    SOURCE="commit $SOURCE_SHA"
    log "servers run commit $(git rev-parse --short "$SOURCE_SHA") (clean export in $SNAPSHOT_DIR)"
else
    SOURCE_SHA=$(git rev-parse HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git status --porcelain --untracked-files=no -- . ':!bench' 2>/dev/null)" ]; then
        SOURCE="work tree at $SOURCE_SHA with uncommitted changes"
    else
        SOURCE="work tree at $SOURCE_SHA"
    fi
fi
export QRT_APP_DIR="$APP_DIR"

ensure_system_packages redis postgres
ensure_venv
if [ "$PROFILE" = 1 ] && [ ! -x "$ROOT/.venv/bin/py-spy" ]; then
    log "installing py-spy into .venv for --profile"
    "$PY" -m pip install --disable-pip-version-check --no-input -q py-spy
fi
start_redis
start_postgres
PG_PID=$(head -n 1 "$QRT_PG_DIR/data/postmaster.pid")
if [ "$SERVER_CORE" != none ]; then
    # Redis and PostgreSQL share the server's core; backends forked later inherit it.
    for pid in "$QRT_REDIS_PID" "$PG_PID" $(cat /proc/"$PG_PID"/task/*/children 2>/dev/null); do
        taskset -a -p -c "$SERVER_CORE" "$pid" >/dev/null 2>&1 || true
    done
fi
if [ "$NICE" -gt 0 ]; then
    for pid in "$QRT_REDIS_PID" "$PG_PID" $(cat /proc/"$PG_PID"/task/*/children 2>/dev/null); do
        renice -n "-$NICE" -p "$pid" >/dev/null 2>&1 || true
    done
fi

# Production-like settings: DEBUG off (no SQL query log), a throwaway key, 127.0.0.1 only.
export DEBUG=0
SECRET_KEY="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export CHANNEL_LAYER_BACKEND="$LAYER"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"

log "migrating the benchmark database"
(cd "$APP_DIR" && "$PY" manage.py migrate --noinput) >"$RUN_DIR/migrate.log" 2>&1 || { cat "$RUN_DIR/migrate.log" >&2; exit 1; }
STATE="$RUN_DIR/state.json"
if [ -n "$CLASSROOMS" ]; then
    "$PY" bench/seed.py "$STATE" --classrooms "$CLASSROOMS"
else
    "$PY" bench/seed.py "$STATE"
fi

PORTS=()
DAPHNE_PIDS=()
PROBES=(--server-pid "redis=$QRT_REDIS_PID" --server-pid "postgres=$PG_PID+")
for ((i = 1; i <= PROCS; i++)); do
    port=$(free_port)
    # Daphne imports the project from its working directory.
    (cd "$APP_DIR" && exec "${PIN_SERVER[@]}" "$ROOT/.venv/bin/daphne" -b 127.0.0.1 -p "$port" \
        QuestionsRT.asgi:application) >"$RUN_DIR/daphne-$i.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    DAPHNE_PIDS+=("$pid")
    PORTS+=("$port")
    PROBES+=(--server-pid "daphne:$port=$pid")
done
for ((i = 0; i < PROCS; i++)); do
    wait_port "${PORTS[$i]}" "${DAPHNE_PIDS[$i]}" "daphne $((i + 1))"
done
log "Daphne x$PROCS on 127.0.0.1:$(IFS=,; echo "${PORTS[*]}") (layer $LAYER), server core $SERVER_CORE, client core $CLIENT_CORE"

# Budget of one load run: the watchdog remains the hard bound.
LOAD_TIMEOUT=$((TIMEOUT - SECONDS - 30))
[ "$LOAD_TIMEOUT" -gt 60 ] || LOAD_TIMEOUT=60
if [ -n "$CLASSROOMS" ]; then
    LOAD=bench/school.py
    LOAD_ARGS=(--state "$STATE" --students-per-class "$PER_CLASS" --questions "$QUESTIONS"
        --teacher-pause "$TEACHER_PAUSE" --concurrency "$CONCURRENCY" --spread "$SPREAD" "${TOGETHER[@]}")
    LOAD_WHAT="$CLASSROOMS classrooms x $PER_CLASS students, $QUESTIONS questions each"
else
    LOAD=bench/load.py
    LOAD_ARGS=(--state "$STATE" --students "$STUDENTS" --rounds "$ROUNDS" --concurrency "$CONCURRENCY" --spread "$SPREAD")
    LOAD_WHAT="$STUDENTS students, $ROUNDS rounds"
fi

SPY_PIDS=()
if [ "$PROFILE" = 1 ]; then
    for ((i = 0; i < PROCS; i++)); do
        "${PIN_CLIENT[@]}" "$ROOT/.venv/bin/py-spy" record --pid "${DAPHNE_PIDS[$i]}" --rate 100 --format raw "${SPY_ARGS[@]}" \
            --nonblocking -o "$RUN_DIR/profile-$((i + 1)).txt" >"$RUN_DIR/py-spy-$((i + 1)).log" 2>&1 &
        SPY_PIDS+=("$!")
        STARTED_PIDS+=("$!")
    done
fi

log "project: $LOAD_WHAT"
run_wait "${PIN_CLIENT[@]}" timeout -k 10 "$LOAD_TIMEOUT" "$PY" "$LOAD" --target project \
    --ports "$(IFS=,; echo "${PORTS[*]}")" "${PROBES[@]}" "${LOAD_ARGS[@]}" --out "$RUN_DIR/project.json"

# End of class: wait (bounded) until the servers processed every disconnect.
"$PY" bench/drain.py "$STATE" "$RUN_DIR/drain.json" --timeout 60 || true

for ((i = 0; i < ${#SPY_PIDS[@]}; i++)); do
    # py-spy writes its profile on SIGINT.
    kill -INT "${SPY_PIDS[$i]}" 2>/dev/null || true
    wait "${SPY_PIDS[$i]}" 2>/dev/null || true
    "$PY" bench/flame_top.py "$RUN_DIR/profile-$((i + 1)).txt" --top 40 >"$RUN_DIR/profile-$((i + 1)).top.txt" 2>&1 || true
done
for pid in "${DAPHNE_PIDS[@]}"; do stop_pid "$pid" 15; done

REF_ARGS=()
if [ "$REFERENCE" = 1 ]; then
    port=$(free_port)
    "${PIN_SERVER[@]}" "$PY" bench/reference_server.py --port "$port" --state "$STATE" >"$RUN_DIR/reference.log" 2>&1 &
    ref_pid=$!
    STARTED_PIDS+=("$ref_pid")
    wait_port "$port" "$ref_pid" "reference server"
    LOAD_TIMEOUT=$((TIMEOUT - SECONDS - 30))
    [ "$LOAD_TIMEOUT" -gt 60 ] || LOAD_TIMEOUT=60
    log "reference: $LOAD_WHAT on plain websockets"
    run_wait "${PIN_CLIENT[@]}" timeout -k 10 "$LOAD_TIMEOUT" "$PY" "$LOAD" --target reference \
        --ports "$port" --server-pid "reference=$ref_pid" "${LOAD_ARGS[@]}" --out "$RUN_DIR/reference.json"
    stop_pid "$ref_pid" 10
    REF_ARGS=(--reference "$RUN_DIR/reference.json")
fi

SCHOOL_META='{}'
if [ -n "$CLASSROOMS" ]; then
    SCHOOL_META="{\"mode\": \"school\", \"classrooms\": $CLASSROOMS, \"students_per_class\": $PER_CLASS, \"questions\": $QUESTIONS, \"teacher_pause_s\": $TEACHER_PAUSE}"
fi
"$PY" - "$RUN_DIR/meta.json" <<EOF
import json, os, platform, subprocess, sys
from importlib.metadata import version

def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return None

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), None)
meta = {
    "timestamp": "$TS",
    "students": $STUDENTS, "rounds": $ROUNDS, "procs": $PROCS, "layer": "$LAYER",
    "concurrency": $CONCURRENCY, "spread_s": $SPREAD,
    "server_core": "$SERVER_CORE", "client_core": "$CLIENT_CORE", "nice": -$NICE,
    "settings": {"DEBUG": False, "ALLOWED_HOSTS": "127.0.0.1", "CHANNEL_LAYER_BACKEND": "$LAYER"},
    "machine": {"cpus": os.cpu_count(), "cpu_model": cpu, "kernel": platform.release(),
                "mem_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
    "python": platform.python_version(),
    "packages": {p: version(p) for p in ("Django", "channels", "channels-redis", "daphne", "Twisted", "redis", "psycopg", "websockets")},
    "postgres": "$QRT_PG_VERSION",
    "redis": sh("$QRT_REDIS_SERVER", "--version"),
    "source": "$SOURCE",
    "bench_commit": sh("git", "rev-parse", "HEAD"),
}
meta.update(json.loads('$SCHOOL_META'))
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF

"$PY" bench/report.py --project "$RUN_DIR/project.json" "${REF_ARGS[@]}" --state "$STATE" \
    --meta "$RUN_DIR/meta.json" --logs "$RUN_DIR" --drain "$RUN_DIR/drain.json" --out "$OUT" | tee "$RUN_DIR/report.txt"
