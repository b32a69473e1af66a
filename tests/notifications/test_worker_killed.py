"""A worker killed in the middle of a sweep loses no reminder and, after a restart, sends none twice.

A real Celery worker (tests/support/dying_worker.py, a separate process on the same
PostgreSQL and Redis) runs the daily sweep and kills itself with SIGKILL at one of three points:
half-way through recording a batch of reminders (before its commit), after recording them but
before queueing their emails, and inside the mail backend while sending. A new worker is then
started and the periodic tasks run as they would (the next sweep, and once the claim lease and the
unsent-email delay are over, the sweep again and ``deliver_unsent_notifications``). Every due email
must have reached the "mail server" (a file the dying worker cannot take back) exactly once.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, ReminderClaim
from notifications.reminders import CLAIM_LEASE
from notifications.tasks import UNSENT_AFTER, deliver_unsent_notifications, send_due_reminders
from tests.commitments.factories import PublishedEditionFactory
from tests.conftest import ROOT, require
from tests.notifications import asked_to_reaffirm

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REQUESTED = datetime.date(2027, 3, 1)
DAY_14 = datetime.date(2027, 3, 15)
# Where the worker dies: the first batch, its notifications inserted and its claims not; the first
# batch of emails queued (every email of the sweep); the fourth email sent (half-way through a batch
# of emails).
KILL_AT = {"before_commit": 1, "before_queue": 1, "while_sending": 4}


@pytest.fixture(autouse=True)
def _services():
    require(os.environ.get("DATABASE_URL", "").startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")
    require(os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")


class Worker:
    """A celery worker process of tests/support/dying_worker.py, on its own queue."""

    def __init__(self, *, queue: str, mail: str, log: Path, kill: str = "") -> None:
        self.log = log
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "compact_portal.settings.test",
            "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "DYING_WORKER_QUEUE": queue,
            "DYING_WORKER_MAIL": mail,
            "DYING_WORKER_KILL": kill,
            "DYING_WORKER_KILL_AT": str(KILL_AT.get(kill, 0)),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.support.dying_worker", "worker"]
            + ["--pool", "solo", "--queues", queue, "--loglevel", "INFO", "--without-heartbeat"]
            + ["--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def log_text(self) -> str:
        return self.log.read_text()

    def idle(self, *, tasks: int) -> bool:
        """At least ``tasks`` tasks of the test were received and every task received has finished."""
        log = self.log_text()
        received = log.count("] received")
        finished = log.count("] succeeded in") + log.count("] raised unexpected")
        return received >= tasks and received == finished

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition, seconds: float = 60) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def sent(mail: str) -> list[tuple[str, str]]:
    if not os.path.exists(mail):
        return []
    with open(mail, encoding="utf-8") as lines:
        complete = [line for line in lines if line.endswith("\n")]
    return [(message["to"][0], message["subject"]) for message in map(json.loads, complete)]


def run_task(task, queue: str, *args) -> None:
    from compact_portal.celery import app

    app.conf.task_always_eager = False
    try:
        task.apply_async(args=args, queue=queue)
    finally:
        app.conf.task_always_eager = True


def time_passes(by: datetime.timedelta) -> None:
    """Move every claim and notification back in time, as if ``by`` had gone by."""
    ReminderClaim.objects.update(claimed_at=timezone.now() - by)
    Notification.objects.update(created_at=timezone.now() - by)


@pytest.mark.parametrize("kill", ["before_commit", "before_queue", "while_sending"])
def test_a_worker_killed_mid_sweep_loses_nothing_and_sends_nothing_twice(kill, compact, tmp_path):
    edition = PublishedEditionFactory(compact=compact)
    expected = set()
    for _ in range(6):
        signature = asked_to_reaffirm(edition=edition, on=REQUESTED, admins=2)
        for email in signature.organisation.memberships.values_list("user__email", flat=True):
            expected.add(email.lower())
    assert len(expected) == 12
    queue = f"killed-worker-{uuid.uuid4().hex[:8]}"
    mail = str(tmp_path / "mail.jsonl")

    # 1. The worker dies part of the way through.
    dying = Worker(queue=queue, mail=mail, log=tmp_path / "dying.log", kill=kill)
    run_task(send_due_reminders, queue, DAY_14.isoformat())
    try:
        dying.process.wait(90)
    except subprocess.TimeoutExpired:
        dying.stop()
        pytest.fail("the worker did not die where it was told to:\n" + dying.log_text())
    assert dying.process.returncode == -signal.SIGKILL, dying.log_text()
    assert f"dying_worker: killed {kill} #{KILL_AT[kill]}" in dying.log_text()
    assert len(sent(mail)) < 12, "the worker should have died before sending everything"

    # 2. A new worker, and beat's next run. A batch that died before its commit left nothing: the
    # next sweep sends it. Emails recorded but not handed over wait for the unsent-email delay.
    worker = Worker(queue=queue, mail=mail, log=tmp_path / "worker.log")
    try:
        run_task(send_due_reminders, queue, DAY_14.isoformat())
        if kill == "before_commit":
            assert wait_for(lambda: len(sent(mail)) >= 12 and worker.idle(tasks=1)), worker.log_text()
        else:
            assert wait_for(lambda: worker.idle(tasks=1)), worker.log_text()
            assert len(sent(mail)) < 12, "an email recorded is not queued again before the unsent-email delay"
        # 3. The claim lease and the unsent-email delay go by; the sweep and the catch-up run.
        time_passes(max(CLAIM_LEASE, UNSENT_AFTER) + datetime.timedelta(minutes=1))
        run_task(send_due_reminders, queue, DAY_14.isoformat())
        run_task(deliver_unsent_notifications, queue)
        assert wait_for(lambda: len(sent(mail)) >= 12 and worker.idle(tasks=3)), worker.log_text()
        # 4. Beat firing again later finds nothing left to do.
        run_task(send_due_reminders, queue, DAY_14.isoformat())
        run_task(deliver_unsent_notifications, queue)
        assert wait_for(lambda: worker.idle(tasks=5)), worker.log_text()
        time.sleep(1)
    finally:
        worker.stop()

    emails = sent(mail)
    counts = Counter(emails)
    assert [message for message, n in counts.items() if n > 1] == [], "sent twice"
    assert {to.lower() for to, _ in emails} == expected, "lost"
    assert len(emails) == 12
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 12
    assert Notification.objects.filter(kind="reaffirm_2_weeks").count() == 12
    assert Notification.objects.filter(kind="reaffirm_2_weeks", emailed_at__isnull=True).count() == 0
