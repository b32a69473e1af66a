"""A real Celery worker that kills itself (SIGKILL, as the kernel's OOM killer or a lost machine
would) at a chosen point of the reminder sweep; used by test_worker_killed.py.

Started as ``celery -A tests.support.dying_worker worker --pool solo`` with:

- ``DYING_WORKER_QUEUE``: the queue it listens to and sends its own tasks to (one per test);
- ``DYING_WORKER_MAIL``: a file each email is appended to, one JSON line per message, flushed
  and synced before the send returns (the "mail server"; it outlives the worker);
- ``DYING_WORKER_KILL``: where to die, ``before_commit`` (a batch's notifications inserted, its
  claims not yet, nothing committed), ``before_queue`` (the notifications committed, their emails
  not yet all queued) or ``while_sending`` (inside the mail backend, before the message is handed
  over), and ``DYING_WORKER_KILL_AT``: at which batch, queued email or message (1 = the first).
  Without them it never dies.

Only the test's patches differ from production: the sweep, the claims and the tasks are the
project's own, running in a separate process against the same PostgreSQL and Redis.
"""

import json
import os
import signal

from celery.signals import worker_process_init, worker_ready
from django.core.mail.backends.base import BaseEmailBackend

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from compact_portal.celery import app  # noqa: E402

QUEUE = os.environ["DYING_WORKER_QUEUE"]
KILL = os.environ.get("DYING_WORKER_KILL", "")
KILL_AT = int(os.environ.get("DYING_WORKER_KILL_AT", "0"))

# As in production: tasks go through the broker, not run in-process as the test settings say.
app.conf.task_always_eager = False
app.conf.task_default_queue = QUEUE
settings.EMAIL_BACKEND = "tests.support.dying_worker.FileMailBackend"

_calls = {"before_commit": 0, "before_queue": 0, "while_sending": 0}


def _maybe_die(point: str) -> None:
    if point != KILL:
        return
    _calls[point] += 1
    if _calls[point] == KILL_AT:
        print(f"dying_worker: killed {point} #{KILL_AT}", flush=True)  # noqa: T201 - read by the test
        os.kill(os.getpid(), signal.SIGKILL)


class FileMailBackend(BaseEmailBackend):
    """Appends each message to DYING_WORKER_MAIL and syncs it: what the mail server accepted."""

    def send_messages(self, email_messages):
        with open(os.environ["DYING_WORKER_MAIL"], "a", encoding="utf-8") as out:
            for message in email_messages:
                _maybe_die("while_sending")
                out.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
                out.flush()
                os.fsync(out.fileno())
        return len(email_messages)


def _install_kill_points() -> None:
    from notifications import reminders, tasks

    if getattr(reminders._claim, "kill_point", False):
        return  # installed already (both signals can fire in one process)

    claim = reminders._claim

    def claim_or_die(*args, **kwargs):
        _maybe_die("before_commit")
        return claim(*args, **kwargs)

    claim_or_die.kill_point = True
    reminders._claim = claim_or_die

    delay = tasks.deliver_notifications.delay

    def delay_or_die(*args, **kwargs):
        _maybe_die("before_queue")
        return delay(*args, **kwargs)

    tasks.deliver_notifications.delay = delay_or_die


@worker_ready.connect
def _ready(**kwargs) -> None:
    _install_kill_points()


@worker_process_init.connect
def _child(**kwargs) -> None:  # pragma: no cover - only with a prefork pool
    _install_kill_points()
