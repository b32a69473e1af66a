"""Deployment: production settings, the embedded defaults, docker-compose.yml and the image files.

The settings tests run manage.py in a subprocess with a controlled environment, because settings
are read once per process and production settings refuse to import without their variables.
"""

import http.server
import importlib.util
import json
import os
import re
import secrets
import string
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

PRODUCTION = "compact_portal.settings.production"
LOCAL = "compact_portal.settings.local"

# Variables that would change what the settings under test decide.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_BACKEND",
    "PORTAL_MEDIA_ROOT",
    "CACHE_URL",
    "BACKUP_DIR",
    "RESTORE_FORCE",
    "PORTAL_TRUSTED_PROXY_COUNT",
    "DJANGO_SESSION_COOKIE_AGE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests while they run
)


def random_secret_key(length: int = 64) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """The current environment without any setting that matters; local state goes under tmp_path."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env["PORTAL_VAR_DIR"] = str(tmp_path / "var")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(clean_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {
        **clean_env,
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DJANGO_SECRET_KEY": random_secret_key(),
        "DJANGO_ALLOWED_HOSTS": "compact.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


# --- production settings -------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(clean_env, tmp_path):
    env = production_env(clean_env, tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_or_development_secret_key(clean_env, tmp_path):
    for weak in ("too-short", "django-insecure-" + "x" * 60):
        env = {**production_env(clean_env, tmp_path), "DJANGO_SECRET_KEY": weak}

        result = manage("check", env=env)

        assert result.returncode != 0, weak
        assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(clean_env, tmp_path):
    env = production_env(clean_env, tmp_path)
    del env["DJANGO_ALLOWED_HOSTS"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_passes_check_deploy_without_warnings(clean_env, tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(clean_env, tmp_path))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert not re.search(r"\((security|[a-z_]+)\.[WE]\d+\)", output), output
    assert "WARNINGS:" not in output


def test_production_collects_static_files_with_a_manifest(clean_env, tmp_path):
    """What the Dockerfile runs at build time, with the same throw-away key and host."""
    env = production_env(clean_env, tmp_path)

    result = manage("collectstatic", "--noinput", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "var" / "staticfiles" / "staticfiles.json").read_text())
    assert "images/favicon.svg" in manifest["paths"]
    if (ROOT / "static" / "build" / "app.css").exists():  # built by `npm run build` (the image always builds it)
        assert "build/app.css" in manifest["paths"]


# --- embedded defaults ---------------------------------------------------------------------

PRINT_SETTINGS = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "engine": database["ENGINE"],
    "name": str(database["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None),
    "email_backend": settings.PORTAL_EMAIL_BACKEND,
    "paced_by": settings.EMAIL_BACKEND,
    "email_file_path": str(settings.EMAIL_FILE_PATH),
    "debug": settings.DEBUG,
}))
"""


