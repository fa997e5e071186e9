#!/usr/bin/env bash
# `make run`: the background worker (draft report PDFs, Django Tasks database queue) beside the
# development server. Ctrl-C (or the server exiting for any reason) stops the worker too.
set -euo pipefail
PY="${PY:-.venv/bin/python}"
ADDR="${ADDR:-127.0.0.1:8000}"

# The worker gets its own process group so that it and its autoreloader child stop together.
if command -v setsid >/dev/null 2>&1; then
	setsid "$PY" manage.py db_worker &
else
	"$PY" manage.py db_worker &
fi
WORKER=$!

stop_worker() {
	kill -TERM -- "-$WORKER" 2>/dev/null || kill -TERM "$WORKER" 2>/dev/null || true
	wait "$WORKER" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

"$PY" manage.py runserver "$ADDR"
