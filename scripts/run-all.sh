#!/usr/bin/env bash
# Starts the Celery worker and beat in the background and the web server in front;
# Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# The worker and beat read HOST and PORT too: links in emails and calendar feeds point at this
# server (compact_portal/settings/local.py), unless PORTAL_BASE_URL says otherwise.
export HOST PORT
mkdir -p var/log

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$VENV/bin/celery" -A compact_portal worker --loglevel=INFO --concurrency=1 >var/log/worker.log 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A compact_portal beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

echo "Celery worker and beat are running (logs in var/log/). Emails are written to var/mail/."
echo "Open http://$HOST:$PORT/ — sign in as coordinator, officer or volunteer (password in README.md)."
"$VENV/bin/python" manage.py runserver "$HOST:$PORT"
