"""``make load``: the portal under load, as docker-compose runs it, on the dataset of ``make bench``.

What :func:`run` does, in order (``python manage.py load``, see benchmarks/management/commands/load.py):

1. The dataset: ``benchmarks.dataset.generate`` at ``LOAD_SCALE`` in the load test's own database
   (made again each run: the run publishes editions and sends reminders, so a reused dataset
   would have nothing due).
2. The single-request figures of the same pages: ``make bench``'s ``var/bench/results.json`` when
   it was made at the same scale, otherwise measured here with ``benchmarks.measure.measure_pages``
   on this dataset (the same code, in-process, one request at a time).
3. gunicorn with docker/gunicorn.conf.py and the production settings, and a Celery worker, both on
   PostgreSQL and Redis, as docker-compose.yml runs web and worker.
4. Saturation: Locust (benchmarks/load/locustfile.py) with the steady run's people (the same number,
   so the same mix of readers, officers, members, the national body and a coordinator), each
   asking at a set pace, asked for more requests a second step by step until the servers serve
   less than 90 % of what is asked or requests fail; saturation is the most they served.
   Then each page alone over HTTP (``alone_over_http``), which also leaves the servers idle and the
   public pages kept before the steady run.
5. The steady run at 70 % of the saturation throughput, with the reminder sweep queued, a
   coordinator publishing a new edition (a PDF render in the worker) and the Celery worker killed
   (SIGKILL) and started again in the middle of it.
6. Recovery as beat would do it later (the sweep retaking claims left unsent, lost emails and
   renders queued again, with the clock moved past their leases), then the check that every
   reminder claimed and every PDF asked for was done, and none twice.
7. The report: ``results.json`` and ``results.md`` in the output folder; the table is written into
   docs/benchmarks.md and README.md between ``<!-- load:start -->`` and ``<!-- load:end -->``.
   Beside what Locust measured, two figures that say where the time went: each page's time in a
   web worker (gunicorn's access log, ``server_times``: the rest is waiting for a worker and the
   transport), and how busy the machine's cores were before the reminder sweep and after it
   (``CpuSampler``).
"""

import contextlib
import csv
import datetime
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from benchmarks import measure
from benchmarks.dataset import Dataset
from compact_portal.redaction import redact_url

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
MARK_START, MARK_END = "<!-- load:start -->", "<!-- load:end -->"
P95_RATIO_TARGET = 3.0
STEADY_SHARE = 0.7
# The people Locust plays, in every step and in the steady run: the same number, so the same mix
# (two of them are the national body and a coordinator, the rest readers, officers and members in
# the locustfile's proportions). Enough that each asks at most a few times a second.
PEOPLE = 64
# A step whose servers serve less than this share of what it asks has found saturation. Not 95 %:
# a step of 20 s served at its full pace still counts a few per cent less, its people's first
# requests being spread over their first interval.
KEPT_UP = 0.9
# Before the first step, the people ask for the first step's load this long, not counted: each web
# worker's first pages compile their templates and open its database connection, about a second of
# CPU per worker, which the servers pay once. Counted, that cost fell in the first step: with twelve
# workers it served 31 of the 40 requests a second asked, and ended the search there.
WARM_UP_SECONDS = 20
SESSIONS_PER_ROLE = 4
# Each page asked for this many times alone over HTTP, as make bench asks for it in-process.
ALONE_REPS = 7


@dataclass
class Options:
    scale: float
    database_url: str  # the load test's own database
    broker_url: str  # Redis, for the broker and the cache
    output: Path
    port: int = 8765
    steps: tuple[int, ...] = (40, 80, 120, 160, 200, 240, 320)  # requests a second asked
    people: int = PEOPLE
    step_seconds: int = 20
    warm_up_seconds: int = WARM_UP_SECONDS
    steady_seconds: int = 90
    kill_worker: bool = True
    gunicorn_workers: int | None = None  # None: docker/gunicorn.conf.py's own default
    gunicorn_threads: int | None = None
    conn_max_age: int | None = None
    page_cache_seconds: int | None = None  # None: the production settings' own (300)
    single_reps: int = 7  # requests per page for single-request figures measured here (0: none)
    beside: str = ""  # what else was running on the machine, for the table
    # The server's key, also used here to sign the sessions Locust's people come with.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(64))
    log: object = print
    env: dict = field(default_factory=dict)


# --- processes ------------------------------------------------------------------------------------


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def server_env(opts: Options) -> dict:
    """The environment of docker-compose's web and worker services, pointed at this machine."""
    run_dir = opts.output / "run"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compact_portal.settings.production",
        "DJANGO_SECRET_KEY": opts.secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": f"https://127.0.0.1:{opts.port}",
        "DATABASE_URL": opts.database_url,
        "CELERY_BROKER_URL": opts.broker_url,
        "CACHE_URL": opts.broker_url,
        "PORTAL_VAR_DIR": str(run_dir),
        "PORTAL_MEDIA_ROOT": str(run_dir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{opts.port}",
        "GUNICORN_LOG_LEVEL": "warning",
        **opts.env,
    }
    if opts.gunicorn_workers:
        env["GUNICORN_WORKERS"] = str(opts.gunicorn_workers)
    if opts.gunicorn_threads:
        env["GUNICORN_THREADS"] = str(opts.gunicorn_threads)
    if opts.page_cache_seconds is not None:
        env["PORTAL_PAGE_CACHE_SECONDS"] = str(opts.page_cache_seconds)
    if opts.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(opts.conn_max_age)
    return env


