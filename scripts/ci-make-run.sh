#!/usr/bin/env bash
# Starts `make run` exactly as the README says (no environment of ours), waits until the home
# page answers 200 with the portal's own page, then stops it and everything it started (the web
# server, the Celery worker and beat) by its process group. Fails, showing the log, when the
# command stops early or the page does not answer in time. Used by .ci/run; runs anywhere.
set -uo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
URL="http://127.0.0.1:${PORT}/"
LOG=$(mktemp -t make-run.XXXXXX.log)
TIMEOUT=${MAKE_RUN_TIMEOUT:-900}

if curl -s -o /dev/null "$URL"; then
  echo "ci-make-run: something already answers on $URL; stop it first" >&2
  exit 1
fi

# setsid: the command leads its own process group, so one signal reaches all it starts.
env -u DATABASE_URL -u CELERY_BROKER_URL -u CI setsid make run >"$LOG" 2>&1 &
pid=$!

stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

started=$(date +%s)
while true; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "ci-make-run: 'make run' stopped before the home page answered. Its output:" >&2
    tail -n 80 "$LOG" >&2
    exit 1
  fi
  body=$(curl -s --max-time 5 "$URL" || true)
  if [ -n "$body" ] && grep -q "govuk-header" <<<"$body"; then
    break
  fi
  if [ $(( $(date +%s) - started )) -gt "$TIMEOUT" ]; then
    echo "ci-make-run: the home page did not answer within ${TIMEOUT}s. Output of 'make run':" >&2
    tail -n 80 "$LOG" >&2
    stop
    exit 1
  fi
  sleep 2
done

status=$(curl -s -o /dev/null -w '%{http_code}' "$URL")
stop
wait "$pid" 2>/dev/null
if [ "$status" != "200" ]; then
  echo "ci-make-run: the home page answered $status" >&2
  tail -n 80 "$LOG" >&2
  exit 1
fi
echo "ci-make-run: 'make run' served the home page (200) after $(( $(date +%s) - started ))s; stopped it."
