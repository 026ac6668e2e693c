#!/usr/bin/env bash
# Runs the QuestionsRT test suite (make test).
#
# By default the suite runs against real services started just for this run and
# stopped afterwards: a throwaway PostgreSQL cluster (DATABASE_URL) and a throwaway
# Redis server (REDIS_URL, the channel layer), both on free ports on 127.0.0.1.
#
#   bash scripts/test.sh [pytest args...]
#   QRT_FAST=1 bash scripts/test.sh [pytest args...]   # SQLite + in-memory channel layer
#
# Missing system packages (redis-server, postgresql, chromium, chromium-driver) are
# installed with apt-get; the Python dependencies go into .venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${QRT_FAST:-0}" = 1 ]; then
    ensure_system_packages chromium
    ensure_venv
    unset DATABASE_URL REDIS_URL
    # Several server processes need PostgreSQL and Redis: those tests run in `make test` only.
    set -- -m "not multiprocess" "$@"
    echo "Running tests on SQLite and the in-memory channel layer (QRT_FAST=1), without the multiprocess tests"
else
    ensure_system_packages
    ensure_venv
    start_redis
    start_postgres
    redis_version=$("$QRT_REDIS_SERVER" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')
    echo "Running tests on PostgreSQL $QRT_PG_VERSION at 127.0.0.1:$QRT_PG_PORT (database $QRT_DB_NAME)" \
        "and Redis $redis_version at 127.0.0.1:$QRT_REDIS_PORT (channel layer)"
fi

# The consumer's ORM thread must not hold a connection open past a test.
export DB_CONN_MAX_AGE=0

set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e

if [ "$rc" -eq 5 ]; then
    echo "error: pytest collected no tests; an empty run counts as a failure" >&2
    rc=1
fi
exit "$rc"