# Linux puts each session (a process started with ``start_new_session``) in a scheduling group of
# its own (an "autogroup", /proc/sys/kernel/sched_autogroup_enabled, on by default) and shares the
# CPU between the groups before it looks at a process's nice, which weighs only within its group. So
# the worker at nice 10, in a session of its own, weighed as much as all the web workers together:
# while it sent the sweep's emails it used 54 % of a core and gunicorn's five workers 77 % (make load,
# 5 December). What weighs between groups is the group's own nice (/proc/<pid>/autogroup).
AUTOGROUP = "/proc/{pid}/autogroup"
# The worker's weight: nice 19 is 15 against the web's 1024, about a sixty-fourth, as docker-compose's
# cpu_shares 16 gives its worker against web's default 1024. It takes what the web leaves, and no
# less than that share when the web wants every core. At nice 6 (a quarter) its 10,000 emails after
# the sweep took a core's quarter the web needed: at 70 % of saturation the cores went from 79 % to
# 96 % busy and the servers fell behind what was asked (make load, 5 December: 12 of 36 pages within
# 3× at nice 19 against none at nice 6). The emails are sent a few minutes later; nobody waits on them.
WORKER_NICE = 19
# The kernel's weight of a nice (kernel/sched/core.c, sched_prio_to_weight), for the report.
NICE_WEIGHT = {0: 1024, 5: 335, 6: 272, 10: 110, 15: 36, 19: 15}


def set_group_nice(pid: int, nice: int) -> bool:
    """Give the scheduling group (session) of process ``pid`` this nice; False where the kernel has
    no autogroups (then the process's own nice is what weighs) or lowering it is not allowed."""
    path = Path(AUTOGROUP.format(pid=pid))
    try:
        path.write_text(str(nice))
    except OSError:
        return False
    return True


def group_nice(pid: int) -> int | None:
    """The nice of process ``pid``'s scheduling group ("/autogroup-85 nice 6"), None without one."""
    try:
        return int(Path(AUTOGROUP.format(pid=pid)).read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Process:
    """A server process in its own process group, so that it can be killed with its children; with
    ``nice``, at that priority, its session's scheduling group too (see ``AUTOGROUP``)."""

    def __init__(self, name: str, command: list[str], env: dict, log_path: Path, nice: int = 0):
        self.name, self.env, self.log_path, self.nice = name, env, log_path, nice
        self.command = ["nice", "-n", str(nice), *command] if nice else command
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("a")
        self.popen = subprocess.Popen(  # noqa: S603 - our own fixed commands
            self.command,
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if self.nice:
            set_group_nice(self.popen.pid, self.nice)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=60)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.kill(signal.SIGTERM)


GUNICORN_CONF = "docker/gunicorn.conf.py"


def _gunicorn_default(name: str):
    """A setting of docker/gunicorn.conf.py as it reads with none of its variables set."""
    import runpy

    saved = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("GUNICORN_")}
    try:
        return runpy.run_path(str(settings.BASE_DIR / GUNICORN_CONF))[name]
    finally:
        os.environ.update(saved)


def gunicorn(env: dict, output: Path) -> Process:
    command = [_bin("gunicorn"), "--config", GUNICORN_CONF, "compact_portal.wsgi:application"]
    return Process("web", command, env, output / "logs" / "gunicorn.log")


def celery_worker(env: dict, output: Path) -> Process:
    """The worker at a lower CPU priority (``WORKER_NICE``, its scheduling group's too), as
    docker-compose gives it fewer CPU shares: a sweep or a render yields to the people waiting for a
    page (neither is waited for by anyone)."""
    celery = [
        _bin("celery"),
        *("-A", "compact_portal", "worker", "-l", "warning", "--without-heartbeat"),
        f"--concurrency={WORKER_PROCESSES}",
    ]
    return Process("worker", celery, env, output / "logs" / "worker.log", nice=WORKER_NICE)


# The worker's pool, as compose's worker has it (Celery's default: one process per CPU). Each process
# may be sending an email when the worker is killed: the window decision 0007 accepts is one per process.
WORKER_PROCESSES = os.cpu_count() or 1


def worker_priority(worker: Process) -> str:
    """What the worker's priority was, for the report."""
    if worker.popen is not None and group_nice(worker.popen.pid) == worker.nice:
        share = (
            f", 1/{round(NICE_WEIGHT[0] / NICE_WEIGHT[worker.nice])} of the web's weight"
            if worker.nice in NICE_WEIGHT
            else ""
        )
        return f"one Celery worker at nice {worker.nice}, its scheduling group's too{share}"
    return f"one Celery worker at nice {worker.nice} (no scheduling group of its own to weigh)"


def _get(url: str, timeout: float = 5) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(url) == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s (see the log in the output folder)")


def prepare_static(env: dict, output: Path) -> None:
    """The production settings serve the hashed files of collectstatic (whitenoise's manifest)."""
    if (Path(env["PORTAL_VAR_DIR"]) / "staticfiles" / "staticfiles.json").exists():
        return
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def queue_length(url: str) -> int:
    import redis

    return redis.Redis.from_url(url).llen("celery")


# --- the plan Locust reads ----------------------------------------------------------------------------


