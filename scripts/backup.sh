#!/bin/sh
# Back up the database (pg_dump -Fc, or SQLite's online backup in embedded mode) and MEDIA_ROOT
# into a new timestamped folder under BACKUP_DIR (default var/backups/), with a manifest.
# Usage: scripts/backup.sh [--output-dir DIR]            (make backup)
# The work is done by compact_portal/backup.py; see its docstring.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${PYTHON:-}" ]; then :; elif [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python; fi
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" exec "$PYTHON" -m compact_portal.backup backup "$@"
