"""The load test (``make load``): see benchmarks/load/driver.py for what it does.

python manage.py load [--scale full|small|<factor>] [--output var/load] [--database compact_portal_load_bench]
                      [--broker redis://127.0.0.1:6379/10] [--steps 2,4,8,16,32] [--step-seconds 20]
                      [--warm-up-seconds 20] [--steady-seconds 90] [--keep] [--no-docs] [--beside "what else ran"]

Needs PostgreSQL (``DATABASE_URL=postgresql://…``: the server; the database is the load test's own,
dropped and made again) and Redis (``--broker``, whose database is flushed).
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from benchmarks import dataset as datasets
from benchmarks.load import driver
from benchmarks.management.commands import bench

# Bounds of what --people and --steps may ask: more is beyond what one Locust process can play.
MAX_PEOPLE = 1000
MAX_STEP_RPS = 10_000
# Ten minutes: the servers are warm long before.
MAX_WARM_UP_SECONDS = 600


def _steps(value: str) -> tuple[int, ...]:
    """``--steps``: requests a second, comma-separated whole numbers from 1 to MAX_STEP_RPS."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isascii() and part.isdigit() and 1 <= int(part) <= MAX_STEP_RPS for part in parts):
        raise CommandError(
            _("--steps must be requests a second, whole numbers from 1 to %(most)s separated by commas "
              "(for example 40,80,120), not ‘%(given)s’.") % {"most": MAX_STEP_RPS, "given": value[:100]}
        )  # fmt: skip
    return tuple(int(part) for part in parts)


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Load-test the portal (gunicorn, Celery, PostgreSQL, Redis) on the benchmark's dataset.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="full", help=_("full (national), small (1%%) or a factor."))
        parser.add_argument("--output", default=str(settings.VAR_DIR / "load"))
        parser.add_argument("--database", default="compact_portal_load_bench", help=_("The load test's own database."))
        parser.add_argument("--broker", default="redis://127.0.0.1:6379/10", help=_("Redis (flushed)."))
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--steps", default="40,80,120,160,200,240,320", help=_("Requests a second asked at each step.")
        )
        parser.add_argument("--people", type=int, default=driver.PEOPLE, help=_("People Locust plays, in every step."))
        parser.add_argument("--step-seconds", type=int, default=20)
        parser.add_argument(
            "--warm-up-seconds",
            type=int,
            default=driver.WARM_UP_SECONDS,
            help=_("The first step's load before the steps, not counted (0: none)."),
        )
        parser.add_argument("--steady-seconds", type=int, default=90)
        parser.add_argument("--workers", type=int, default=0, help=_("gunicorn workers (default: its config's)."))
        parser.add_argument("--threads", type=int, default=0, help=_("gunicorn threads per worker."))
        parser.add_argument("--conn-max-age", type=int, default=None, help=_("DATABASE_CONN_MAX_AGE."))
        parser.add_argument(
            "--page-cache", type=int, default=None, help=_("PORTAL_PAGE_CACHE_SECONDS (0: off; default: production's).")
        )
        parser.add_argument(
            "--single-reps", type=int, default=7, help=_("Requests per page for the single-request figures (0: none).")
        )
        parser.add_argument("--keep", action="store_true", help=_("Reuse the dataset of the last run (if complete)."))
        parser.add_argument("--no-docs", action="store_true", help=_("Do not write the table into the docs."))
        parser.add_argument("--beside", default="", help=_("What else ran on the machine, for the table."))

    def handle(self, *args, **options):
        steps = _steps(options["steps"])
        if not 3 <= options["people"] <= MAX_PEOPLE:
            raise CommandError(
                _("--people must be a whole number from 3 to %(most)s (the national body, a coordinator and "
                  "at least one other), not %(given)s.") % {"most": MAX_PEOPLE, "given": options["people"]}
            )  # fmt: skip
        if not 0 <= options["warm_up_seconds"] <= MAX_WARM_UP_SECONDS:
            raise CommandError(
                _("--warm-up-seconds must be a whole number from 0 to %(most)s, not %(given)s.")
                % {"most": MAX_WARM_UP_SECONDS, "given": options["warm_up_seconds"]}
            )
        if connection.vendor != "postgresql":
            raise CommandError(_("The load test needs PostgreSQL: set DATABASE_URL=postgresql://… (or run make load)."))
        scale = bench.parse_scale(options["scale"])
        name = options["database"]
        if name in bench.PROTECTED or name.startswith("test_") or "bench" not in name:
            raise CommandError(
                _("Refusing to use the database ‘%(name)s’: its name must contain ‘bench’.") % {"name": name}
            )
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        # This process queues work too (the recovery after the worker was killed): on the same Redis.
        from compact_portal.celery import app

        app.conf.broker_url = options["broker"]
        app.conf.task_always_eager = False
        helper = bench.Command(stdout=self.stdout, stderr=self.stderr)
        helper._use_database(name)
        meta_path = output / "dataset.json"
        ds = helper._reuse(meta_path, name, scale) if options["keep"] else None
        if ds is None:
            started = time.perf_counter()
            helper._recreate_database(name)
            call_command("migrate", verbosity=0, interactive=False)
            ds = datasets.generate(scale, log=self.stdout.write)
            self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s")
            meta_path.write_text(json.dumps({"database": name, **ds.as_dict()}, indent=2))
        else:
            self.stdout.write(f"Reusing the dataset in {name} (scale {scale}): reminders sent before are not due again")
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "") + "@" if s.get("USER") else ""
        database_url = f"postgresql://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{name}"
        opts = driver.Options(
            scale=scale,
            database_url=database_url,
            broker_url=options["broker"],
            output=output,
            port=options["port"],
            steps=steps,
            people=options["people"],
            step_seconds=options["step_seconds"],
            warm_up_seconds=options["warm_up_seconds"],
            steady_seconds=options["steady_seconds"],
            gunicorn_workers=options["workers"] or None,
            gunicorn_threads=options["threads"] or None,
            conn_max_age=options["conn_max_age"],
            page_cache_seconds=options["page_cache"],
            beside=options["beside"],
            single_reps=options["single_reps"],
            log=self.stdout.write,
        )
        results = driver.run(ds, opts)
        text = (output / "results.md").read_text()
        self.stdout.write(text)
        if not options["no_docs"]:
            base = Path(settings.BASE_DIR)
            driver.write_between_marks(base / "docs" / "benchmarks.md", text, "## Under load (make load)")
            driver.write_between_marks(base / "README.md", text, "### The latest load test (make load)")
        self.stdout.write(
            _("Load test %(verdict)s in %(seconds).0f s; results in %(path)s")
            % {
                "verdict": _("passed") if results["pass"] else _("failed"),
                "seconds": results["seconds"],
                "path": output,
            }
        )