def make_plan(ds: Dataset, opts: Options) -> dict:
    from django.test.utils import override_settings

    from accounts.models import User
    from commitments.models import Edition

    edition = Edition.objects.select_related("compact").get(pk=ds.current_edition_id)
    sessions = {}
    # Signed in as bench signs in (the second factor given), with the server's key: the session and
    # the hash of the password in it are signed with it.
    with override_settings(SECRET_KEY=opts.secret_key):
        for role in ("coordinator", "officer", "volunteer", "national"):
            user = User.objects.get(pk=ds.users[role])
            sessions[role] = [
                measure._client(user).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(SESSIONS_PER_ROLE)
            ]
    # Production's cookie names (the "__Host-" prefix), whatever settings this process runs under.
    return {
        "pages": [{"name": s.name, "role": s.role, "url": s.url, "kind": s.kind} for s in measure.page_specs(ds)],
        "sessions": sessions,
        "session_cookie": "__Host-sessionid",
        "csrf_cookie": "__Host-csrftoken",
        "origin": f"https://127.0.0.1:{opts.port}",
        "pdf_url": reverse("commitments:edition_pdf", kwargs={"slug": edition.compact.slug, "pk": edition.pk}),
        "edition_new_url": reverse("commitments:edition_new", kwargs={"slug": edition.compact.slug}),
        "edition_publish_url": reverse("commitments:edition_publish", kwargs={"slug": edition.compact.slug, "pk": 0}),
    }


# --- Locust -------------------------------------------------------------------------------------------