def settings_in_subprocess(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_settings_run_embedded_without_any_server(clean_env, tmp_path):
    values = settings_in_subprocess({**clean_env, "DJANGO_SETTINGS_MODULE": LOCAL})

    var = tmp_path / "var"
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(var / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["broker_options"]["data_folder_in"] == str(var / "broker" / "queue")
    assert values["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["paced_by"] == "notifications.backends.PacedEmailBackend"
    assert values["email_file_path"] == str(var / "mail")
    assert values["debug"] is True


def test_manage_py_defaults_to_local_settings(clean_env):
    """`make run` sets nothing: manage.py must pick the embedded local settings by itself."""
    command = "from django.conf import settings; print('MODULE=' + settings.SETTINGS_MODULE)"

    result = manage("shell", "-c", command, env=clean_env)

    assert result.returncode == 0, result.stderr
    assert f"MODULE={LOCAL}" in result.stdout


def test_database_and_broker_urls_switch_to_postgresql_and_redis(clean_env):
    env = {
        **clean_env,
        "DJANGO_SETTINGS_MODULE": LOCAL,
        "DATABASE_URL": "postgresql://compact:secret@postgres:5432/compact",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
    }

    values = settings_in_subprocess(env)

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "compact"
    assert values["broker"] == "redis://redis:6379/0"


# --- docker-compose.yml --------------------------------------------------------------------

COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICES = {"web", "worker", "beat", "postgres", "redis"}
HEALTH_CHECKED = {"web", "worker", "postgres", "redis"}


@pytest.fixture(scope="module")
def compose() -> dict:
    require(importlib.util.find_spec("yaml") is not None, "PyYAML is not installed")
    import yaml

    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_declares_the_production_services(compose):
    services = compose["services"]
    assert set(services) >= SERVICES
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in services:
        assert services[name].get("restart") in {"unless-stopped", "no"}, name
    for name in SERVICES:
        assert services[name]["restart"] == "unless-stopped", name


def test_compose_services_have_health_checks(compose):
    services = compose["services"]
    for name in HEALTH_CHECKED:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "ping" in str(services["redis"]["healthcheck"]["test"])
    assert "inspect ping" in str(services["worker"]["healthcheck"]["test"])
    assert "docker/healthcheck.py" in str(services["web"]["healthcheck"]["test"])


def test_compose_runs_celery_and_migrations_before_the_app(compose):
    services = compose["services"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "compact_portal", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "compact_portal", "beat"]
    assert beat[beat.index("--schedule") + 1] == "/var/lib/compact/celerybeat-schedule"
    assert "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name


def test_compose_configures_the_app_for_production(compose):
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        environment = service["environment"]
        assert service["env_file"] == ".env", name
        assert environment["DJANGO_SETTINGS_MODULE"] == PRODUCTION
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"


def test_compose_keeps_state_in_named_volumes(compose):
    declared = set(compose["volumes"])
    assert {"postgres-data", "redis-data", "media", "beat-schedule"} <= declared

    def mounts(service: str) -> dict[str, str]:
        return dict(volume.split(":")[:2] for volume in compose["services"][service].get("volumes", []))

    assert mounts("postgres")["postgres-data"] == "/var/lib/postgresql/data"
    assert mounts("redis")["redis-data"] == "/data"
    media_root = compose["services"]["web"]["environment"]["PORTAL_MEDIA_ROOT"]
    assert mounts("web")["media"] == media_root
    assert mounts("worker")["media"] == media_root  # the worker writes the PDFs web serves
    assert mounts("beat")["beat-schedule"] == "/var/lib/compact"
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in declared, f"{volume} is not a named volume"


def test_compose_backs_up_on_demand_into_a_named_volume(compose):
    backup = compose["services"]["backup"]
    assert backup["profiles"] == ["backup"]  # `docker compose up` never starts it
    assert backup["restart"] == "no"
    assert backup["command"] == ["scripts/backup.sh"]
    assert backup["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert backup["environment"]["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    mounts = dict(volume.split(":")[:2] for volume in backup["volumes"])
    assert mounts["media"] == backup["environment"]["PORTAL_MEDIA_ROOT"]
    assert mounts["backups"] == backup["environment"]["BACKUP_DIR"]
    assert backup["depends_on"]["postgres"]["condition"] == "service_healthy"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile  # pg_dump and pg_restore in the image
    assert "/srv/compact/backups" in dockerfile  # made and owned by the image's user


def test_compose_shares_one_cache_between_the_web_workers(compose):
    assert compose["services"]["web"]["environment"]["CACHE_URL"].startswith("redis://redis:6379/")


def test_env_example_names_every_required_variable():
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE_FILE.read_text()))
    example = (ROOT / ".env.example").read_text()
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD"} <= required
    for name in required:
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


# --- the image -----------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user_without_baked_secrets():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert re.search(r"^FROM node:20", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and not users[-1].startswith(("root", "0")), "the image must not run as root"
    env_lines = " ".join(re.findall(r"^ENV\s+(.*(?:\\\n.*)*)", dockerfile, re.MULTILINE))
    assert "DJANGO_SECRET_KEY" not in env_lines
    assert "DJANGO_ALLOWED_HOSTS" not in env_lines
    assert re.search(r"^ARG\s+DJANGO_SECRET_KEY", dockerfile, re.MULTILINE) is None
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "collectstatic" in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "node_modules", "var"} <= ignored


# --- docker/healthcheck.py -----------------------------------------------------------------


def load_healthcheck():
    spec = importlib.util.spec_from_file_location("portal_healthcheck", ROOT / "docker" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_healthcheck_uses_the_first_concrete_allowed_host():
    healthcheck = load_healthcheck()
    assert healthcheck.host_header("compact.example.org,www.example.org") == "compact.example.org"
    assert healthcheck.host_header(" *, .example.org") == "example.org"
    assert healthcheck.host_header("") == "localhost"


@pytest.fixture
def fake_portal():
    """A tiny HTTP server that answers like the portal would behind the proxy."""
    seen: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        status = 200

        def do_GET(self):  # noqa: N802
            seen.append(dict(self.headers))
            self.send_response(Handler.status)
            if Handler.status in (301, 302):
                self.send_header("Location", "https://compact.example.org/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_address[1]}/", seen
    server.shutdown()
    server.server_close()


def test_healthcheck_passes_on_200_with_host_and_https_headers(fake_portal):
    handler, url, seen = fake_portal
    healthy, message = load_healthcheck().check(url, "compact.example.org", timeout=5)

    assert healthy, message
    assert seen[0]["Host"] == "compact.example.org"
    assert seen[0]["X-Forwarded-Proto"] == "https"


@pytest.mark.parametrize("status", [301, 400, 500])
def test_healthcheck_fails_on_redirects_and_errors(fake_portal, status):
    handler, url, _seen = fake_portal
    handler.status = status

    healthy, message = load_healthcheck().check(url, "compact.example.org", timeout=5)

    assert not healthy
    assert f"HTTP {status}" in message


def test_healthcheck_script_exits_non_zero_when_nothing_listens(clean_env):
    env = {**clean_env, "HEALTHCHECK_URL": "http://127.0.0.1:9/", "DJANGO_ALLOWED_HOSTS": "compact.example.org"}

    result = subprocess.run(
        [sys.executable, "docker/healthcheck.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )

    assert result.returncode == 1
    assert "unhealthy" in result.stdout


@pytest.mark.parametrize("rate", ["-5", "fast", "3000/min"])
def test_a_rate_limit_that_is_not_a_whole_number_stops_start_up_with_what_to_set(clean_env, tmp_path, rate):
    env = {**production_env(clean_env, tmp_path), "EMAIL_RATE_LIMIT_PER_MINUTE": rate}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_RATE_LIMIT_PER_MINUTE" in result.stderr and "whole number" in result.stderr
