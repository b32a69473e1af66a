"""The daily sweep through a real Celery worker on Redis: the task and the emails it queues."""

import datetime
import os
import time

import pytest
from django.core import mail
from django.db import connections

from notifications.models import Notification, ReminderClaim
from notifications.tasks import send_due_reminders
from tests.commitments.factories import PublishedEditionFactory
from tests.conftest import require
from tests.notifications import asked_to_reaffirm

REQUESTED = datetime.date(2027, 3, 1)
DAY_14 = datetime.date(2027, 3, 15)


def wait_for(condition, seconds: float = 60) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_due_reminders_once(compact):
    """The worker runs in a thread of this process and shares its database: PostgreSQL, or SQLite's
    shared in-memory test database (both work with transaction=True)."""
    require(os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from compact_portal.celery import app

    edition = PublishedEditionFactory(compact=compact)
    for _ in range(5):
        asked_to_reaffirm(edition=edition, on=REQUESTED, admins=2)
    ran = []

    def after_task(sender, **kwargs):
        ran.append((sender.name, sender.request.is_eager))
        connections.close_all()  # runs in the worker's thread, so the test database can be dropped

    def sweeps_done(n):
        return lambda: sum(name == send_due_reminders.name for name, _ in ran) >= n

    app.conf.task_always_eager = False
    task_postrun.connect(after_task, weak=False)
    try:
        app.control.purge()
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            send_due_reminders.delay(DAY_14.isoformat())
            assert wait_for(lambda: len(mail.outbox) >= 10 and sweeps_done(1)())
            send_due_reminders.delay(DAY_14.isoformat())  # beat firing twice, or a retry: nothing more
            assert wait_for(sweeps_done(2))
            time.sleep(1)  # time for any (wrong) second email to be delivered
    finally:
        task_postrun.disconnect(after_task)
        app.conf.task_always_eager = True

    assert all(not eager for _, eager in ran)  # by the worker, not in this thread
    assert (
        sorted(name for name, _ in ran)
        == ["notifications.tasks.deliver_notification"] * 10 + ["notifications.tasks.send_due_reminders"] * 2
    )
    assert len(mail.outbox) == 10
    assert len({message.to[0] for message in mail.outbox}) == 10
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 10
    assert Notification.objects.filter(kind="reaffirm_2_weeks", emailed_at__isnull=False).count() == 10