def locust(
    opts: Options, plan_path: Path, name: str, users: int, seconds: int, *, user_rps: float = 0, publish_every=0
) -> dict:
    """One headless Locust run; returns its per-request-name figures and the aggregate."""
    plan = json.loads(plan_path.read_text())
    plan["publish_every_s"] = publish_every
    run_plan = plan_path.with_name(f"plan-{name}.json")
    run_plan.write_text(json.dumps(plan))
    prefix = opts.output / "locust" / name
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LOAD_PLAN": str(run_plan), "LOAD_USER_RPS": str(user_rps or "")}
    command = [
        _bin("locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--host",
        f"http://127.0.0.1:{opts.port}",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    with (opts.output / "logs" / f"locust-{name}.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a scheduling group of its own, given the same priority
            preexec_fn=_load_generator_first,  # noqa: PLW1509 - only sets the child's priority
        )
        set_group_nice(process.pid, LOCUST_NICE)
        process.wait()
    return read_stats(Path(f"{prefix}_stats.csv"))


LOCUST_NICE = -5


def _load_generator_first() -> None:
    """Locust runs on the same cores as the servers it measures: when they keep both cores busy,
    a Locust waiting for the CPU counts its own wait in every response time, most of all in the
    cheapest pages'. Ahead of them (it needs little CPU), it times what a visitor on another machine
    would see. Raising a priority needs root (as in CI's container); without it Locust runs at the
    servers' priority, and the report says which (``locust_priority``). Its scheduling group (it
    runs in a session of its own) is given the same nice (``AUTOGROUP``)."""
    with contextlib.suppress(OSError):
        os.nice(LOCUST_NICE)


def locust_priority() -> str:
    """What ``_load_generator_first`` can do here, for the report."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return f"Locust at nice {LOCUST_NICE}, ahead of the servers (nice 0) and the worker (nice {WORKER_NICE})"
    return "Locust at the servers' priority (raising it needs root)"


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(path: Path) -> dict:
    rows = {}
    with path.open() as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "requests": int(_number(row["Request Count"])),
                "failures": int(_number(row["Failure Count"])),
                "rps": round(_number(row["Requests/s"]), 2),
                "median_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
            }
    return {"aggregate": rows.pop("Aggregated", {"requests": 0, "failures": 0, "rps": 0.0}), "requests": rows}


def alone_over_http(opts: Options, plan_path: Path, reps: int = ALONE_REPS) -> dict:
    """Each page of the plan asked for ``reps`` times, one request at a time, over HTTP to the same
    servers as Locust asks (its headers and sessions), after one request not counted; nothing else
    asks meanwhile. Beside make bench's figures (in-process, no server, no client) it shows what the
    transport costs a page alone: the Compact calendar, 3–4 ms in-process, took 14–18 ms at the p95
    at a fifth of saturation, where nothing waits for the cores. A page that does not answer 200,
    or whose connection fails, is left out. The verdict stays make bench's (the issue's); these say how
    much of a ratio is contention."""
    import http.client

    plan = json.loads(plan_path.read_text())
    connection = http.client.HTTPConnection("127.0.0.1", opts.port, timeout=60)
    pages = {}
    try:
        for page in plan["pages"]:
            headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
            sessions = plan["sessions"].get(page["role"])
            if sessions:
                headers["Cookie"] = f"{plan['session_cookie']}={sessions[0]}"
            times = []
            for rep in range(reps + 1):
                started = time.perf_counter()
                try:
                    connection.request("GET", page["url"], headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):  # this page is left out, not the run
                    connection.close()  # the next request connects again
                    times = []
                    break
                if rep:
                    times.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    times = []
                    break
            if times:
                pages[page["name"]] = {
                    "median_ms": round(statistics.median(times), 2),
                    "p95_ms": round(measure.p95(times), 2),
                }
    finally:
        connection.close()
    return {"reps": reps, "pages": pages}


def find_saturation(opts: Options, plan_path: Path) -> dict:
    """The most requests a second the servers serve with the steady run's mix.

    Each step asks ``opts.steps[i]`` requests a second of the same ``opts.people``, each at an even
    pace, until a step is served less than ``KEPT_UP`` of what it asked (the servers fell behind) or
    a request fails. Closed-loop users asking again as soon as answered would measure another mix:
    those on cached pages answered in 3 ms ask thirty times as often as an officer on a 40 ms list,
    so "70 % of saturation" measured that way asks for more than the servers give the steady mix.
    The steps start once the servers are warm (``WARM_UP_SECONDS`` of the first step's load).
    """
    steps = []
    best = None
    if opts.warm_up_seconds and opts.steps:
        first = opts.steps[0]
        warm = locust(opts, plan_path, "warm-up", opts.people, opts.warm_up_seconds, user_rps=first / opts.people)
        opts.log(f"  warm-up, not counted: {first} requests/s asked, {warm['aggregate']['rps']} served")
    for asked in opts.steps:
        stats = locust(opts, plan_path, f"step-{asked}", opts.people, opts.step_seconds, user_rps=asked / opts.people)
        agg = stats["aggregate"]
        steps.append({"asked": asked, "users": opts.people, **agg})
        opts.log(f"  {asked} requests/s asked: {agg['rps']} served, {agg['failures']} failed of {agg['requests']}")
        if best is None or agg["rps"] > best["rps"]:
            best = {"asked": asked, "users": opts.people, **agg}
        if agg["failures"] or agg["rps"] < asked * KEPT_UP:
            break
    last = steps[-1] if steps else None
    reached = last is not None and (bool(last["failures"]) or last["rps"] < last["asked"] * KEPT_UP)
    return {"steps": steps, "saturation": best, "reached": reached}


# --- the steady run with the worker killed ---------------------------------------------------------------


def steady_run(opts: Options, plan_path: Path, saturation: dict, ds: Dataset, env: dict, worker: Process) -> dict:
    target = STEADY_SHARE * saturation["rps"]
    # The same people as the steps (the same mix), each at an even pace.
    users = saturation["users"]
    user_rps = target / users
    seconds = opts.steady_seconds
    events: list[dict] = []
    started = time.monotonic()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + fraction * seconds - time.monotonic()))

    def note(what: str) -> None:
        events.append({"at_s": round(time.monotonic() - started, 1), "event": what})
        opts.log(f"  {events[-1]['at_s']} s: {what}")

    def middle() -> None:
        at(0.3)
        subprocess.run(  # noqa: S603 - as beat queues it each morning
            [
                _bin("celery"),
                "-A",
                "compact_portal",
                "call",
                "notifications.tasks.send_due_reminders",
                "--args",
                json.dumps([ds.today.isoformat()]),
            ],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            check=True,
        )
        note("reminder sweep queued")
        if opts.kill_worker:
            at(0.55)
            worker.kill(signal.SIGKILL)
            note("Celery worker killed (SIGKILL)")
            at(0.7)
            worker.start()
            note("Celery worker started again")

    thread = threading.Thread(target=middle, daemon=True)
    thread.start()
    cpu = CpuSampler()
    cpu.start()
    began_at = time.time()
    # A coordinator publishes a new edition at 40 % (the first publish waits publish_every seconds).
    try:
        stats = locust(
            opts, plan_path, "steady", users, seconds, user_rps=user_rps, publish_every=max(1, int(seconds * 0.4))
        )
    finally:
        cpu.stop()
    ended_at = time.time()
    thread.join()
    return {
        "target_rps": round(target, 2),
        "users": users,
        "user_rps": round(user_rps, 3),
        "events": events,
        "window": [began_at, ended_at],
        "cpu_samples": cpu.samples,
        **stats,
    }


# --- where the time went: the cores, and each page's time in a worker ---------------------------------

PROC_STAT = "/proc/stat"


def _cpu_times() -> tuple[int, int] | None:
    """All the machine's CPU time so far and the part of it idle (or waiting for a disk), in ticks;
    None where there is no /proc/stat."""
    try:
        with open(PROC_STAT) as stat:  # noqa: PTH123 - read often, kept short
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 4:
        return None
    return sum(fields[:8]), fields[3] + (fields[4] if len(fields) > 4 else 0)


class CpuSampler:
    """How busy all the machine's cores were, second by second, every process counted (the servers,
    PostgreSQL, Redis, the worker and Locust share them here): ``samples`` holds ``[seconds since
    start, busy share]``, the share from 0 (idle) to 1 (every core busy). Nothing where the machine
    has no /proc/stat."""

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.samples: list[list[float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        before = _cpu_times()
        while before is not None and not self._stop.wait(self.interval):
            now = _cpu_times()
            if now is None:
                return
            total, idle = now[0] - before[0], now[1] - before[1]
            if total > 0:
                at = round(time.monotonic() - self._started, 1)
                self.samples.append([at, round(1 - idle / total, 3)])
            before = now


def busy_between(samples: list[list[float]], start_s: float, end_s: float | None = None) -> float | None:
    """The mean busy share of the samples taken from ``start_s`` to ``end_s`` (the end of the run)."""
    chosen = [busy for at, busy in samples if at > start_s and (end_s is None or at <= end_s)]
    return round(statistics.fmean(chosen), 3) if chosen else None


# One line of docker/gunicorn.conf.py's access_log_format: '... [time] "GET /path HTTP/1.1" 200 ... ms'.
_ACCESS_LINE = re.compile(r'^\S+ \S+ \S+ \[([^\]]{1,40})\] "([A-Z]{1,16}) (\S{1,8192}) [^"]{0,32}" (\d{3}) ')


def server_times(log_path: Path, plan: dict, window: list[float]) -> dict[str, dict]:
    """Each page's time in a web worker, from gunicorn's access log (its last field, milliseconds),
    for the GET requests logged in ``window`` (seconds since the epoch; the log has whole seconds,
    so a request of the second before the start may count). The pages are known by their address
    (redacted as the log writes it); an address two pages share is left out."""
    names: dict[str, set[str]] = {}
    for page in plan["pages"]:
        names.setdefault(redact_url(page["url"]), set()).add(page["name"])
    by_url = {url: next(iter(found)) for url, found in names.items() if len(found) == 1}
    start, end = window
    times: dict[str, list[float]] = {}
    if not log_path.exists():
        return {}
    with log_path.open(errors="replace") as log:
        for line in log:
            match = _ACCESS_LINE.match(line)
            if not match or match.group(2) != "GET" or match.group(3) not in by_url:
                continue
            try:
                at = datetime.datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
                ms = float(line.rsplit(" ", 1)[1])
            except (ValueError, IndexError):
                continue
            if int(start) <= at <= end:
                times.setdefault(by_url[match.group(3)], []).append(ms)
    return {
        name: {"requests": len(values), "median_ms": statistics.median(values), "p95_ms": measure.p95(values)}
        for name, values in times.items()
    }


def _mail_messages(mail_dir: Path) -> int:
    if not mail_dir.is_dir():
        return 0
    separator = "-" * 79
    return sum(path.read_text(errors="replace").count(separator) for path in mail_dir.iterdir() if path.is_file())


def _drained(opts: Options, since: datetime.datetime) -> bool:
    from commitments.models import EditionDocument
    from notifications.models import Notification, ReminderClaim

    return (
        queue_length(opts.broker_url) == 0
        and not ReminderClaim.objects.filter(claimed_at__gte=since, sent_at__isnull=True).exists()
        and not Notification.objects.filter(created_at__gte=since, email_wanted=True, emailed_at__isnull=True).exists()
        and not EditionDocument.objects.filter(requested_at__gte=since).exclude(status="ready").exists()
        and not _reaffirmations_unfinished()
    )


def _reaffirmations_unfinished() -> list:
    """Editions published whose predecessor's signatories are not all asked to re-affirm yet, as the
    hourly ``request_missing_reaffirmations`` finds them (with the clock past its quarter hour)."""
    from signatories.services import REAFFIRMATION_SWEEP_AFTER, reaffirmation_runs_unfinished

    return reaffirmation_runs_unfinished(now=timezone.now() + REAFFIRMATION_SWEEP_AFTER + datetime.timedelta(minutes=1))


def wait_drained(opts: Options, since: datetime.datetime, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _drained(opts, since):
            return True
        time.sleep(2)
    return _drained(opts, since)


def drain_seconds(env: dict, emails: int) -> float:
    """How long to wait for the worker to finish after the recovery: three minutes, and the time
    the pace takes to send the emails queued again (a worker killed holds the sweep's emails waiting
    for their second; at 3,000 a minute, ten thousand take more than three minutes)."""
    rate = int(env.get("EMAIL_RATE_LIMIT_PER_MINUTE") or settings.EMAIL_RATE_LIMIT_PER_MINUTE)
    return 180 + (emails * 60 / rate if rate else 0)


def recover(ds: Dataset, log) -> dict:
    """What beat does later, run now with the clock moved past every lease: the sweep takes up the
    claims a dead worker left unsent, lost emails and renders are queued again (to the worker)."""
    from compact_portal.documents import documents_requeue_lost
    from notifications.reminders import CLAIM_LEASE, reminders_sweep
    from notifications.tasks import UNSENT_AFTER, deliver_unsent_notifications
    from signatories.tasks import request_missing_reaffirmations

    later = timezone.now() + max(CLAIM_LEASE, UNSENT_AFTER) + datetime.timedelta(minutes=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        sweep = reminders_sweep(today=ds.today).counts()
        emails = deliver_unsent_notifications()
        documents = documents_requeue_lost(now=later)
        # A worker killed while asking signatories to re-affirm: its task comes back from Redis only
        # after the visibility timeout (an hour); beat's hourly check queues the rest sooner.
        reaffirmations = request_missing_reaffirmations()
    log(
        f"  recovery: sweep {sweep}, {emails} emails, {documents} renders and {reaffirmations} "
        "re-affirmation requests queued again"
    )
    return {
        "sweep": sweep,
        "emails_requeued": emails,
        "documents_requeued": documents,
        "reaffirmations_requeued": reaffirmations,
    }


def exactly_once(opts: Options, since: datetime.datetime, *, kills: int = 0) -> dict:
    """Whether everything asked for was done: nothing lost (every reminder claimed was recorded and
    emailed, every email marked sent was written, every PDF made, every signatory of a replaced
    edition asked to re-affirm) and nothing twice. One window is left open by design
    (docs/decisions/0007): a worker process killed after the mail server took an email and before
    its transaction committed sends that email again; at most one per process of the worker's pool
    (``WORKER_PROCESSES``) per kill is accepted, and the report says how many there were."""
    from django.db.models import Count

    from commitments.models import EditionDocument
    from notifications.models import Notification, ReminderClaim

    claims = ReminderClaim.objects.filter(claimed_at__gte=since)
    notifications = Notification.objects.filter(created_at__gte=since)
    emailed = notifications.filter(emailed_at__isnull=False).count()
    emails = _mail_messages(Path(server_env(opts)["PORTAL_VAR_DIR"]) / "mail")
    documents = EditionDocument.objects.filter(requested_at__gte=since)
    twice = claims.exclude(notification=None).values("notification").annotate(n=Count("pk")).filter(n__gt=1).count()
    result = {
        "claims": claims.count(),
        "claims_unsent": claims.filter(sent_at__isnull=True).count(),
        "claims_sharing_a_notification": twice,
        "notifications": notifications.count(),
        "notifications_to_email": notifications.filter(email_wanted=True).count(),
        "notifications_emailed": emailed,
        "notifications_unsent": notifications.filter(email_wanted=True, emailed_at__isnull=True).count(),
        "emails_written": emails,
        "emails_missing": max(emailed - emails, 0),
        "emails_twice": max(emails - emailed, 0),
        "worker_kills": kills,
        "pdfs_requested": documents.count(),
        "pdfs_ready": documents.filter(status="ready").count(),
        "pdf_render_attempts": sum(documents.values_list("attempts", flat=True)),
        "reaffirmations_unfinished": len(_reaffirmations_unfinished()),
        "worker_processes": WORKER_PROCESSES,
    }
    result["pass"] = once_passes(result, kills)
    return result


# --- single-request figures ----------------------------------------------------------------------------


def single_request_figures(ds: Dataset, log, reps: int = 7) -> dict:
    """make bench's figures when it ran at this scale, else the same measurement on this dataset."""
    path = Path(settings.VAR_DIR) / "bench" / "results.json"
    if path.exists():
        try:
            bench = json.loads(path.read_text())
            scale = (bench.get("dataset") or {}).get("scale", bench.get("scale"))
            pages = {
                p["name"]: {"median_ms": p["page"]["median_ms"], "p95_ms": p["page"]["p95_ms"]}
                for p in bench.get("pages", [])
                if isinstance(p, dict) and isinstance(p.get("page"), dict) and "name" in p
            }
        except (ValueError, KeyError, TypeError) as error:
            log(f"  var/bench/results.json unreadable ({error}): measuring here")
        else:
            if scale == ds.scale and pages:
                return {"source": f"make bench ({path}, scale {scale})", "pages": pages}
            log(f"  var/bench/results.json is at scale {scale}, not {ds.scale}: measuring here")
    else:
        log("  var/bench/results.json absent (make bench not run): measuring the same pages here")
    if not reps:
        return {"source": "none (not measured in this run)", "pages": {}}
    from django.test.utils import override_settings

    # The pages themselves, as make bench measures them (not the public page cache's copies).
    with override_settings(
        DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], PORTAL_PAGE_CACHE_SECONDS=0
    ):
        results = measure.measure_pages(ds, reps=reps, warmup=2, log=lambda _m: None)
    pages = {r.name: {"median_ms": r.page.median_ms, "p95_ms": r.page.p95_ms} for r in results}
    return {
        "source": "var/bench/results.json absent or of another scale: measured by make load on this dataset "
        "with benchmarks.measure.measure_pages (make bench's code, one request at a time, "
        f"{reps} each)",
        "pages": pages,
    }


