#!/usr/bin/env bash
# Runs QuestionsRT locally (make run): installs the runtime dependencies into .venv,
# applies migrations, loads the demo data and serves the app with Daphne on
# http://127.0.0.1:8000/ (override with HOST=... PORT=...).
#
# Uses SQLite and the in-memory channel layer unless DATABASE_URL / REDIS_URL are set.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh

ensure_venv runtime
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
.venv/bin/python manage.py collectstatic --noinput -v0
echo "Serving QuestionsRT on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (demo teacher: profesor / profesor; classrooms DEMO01 and DEMO02, with a roster)"
exec .venv/bin/daphne -b "${HOST:-127.0.0.1}" -p "${PORT:-8000}" QuestionsRT.asgi:application
