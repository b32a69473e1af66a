#!/bin/sh
# Restore a backup folder made by scripts/backup.sh into the database of DATABASE_URL (or
# --database-url URL) and MEDIA_ROOT (or --media-root DIR). Checks every file's SHA-256 first and
# refuses a database or media folder that is not empty unless given --force or RESTORE_FORCE=1.
# Usage: scripts/restore.sh var/backups/20270115T080000Z [--force]   (make restore BACKUP=...)
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${PYTHON:-}" ]; then :; elif [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python; fi
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" exec "$PYTHON" -m compact_portal.backup restore "$@"