# --- the report ----------------------------------------------------------------------------------------


def page_rows(steady: dict, single: dict, alone: dict | None = None, server: dict | None = None) -> list[dict]:
    rows = []
    for name, figures in sorted(steady["requests"].items()):
        base = single["pages"].get(name)
        ratio = round(figures["p95_ms"] / base["p95_ms"], 2) if base and base["p95_ms"] else None
        row = {"name": name, **figures, "single_median_ms": None, "single_p95_ms": None, "p95_ratio": ratio}
        if base:
            row["single_median_ms"], row["single_p95_ms"] = base["median_ms"], base["p95_ms"]
        over_http = (alone or {}).get("pages", {}).get(name)
        row["alone_p95_ms"] = over_http["p95_ms"] if over_http else None
        row["alone_ratio"] = (
            round(figures["p95_ms"] / over_http["p95_ms"], 2) if over_http and over_http["p95_ms"] else None
        )
        in_worker = (server or {}).get(name)
        row["worker_p95_ms"] = in_worker["p95_ms"] if in_worker else None
        bound = P95_RATIO_TARGET * base["p95_ms"] if base else None
        row["pass"] = figures["failures"] == 0 and (bound is None or figures["p95_ms"] <= bound)
        row["judged"] = base is not None
        rows.append(row)
    return rows


