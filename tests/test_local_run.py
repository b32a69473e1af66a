"""`make run` on a fresh clone: embedded mode makes its own var/ folder before migrating, and the
links in emails and calendar feeds point at the address the server was started on.

(.ci/run also starts `make run` itself on its clean checkout and waits for the home page:
scripts/ci-make-run.sh.)
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LOCAL = "compact_portal.settings.local"
PRODUCTION = "compact_portal.settings.production"
UNSET = ("DATABASE_URL", "CELERY_BROKER_URL", "PORTAL_BASE_URL", "HOST", "PORT", "DJANGO_SETTINGS_MODULE")


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env["PORTAL_VAR_DIR"] = str(tmp_path / "fresh" / "var")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def base_url(env: dict[str, str], settings: str = LOCAL) -> str:
    code = (
        f"import os; os.environ['DJANGO_SETTINGS_MODULE'] = '{settings}'; import django; django.setup(); "
        "from django.conf import settings; print(settings.PORTAL_BASE_URL)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_migrate_on_a_fresh_clone_makes_var_itself(tmp_path):
    """The README's first command stopped at migrate: "unable to open database file"."""
    env = env_for(tmp_path)
    assert not (tmp_path / "fresh").exists()
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "fresh" / "var" / "db.sqlite3").is_file()


def test_links_point_at_the_port_the_server_runs_on(tmp_path):
    assert base_url(env_for(tmp_path, PORT="8102")) == "http://127.0.0.1:8102"
    assert base_url(env_for(tmp_path, HOST="localhost", PORT="9000")) == "http://localhost:9000"
    # Listening everywhere: links use the loopback address, never 0.0.0.0.
    assert base_url(env_for(tmp_path, HOST="0.0.0.0", PORT="8102")) == "http://127.0.0.1:8102"  # noqa: S104
    assert base_url(env_for(tmp_path)) == "http://127.0.0.1:8000"


def test_portal_base_url_wins(tmp_path):
    env = env_for(tmp_path, PORT="8102", PORTAL_BASE_URL="https://compact.example.org")
    assert base_url(env) == "https://compact.example.org"


def test_production_links_use_the_first_host_name_over_https(tmp_path):
    env = env_for(
        tmp_path,
        DJANGO_SECRET_KEY="x" * 64,
        DJANGO_ALLOWED_HOSTS="compact.example.org,www.compact.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    assert base_url(env, PRODUCTION) == "https://compact.example.org"
    assert (
        base_url({**env, "PORTAL_BASE_URL": "https://portal.example.org"}, PRODUCTION) == "https://portal.example.org"
    )


def test_run_script_hands_host_and_port_to_the_worker_and_beat():
    script = (ROOT / "scripts" / "run-all.sh").read_text()
    assert "export HOST PORT" in script
