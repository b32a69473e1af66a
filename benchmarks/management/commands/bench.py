"""Generate a national-scale dataset in a database of its own and measure the portal on it.

python manage.py bench [--scale full|small|<factor>] [--output var/bench/] [--database NAME]
                       [--compare-scale 0.01|none] [--reps N] [--keep]

Needs PostgreSQL (``DATABASE_URL=postgresql://…``): the server is the one DATABASE_URL names, the
database is the benchmark's own (``compact_portal_bench`` unless told), dropped and made again.
"""

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from benchmarks import dataset as datasets
from benchmarks import measure

SCALES = {"full": 1.0, "small": 0.01}
DEFAULT_DATABASE = "compact_portal_bench"
PROTECTED = {"compact_portal", "postgres", "template0", "template1"}


def parse_scale(value: str) -> float:
    if value in SCALES:
        return SCALES[value]
    try:
        scale = float(value)
    except ValueError:
        raise CommandError(_("--scale takes full, small or a number such as 0.1.")) from None
    if not 0 < scale <= 5:
        raise CommandError(_("--scale must be above 0 and at most 5."))
    return scale


# Sections other tools write into docs/benchmarks.md between ``<!-- NAME:start -->`` and
# ``<!-- NAME:end -->`` (the load test's ``load``): a new benchmark table keeps them.
# A marker stands on a line of its own: one quoted in a sentence is not a section.
MARKED_SECTION = re.compile(r"^<!-- (?P<name>[\w-]+):start -->$.*?^<!-- (?P=name):end -->$", re.DOTALL | re.MULTILINE)


def keep_marked_sections(new: str, old: str) -> str:
    """``new`` with every marked section of ``old`` kept: in place of the same section in ``new``
    if it has one, else added at the end."""
    for match in MARKED_SECTION.finditer(old):
        section = match.group(0)
        start, end = f"<!-- {match['name']}:start -->", f"<!-- {match['name']}:end -->"
        if start in new and end in new[new.index(start) :]:
            before, rest = new.split(start, 1)
            new = before + section + rest.split(end, 1)[1]
        else:
            new = new.rstrip("\n") + "\n\n" + section + "\n"
    return new


def write_docs(path: Path, text: str) -> None:
    """Write the national table to ``path`` (docs/benchmarks.md), keeping the sections other tools marked there."""
    old = path.read_text() if path.exists() else ""
    path.write_text(keep_marked_sections(text, old))


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Generate a national-scale dataset in the benchmark's own PostgreSQL database and measure the portal.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="full", help=_("full (national), small (1%%) or a factor."))
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench"), help=_("Where results go."))
        parser.add_argument("--database", default=DEFAULT_DATABASE, help=_("The benchmark's own database."))
        parser.add_argument(
            "--compare-scale",
            default="0.01",
            help=_("A second, smaller scale run first (in its own process and database) to compare query counts."),
        )
        parser.add_argument("--reps", type=int, default=0, help=_("Timed requests per page (default 15, small 7)."))
        parser.add_argument(
            "--keep", action="store_true", help=_("Reuse the dataset from the last run at this scale if present.")
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "The benchmark needs PostgreSQL: SQLite would measure something else. Set "
                    "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/compact_portal_bench (or run make bench)."
                )
            )
        scale = parse_scale(options["scale"])
        logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per in-process task
        name = options["database"]
        if name in PROTECTED or name.startswith("test_") or "bench" not in name:
            raise CommandError(
                _(
                    "Refusing to use the database ‘%(name)s’: the benchmark drops its database, so its name must "
                    "contain ‘bench’ and not start with ‘test_’."
                )
                % {"name": name}
            )
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        reps = options["reps"] or (15 if scale >= 0.1 else 7)

        other = None
        compare = options["compare_scale"]
        if compare != "none" and parse_scale(compare) != scale:
            other = self._run_other_scale(compare, name, output, reps, keep=options["keep"])

        self._use_database(name)
        meta_path = output / "dataset.json"
        dataset = self._reuse(meta_path, name, scale) if options["keep"] else None
        if dataset is None:
            self._recreate_database(name)
            call_command("migrate", verbosity=0, interactive=False)
            started = time.perf_counter()
            dataset = datasets.generate(scale, log=self.stdout.write)
            self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s")
            meta_path.write_text(json.dumps({"database": name, **dataset.as_dict()}, indent=2))
        else:
            call_command("migrate", verbosity=0, interactive=False)
            datasets.analyse()
            self.stdout.write(f"Reusing the dataset in {name} (scale {scale})")

        media = output / "media"
        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # Not paced: the sweep's emails are sent in-process (eager), timed for their cost alone.
            EMAIL_RATE_LIMIT_PER_MINUTE=0,
            MEDIA_ROOT=media,
        ):
            results = measure.run_all(dataset, reps=reps, log=self.stdout.write)
        results["database"] = name
        results["targets"] = measure.evaluate(results, other)
        if other:
            results["other_scale"] = {"scale": other["scale"], "counts": other["dataset"]["counts"]}
        (output / "results.json").write_text(json.dumps(results, indent=2, default=str))
        text = measure.markdown(results)
        (output / "results.md").write_text(text)
        if scale == 1.0:
            docs = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
            write_docs(docs, text)
            self.stdout.write(f"Copied the table to {docs}")
        failed = [t for t in results["targets"] if not t["pass"]]
        self.stdout.write(text)
        self.stdout.write(
            _("%(met)s of %(all)s targets met; results in %(path)s")
            % {"met": len(results["targets"]) - len(failed), "all": len(results["targets"]), "path": output}
        )

    # --- databases ------------------------------------------------------------------------------

    def _use_database(self, name: str) -> None:
        """Point the default connection at the benchmark's database (same server, user and password)."""
        for conn in connections.all():
            conn.close()
        connection.settings_dict["NAME"] = name

    def _admin_connection(self):
        import psycopg

        s = connection.settings_dict
        return psycopg.connect(
            dbname="postgres",
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            autocommit=True,
        )

    def _recreate_database(self, name: str) -> None:
        from psycopg import sql

        connection.close()
        with self._admin_connection() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def _reuse(self, meta_path: Path, name: str, scale: float):
        if not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text())
        if meta.pop("database", None) != name or meta.get("scale") != scale:
            return None
        with self._admin_connection() as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            return None
        from notifications.models import Notification

        # A run stopped half-way leaves a database without the last rows it makes.
        complete = Notification.objects.filter(pk=meta.get("max_notification_id") or 0).exists()
        return datasets.Dataset.from_dict(meta) if complete else None

    def _run_other_scale(self, compare: str, name: str, output: Path, reps: int, *, keep: bool) -> dict:
        """The comparison scale, in a fresh process (its own cold PDF) and its own database."""
        other_output = output / "compare"
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench",
            "--scale",
            compare,
            "--compare-scale",
            "none",
            "--database",
            f"{name}_compare",
            "--output",
            str(other_output),
            "--reps",
            str(min(reps, 7)),
            *(["--keep"] if keep else []),
        ]
        self.stdout.write(f"Running scale {compare} first, to compare query counts: {' '.join(command)}")
        completed = subprocess.run(command, env=os.environ.copy(), capture_output=True, text=True, check=False)  # noqa: S603
        if completed.returncode != 0:
            self.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
            raise CommandError(_("The comparison run failed."))
        return json.loads((other_output / "results.json").read_text())