def once_passes(result: dict, kills: int) -> bool:
    """Nothing lost and nothing twice, but for decision 0007's window: one email per process of the
    worker's pool for each kill."""
    return (
        result["claims"] > 0
        and result["claims_unsent"] == 0
        and result["claims_sharing_a_notification"] == 0
        and result["notifications_unsent"] == 0
        and result["emails_missing"] == 0
        and result["emails_twice"] <= kills * result["worker_processes"]
        and result["pdfs_requested"] > 0
        and result["pdfs_ready"] == result["pdfs_requested"]
        and result["reaffirmations_unfinished"] == 0
    )


def _reaffirmed(once: dict) -> str:
    unfinished = once.get("reaffirmations_unfinished", 0)
    if not unfinished:
        return "every signatory of a replaced edition asked to re-affirm"
    return f"{unfinished} replaced edition(s) with signatories not asked to re-affirm"


def _once_verdict(once: dict) -> str:
    if not once["pass"]:
        return "FAILED"
    if once.get("emails_twice"):
        return (
            f"nothing lost; {once['emails_twice']} email sent twice, the worker killed after the mail server "
            "took it and before its commit (the window docs/decisions/0007 accepts, at most one per kill "
            f"for each of the worker's {once.get('worker_processes', 1)} processes)"
        )
    return "nothing lost, nothing twice"


