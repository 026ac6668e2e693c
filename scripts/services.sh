# shellcheck shell=bash
# QuestionsRT service helpers: system packages, the project virtualenv and
# throwaway PostgreSQL / Redis servers for the test suite.
#
# Source this file from bash (it does not change shell options):
#
#   source scripts/services.sh
#   trap stop_services EXIT
#   ensure_system_packages      # redis-server, PostgreSQL, chromium, chromium-driver
#   ensure_venv                 # .venv with requirements-dev.txt (ensure_venv runtime: requirements.txt only)
#   start_redis                 # exports REDIS_URL, QRT_REDIS_PID, QRT_REDIS_PORT, QRT_REDIS_SERVER, QRT_REDIS_DIR
#   start_postgres              # exports DATABASE_URL, QRT_PG_PORT, QRT_PG_BIN, QRT_PG_DIR, QRT_PG_VERSION
#   stop_services               # stops both and removes their temp dirs; safe to call twice
#
# Every server listens on 127.0.0.1 only, on a free port, with its data in a temp dir.

QRT_ROOT="${QRT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
QRT_VENV="${QRT_VENV:-$QRT_ROOT/.venv}"
QRT_DB_NAME="${QRT_DB_NAME:-questionsrt}"
QRT_CHROMIUM="${QRT_CHROMIUM:-/usr/bin/chromium}"
QRT_CHROMEDRIVER="${QRT_CHROMEDRIVER:-/usr/bin/chromedriver}"
export QRT_CHROMIUM QRT_CHROMEDRIVER

_qrt_log() { printf '[services] %s\n' "$*" >&2; }

_qrt_is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root: directly when we are root, else through passwordless sudo.
_qrt_as_root() {
    if _qrt_is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        _qrt_log "need root to run: $*"
        return 1
    fi
}

# apt-get with a wait on the dpkg lock and a few retries (another apt/dpkg may be running).
_qrt_apt() {
    local attempt
    for attempt in 1 2 3 4 5 6; do
        if _qrt_as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"; then
            return 0
        fi
        _qrt_log "apt-get $1 failed (attempt $attempt), retrying in 10s"
        sleep 10
    done
    _qrt_log "apt-get $* failed"
    return 1
}

# Directory holding initdb, pg_ctl and postgres (PATH first, else the newest
# /usr/lib/postgresql/*/bin). Prints nothing and fails when there is none.
_qrt_pg_bindir() {
    local cand dir
    for cand in pg_ctl initdb; do
        if cand=$(command -v "$cand" 2>/dev/null); then
            dir=$(dirname "$(readlink -f "$cand")")
            if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
                printf '%s\n' "$dir"
                return 0
            fi
        fi
    done
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
        printf '%s\n' "$dir"
        return 0
    fi
    return 1
}

# ensure_system_packages [redis] [postgres] [chromium]
# Installs the Debian packages behind whichever of these is missing (all of them by default).
ensure_system_packages() {
    local want=("$@") missing=() item
    [ ${#want[@]} -gt 0 ] || want=(redis postgres chromium)
    for item in "${want[@]}"; do
        case "$item" in
            redis)
                command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
            postgres)
                _qrt_pg_bindir >/dev/null || missing+=(postgresql) ;;
            chromium)
                [ -x "$QRT_CHROMIUM" ] || missing+=(chromium)
                [ -x "$QRT_CHROMEDRIVER" ] || missing+=(chromium-driver) ;;
            *)
                _qrt_log "ensure_system_packages: unknown item '$item'"
                return 2 ;;
        esac
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    _qrt_log "installing system packages: ${missing[*]}"
    _qrt_apt update -q || return 1
    _qrt_apt install -y -q "${missing[@]}" || return 1
}

# Hash of the requirements files that decide what the venv must contain.
_qrt_req_hash() {
    local f files=()
    for f in "$@"; do files+=("$QRT_ROOT/$f"); done
    { python3 -c 'import sys; print(sys.version)'; cat "${files[@]}"; } | sha256sum | cut -d' ' -f1
}

# ensure_venv [runtime]
# Creates .venv with python3 when missing and installs requirements-dev.txt (or, with
# "runtime", requirements.txt) only when the requirements changed since the last install.
ensure_venv() {
    local mode="${1:-dev}" req stamp hash dev_hash
    if [ -x "$QRT_VENV/bin/python" ] && ! "$QRT_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        _qrt_log "$QRT_VENV is broken, recreating it"
        rm -rf "$QRT_VENV"
    fi
    if [ ! -x "$QRT_VENV/bin/python" ]; then
        _qrt_log "creating $QRT_VENV"
        if ! python3 -m venv "$QRT_VENV"; then
            # Debian's own python3 ships venv/ensurepip separately.
            rm -rf "$QRT_VENV"
            _qrt_apt install -y -q python3-venv || return 1
            python3 -m venv "$QRT_VENV" || return 1
        fi
    fi
    dev_hash=$(_qrt_req_hash requirements.txt requirements-dev.txt) || return 1
    if [ "$mode" = runtime ]; then
        # A dev install is a superset of the runtime one.
        if [ "$(cat "$QRT_VENV/.qrt-requirements-dev.sha256" 2>/dev/null)" = "$dev_hash" ]; then
            return 0
        fi
        req=requirements.txt
        stamp="$QRT_VENV/.qrt-requirements-runtime.sha256"
        hash=$(_qrt_req_hash requirements.txt) || return 1
    else
        req=requirements-dev.txt
        stamp="$QRT_VENV/.qrt-requirements-dev.sha256"
        hash=$dev_hash
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
        return 0
    fi
    _qrt_log "installing $req into $QRT_VENV"
    "$QRT_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$QRT_ROOT/$req" || return 1
    printf '%s\n' "$hash" >"$stamp"
}

# Prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# True when something accepts TCP connections on 127.0.0.1:$1.
_qrt_port_open() {
    python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)' "$1"
}

_qrt_redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
    else
        python3 -c 'import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(64).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)' "$1"
    fi
}

# Starts a throwaway redis-server on a free port; exports REDIS_URL and QRT_REDIS_*.
start_redis() {
    local server dir port pid attempt i
    server=$(command -v redis-server) || { _qrt_log "redis-server not found"; return 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/qrt-redis.XXXXXX") || return 1
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        "$server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
            --dir "$dir" --logfile "$dir/redis.log" </dev/null >/dev/null 2>&1 &
        pid=$!
        for i in $(seq 1 100); do
            if _qrt_redis_ping "$port"; then
                export QRT_REDIS_PID="$pid" QRT_REDIS_PORT="$port" QRT_REDIS_SERVER="$server" QRT_REDIS_DIR="$dir"
                export REDIS_URL="redis://127.0.0.1:$port/0"
                # Fault tests kill this server on purpose: no "Killed" job notice for that.
                disown "$pid" 2>/dev/null || true
                _qrt_log "redis-server $pid listening on 127.0.0.1:$port"
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        _qrt_log "redis-server did not start on port $port (attempt $attempt)"
        tail -n 5 "$dir/redis.log" >&2 2>/dev/null || true
    done
    rm -rf "$dir"
    return 1
}

# Runs a command as the PostgreSQL owner: "postgres" when we are root (PostgreSQL
# refuses to run as root), else the current user.
_qrt_pg_run() {
    if _qrt_is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Starts a throwaway PostgreSQL cluster on a free port and creates the project's
# database in it; exports DATABASE_URL and QRT_PG_*.
start_postgres() {
    local bindir dir port attempt started=
    bindir=$(_qrt_pg_bindir) || { _qrt_log "PostgreSQL server binaries (initdb, pg_ctl) not found"; return 1; }
    if _qrt_is_root && ! id postgres >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres || return 1
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/qrt-pg.XXXXXX") || return 1
    chmod 755 "$dir"
    mkdir -p "$dir/data" "$dir/sock"
    if _qrt_is_root; then chown postgres: "$dir/data" "$dir/sock"; fi
    export QRT_PG_DIR="$dir" QRT_PG_BIN="$bindir"
    if ! _qrt_pg_run "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1; then
        _qrt_log "initdb failed:"
        cat "$dir/initdb.log" >&2
        return 1
    fi
    # pg_ctl writes the server log here, as the server's user.
    touch "$dir/postgres.log"
    if _qrt_is_root; then chown postgres: "$dir/postgres.log"; fi
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        if _qrt_pg_run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null; then
            started=1
            break
        fi
        _qrt_log "PostgreSQL did not start on port $port (attempt $attempt)"
        tail -n 5 "$dir/postgres.log" >&2 || true
    done
    [ -n "$started" ] || return 1
    export QRT_PG_PORT="$port"
    if [ -x "$bindir/createdb" ]; then
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$QRT_DB_NAME" || return 1
    else
        "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
            -c "CREATE DATABASE \"$QRT_DB_NAME\"" || return 1
    fi
    QRT_PG_VERSION=$("$bindir/postgres" --version | sed -n 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/p')
    export QRT_PG_VERSION
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$QRT_DB_NAME"
    _qrt_log "PostgreSQL $QRT_PG_VERSION listening on 127.0.0.1:$port"
}

# Stops the servers started above and removes their temp dirs. Safe to call twice,
# and under `set -e` (nothing in here fails the caller).
stop_services() {
    local pid i
    if [ -n "${QRT_PG_DIR:-}" ]; then
        if [ -f "$QRT_PG_DIR/data/postmaster.pid" ]; then
            pid=$(head -n 1 "$QRT_PG_DIR/data/postmaster.pid" 2>/dev/null || true)
            if ! _qrt_pg_run "$QRT_PG_BIN/pg_ctl" -D "$QRT_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
                if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                    _qrt_log "pg_ctl stop failed, killing postmaster $pid"
                    kill -QUIT "$pid" 2>/dev/null || true
                    sleep 1
                    kill -KILL "$pid" 2>/dev/null || true
                fi
            fi
        fi
        rm -rf "$QRT_PG_DIR" || true
        unset QRT_PG_DIR QRT_PG_PORT QRT_PG_VERSION DATABASE_URL
    fi
    if [ -n "${QRT_REDIS_PID:-}" ]; then
        if kill -0 "$QRT_REDIS_PID" 2>/dev/null; then
            kill "$QRT_REDIS_PID" 2>/dev/null || true
            for i in $(seq 1 50); do
                kill -0 "$QRT_REDIS_PID" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$QRT_REDIS_PID" 2>/dev/null || true
        fi
        wait "$QRT_REDIS_PID" 2>/dev/null || true
        unset QRT_REDIS_PID
    fi
    # A test may have restarted Redis on the same port (with QRT_REDIS_SERVER):
    # shut down whatever still answers there.
    if [ -n "${QRT_REDIS_PORT:-}" ] && _qrt_redis_ping "$QRT_REDIS_PORT"; then
        redis-cli -h 127.0.0.1 -p "$QRT_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    if [ -n "${QRT_REDIS_DIR:-}" ]; then
        rm -rf "$QRT_REDIS_DIR" || true
        unset QRT_REDIS_DIR
    fi
    unset QRT_REDIS_PORT REDIS_URL
    return 0
}
