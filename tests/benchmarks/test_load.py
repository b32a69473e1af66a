"""``make load``'s tooling on a tiny dataset for a few seconds, so that it cannot rot.

Runs ``manage.py load`` as make does (gunicorn, a Celery worker, Locust, the worker killed in the
middle) and checks what holds on any machine: every request of the steady run answered, the
reminders the sweep claimed were each sent once, the PDF asked for was made, the report written.
Times on a shared machine are not asserted (the full run's table holds them).
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

pytestmark = [pytest.mark.postgres]

# A Redis database of its own (the run flushes it): not make load's (10), which may be running beside.
REDIS_URL = os.environ.get("LOAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 - any failure means Redis is not there
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _drop(database_url: str, name: str) -> None:
    import dj_database_url
    import psycopg

    s = dj_database_url.parse(database_url)
    with psycopg.connect(
        dbname="postgres", user=s["USER"] or None, host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_tiny_load_run(tmp_path: Path):
    database_url = os.environ.get("DATABASE_URL", "")
    require(database_url.startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")
    require(_redis_up(), f"needs Redis at {REDIS_URL} (LOAD_REDIS_URL)")
    # Looked for, never imported: importing Locust patches the process with gevent, which deadlocks a
    # pytest process whose earlier tests left threads behind (the browser tests' live server).
    require(
        importlib.util.find_spec("locust") is not None,
        "Locust is not installed (make load installs it: pip install -r requirements-load.txt)",
    )
    name = f"cp_loadtest_bench_{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, CELERY_BROKER_URL=REDIS_URL, DJANGO_DEBUG="false")
    command = [
        sys.executable, "manage.py", "load", "--scale", "0.003", "--database", name, "--broker", REDIS_URL,
        "--port", str(_free_port()), "--steps", "20", "--people", "8", "--step-seconds", "4",
        "--warm-up-seconds", "2", "--steady-seconds", "16", "--single-reps", "1", "--no-docs",
        "--output", str(tmp_path),
    ]  # fmt: skip
    try:
        completed = subprocess.run(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False
        )
    finally:
        _drop(database_url, name)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())

    assert results["saturation"]["saturation"]["rps"] > 0
    steady = results["steady"]
    assert steady["aggregate"]["requests"] > 0
    assert steady["aggregate"]["failures"] == 0
    assert [e["event"] for e in steady["events"]] == [
        "reminder sweep queued",
        "Celery worker killed (SIGKILL)",
        "Celery worker started again",
    ]
    # The coordinator downloaded the PDF (pages of make bench carry its names, for the comparison).
    assert "PDF download (Compact edition)" in steady["requests"]
    assert any(row["single_p95_ms"] is not None for row in results["pages"])
    # Each page alone over HTTP too, beside make bench's in-process figures.
    assert results["alone"]["pages"] and all(p["p95_ms"] > 0 for p in results["alone"]["pages"].values())
    assert any(row["alone_ratio"] is not None for row in results["pages"])

    once = results["exactly_once"]
    assert once["claims"] > 0
    assert once["claims_unsent"] == 0
    assert once["claims_sharing_a_notification"] == 0
    assert once["notifications_unsent"] == 0
    assert once["notifications_emailed"] > 0 and once["emails_missing"] == 0
    # A kill after the mail server took an email and before its commit sends it again (decision 0007).
    assert once["emails_twice"] <= once["worker_kills"] * once["worker_processes"]
    assert once["worker_kills"] == 1
    # Every signatory of the edition the publish replaced was asked to re-affirm (beat's hourly
    # check queues what a killed worker left).
    assert once["reaffirmations_unfinished"] == 0
    assert once["pdfs_requested"] > 0
    assert once["pdfs_ready"] == once["pdfs_requested"]

    text = (tmp_path / "results.md").read_text()
    assert text.startswith("<!-- load:start -->")
    assert "requests/s per CPU core" in text
    assert "| alone over HTTP p95 ms | p95 ÷ alone | in a worker p95 ms |" in text
    # Where the time went: each page's time in a worker (gunicorn's access log) and the cores.
    assert any(row["worker_p95_ms"] is not None for row in results["pages"])
    if Path("/proc/stat").exists():
        assert steady["cpu_samples"]
        assert "Cores busy (every process on the machine, /proc/stat)" in text