def _alone_summary(results: dict) -> list[str]:
    """What the pages cost alone over HTTP, and how many kept within 3× of that under load."""
    alone = results.get("alone")
    compared = [row for row in results["pages"] if row.get("alone_ratio") is not None]
    if not alone or not compared:
        return []
    within = sum(1 for row in compared if row["alone_ratio"] <= P95_RATIO_TARGET)
    single = [row["single_p95_ms"] for row in compared if row["single_p95_ms"]]
    over = [row["alone_p95_ms"] for row in compared if row["single_p95_ms"]]
    beside = (
        f": p95 {statistics.median(over):g} ms at the median page, against {statistics.median(single):g} ms in-process"
        if single
        else ""
    )
    return [
        f"Each page alone over HTTP ({alone['reps']} requests one at a time, to the same servers with Locust's "
        "headers, after the steps and before this run; the public pages from the page cache, as under load, "
        f"where make bench makes them){beside}. Against that, {within} of {len(compared)} "
        "pages kept their p95 within 3× under load (the verdict below stays make bench's).",
        "",
    ]


def _where_the_time_went(results: dict) -> list[str]:
    """How busy the cores were before the sweep and after, and how many pages' p95 in a worker was
    itself within 3× of the single request (the rest of a p95 is waiting for a worker)."""
    steady = results["steady"]
    lines = []
    samples = steady.get("cpu_samples") or []
    sweep = next((e["at_s"] for e in steady["events"] if e["event"].startswith("reminder sweep")), None)
    if samples:
        if sweep is not None:
            before, after = busy_between(samples, 0, sweep), busy_between(samples, sweep)
            lines.append(
                f"Cores busy (every process on the machine, /proc/stat): {_percent(before)} before the reminder "
                f"sweep was queued (0–{sweep:g} s), {_percent(after)} from then to the end (the worker's emails "
                "and render, the publish and the worker's restart on the same cores)."
            )
        else:
            lines.append(
                f"Cores busy (every process on the machine, /proc/stat): {_percent(busy_between(samples, 0))}."
            )
    judged = [row for row in results["pages"] if row.get("worker_p95_ms") is not None and row["single_p95_ms"]]
    unseen = [row for row in results["pages"] if row.get("worker_p95_ms") is None and row["single_p95_ms"]]
    if judged:
        within = sum(1 for row in judged if row["worker_p95_ms"] <= P95_RATIO_TARGET * row["single_p95_ms"])
        lines.append(
            f"In a web worker (gunicorn's access log: from the worker taking the request to its answer, "
            f"without the wait for a worker), {within} of {len(judged)} pages kept their p95 within 3× of the "
            "single request; the rest of each p95 under load is waiting for a worker."
            + (
                f" Not told apart in the log, so left out: {len(unseen)} page{'s' if len(unseen) != 1 else ''} "
                "whose address another page shares (the same list for an officer and for a coordinator)."
                if unseen
                else ""
            )
        )
    return [*lines, ""] if lines else []


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f} %"


def markdown(results: dict) -> str:
    sat = results["saturation"]["saturation"]
    steady = results["steady"]
    once = results["exactly_once"]
    lines = [
        MARK_START,
        f"### Load (make load), {results['finished']}",
        "",
        f"Scale {results['scale']} ({', '.join(f'{k} {v:,}' for k, v in results['counts'].items() if k in COUNTED)}); "
        f"gunicorn {results['gunicorn']}, {results.get('worker_priority', 'one Celery worker')}; "
        f"{results.get('locust_priority', '')}; "
        f"{results['cpus']} CPU cores; "
        f"beside it: {results['beside'] or 'nothing noted'}.",
        "",
        f"**Saturation: {sat['rps']} requests/s served = {results['rps_per_core']} requests/s per CPU core**, "
        f"{sat['users']} people in the steady run's mix, each at an even pace (requests/s asked → served: "
        + ", ".join(
            f"{s.get('asked', s['users'])} → {s['rps']}" + (f" ({s['failures']} failed)" if s["failures"] else "")
            for s in results["saturation"]["steps"]
        )
        + (")." if results["saturation"].get("reached", True) else "; the servers kept up with every step)."),
        "",
        f"At 70 % ({steady['target_rps']} requests/s asked, {steady['aggregate']['rps']} served, "
        f"{steady['users']} users): {steady['aggregate']['requests']} requests, "
        f"{steady['aggregate']['failures']} failed. Single-request figures: {results['single']['source']}.",
        "",
        *_alone_summary(results),
        *_where_the_time_went(results),
        "| page | requests | failed | median ms | p95 ms | p99 ms | single median ms | single p95 ms "
        "| p95 ÷ single | within 3× | alone over HTTP p95 ms | p95 ÷ alone | in a worker p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in results["pages"]:
        lines.append(
            "| "
            + " | ".join(
                [
                    row["name"],
                    str(row["requests"]),
                    str(row["failures"]),
                    f"{row['median_ms']:g}",
                    f"{row['p95_ms']:g}",
                    f"{row['p99_ms']:g}",
                    _or_dash(row["single_median_ms"]),
                    _or_dash(row["single_p95_ms"]),
                    _or_dash(row["p95_ratio"]),
                    _verdict(row),
                    _or_dash(row.get("alone_p95_ms")),
                    _or_dash(row.get("alone_ratio")),
                    _or_dash(row.get("worker_p95_ms")),
                ]
            )
            + " |"
        )
    lines += [
        "",
        "Worker killed mid-load: "
        + "; ".join(f"{e['at_s']} s {e['event']}" for e in steady["events"])
        + f". Afterwards: {once['claims']} reminders claimed, {once['claims_unsent']} left unsent, "
        f"{once['notifications_emailed']} notifications emailed and {once['emails_written']} emails written, "
        f"{once['pdfs_ready']} of {once['pdfs_requested']} PDFs ready ({once['pdf_render_attempts']} render attempts), "
        f"{_reaffirmed(once)}: "
        f"**{_once_verdict(once)}**.",
        "",
        f"Done when (no failures and p95 within 3× for every page): **{'pass' if results['pass'] else 'fail'}**. "
        f"The run took {results['seconds']:.0f} s.",
        MARK_END,
    ]
    return "\n".join(lines) + "\n"


def _or_dash(value) -> str:
    return "–" if value is None else f"{value:g}"


def _verdict(row: dict) -> str:
    if not row["judged"]:  # not a page of make bench (the PDF download, the steps of publishing)
        return "no failures (not in make bench)" if row["pass"] else "**fail**"
    return "pass" if row["pass"] else "**fail**"


COUNTED = ("compacts", "organisations", "consultations", "funding_notices", "cases")


def write_between_marks(path: Path, text: str, heading: str) -> None:
    """Replace the marked section of a document, or add it at the end under ``heading``."""
    if not path.exists():
        return
    current = path.read_text()
    if MARK_START in current and MARK_END in current:
        before, rest = current.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        path.write_text(before + text.rstrip("\n") + after)
    else:
        path.write_text(current.rstrip("\n") + f"\n\n{heading}\n\n" + text)


# --- the whole run -------------------------------------------------------------------------------------


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so that the servers started here are stopped (finally below)


def run(ds: Dataset, opts: Options) -> dict:
    started = time.monotonic()
    log = opts.log
    opts.output = opts.output.resolve()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
    opts.output.mkdir(parents=True, exist_ok=True)
    env = server_env(opts)
    run_dir = Path(env["PORTAL_VAR_DIR"])
    mail_dir = run_dir / "mail"
    if mail_dir.is_dir():
        for path in mail_dir.iterdir():
            path.unlink()
    log("Single-request figures of the same pages")
    single = single_request_figures(ds, log, opts.single_reps)
    plan_path = opts.output / "plan.json"
    plan_path.write_text(json.dumps(make_plan(ds, opts), indent=2))
    flush_redis(opts.broker_url)
    prepare_static(env, opts.output)
    web, worker = gunicorn(env, opts.output), celery_worker(env, opts.output)
    web.start()
    worker.start()
    try:
        wait_until_up(f"http://127.0.0.1:{opts.port}/")
        worker_said = worker_priority(worker)
        log(f"Saturation ({opts.people} people, each at an even pace, asked for more step by step)")
        saturation = find_saturation(opts, plan_path)
        from commitments.models import EditionDocument

        since = timezone.now()
        # The Compact's PDF is rendered again in the steady run: its first download asks for it.
        EditionDocument.objects.filter(edition_id=ds.current_edition_id).delete()
        # Between the last step (the servers overloaded) and the steady run: the pages alone, which
        # leaves the servers idle and the public pages kept again after the delete emptied them.
        # Straight after the step, the steady run's first ten seconds were the step's backlog and every
        # page made again at once (median 490 ms at 4 s, 17 ms from 26 s), a tenth of its requests.
        alone = alone_over_http(opts, plan_path)
        log(f"Each page alone over HTTP, {alone['reps']} times: {len(alone['pages'])} pages")
        log(f"70 % of {saturation['saturation']['rps']} requests/s, with the sweep, a publish and the worker killed")
        steady = steady_run(opts, plan_path, saturation["saturation"], ds, env, worker)
        if worker.popen is None or worker.popen.poll() is not None:
            worker.start()
        wait_drained(opts, since, 60)
        recovery = recover(ds, log)
        drained = wait_drained(opts, since, drain_seconds(env, recovery["emails_requeued"]))
        once = exactly_once(opts, since, kills=1 if opts.kill_worker else 0)
        once["drained"] = drained
    finally:
        web.stop()
        worker.stop()
    cpus = os.cpu_count() or 1
    workers = env.get("GUNICORN_WORKERS") or f"{_gunicorn_default('workers')} (default)"
    server = server_times(opts.output / "logs" / "gunicorn.log", json.loads(plan_path.read_text()), steady["window"])
    pages = page_rows(steady, single, alone, server)
    results = {
        "scale": ds.scale,
        "counts": ds.counts,
        "finished": timezone.now().strftime("%-d %B %Y %H:%M UTC"),
        "cpus": cpus,
        "gunicorn": f"{workers} workers × {env.get('GUNICORN_THREADS', '1')} threads, "
        f"CONN_MAX_AGE {env.get('DATABASE_CONN_MAX_AGE', '60')}, "
        f"public page cache {env.get('PORTAL_PAGE_CACHE_SECONDS', '300')} s",
        "beside": opts.beside,
        "worker_priority": worker_said,
        "locust_priority": locust_priority(),
        "single": single,
        "saturation": saturation,
        "rps_per_core": round(saturation["saturation"]["rps"] / cpus, 1),
        "steady": steady,
        "alone": alone,
        "pages": pages,
        "recovery": recovery,
        "exactly_once": once,
    }
    results["pass"] = all(row["pass"] for row in pages) and once["pass"] and steady["aggregate"]["failures"] == 0
    results["seconds"] = time.monotonic() - started
    (opts.output / "results.json").write_text(json.dumps(results, indent=2, default=str))
    text = markdown(results)
    (opts.output / "results.md").write_text(text)
    return results
