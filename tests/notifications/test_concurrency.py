"""Sweeps running at the same time against PostgreSQL send each reminder exactly once.

Each sweep runs in its own thread, so on its own database connection, as two workers would.
Every sweep waits for the others once it has looked for existing claims, so that all of them
find none and race to insert the same claims: only the unique constraint decides.
"""

import datetime
import os
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from notifications import reminders
from notifications.models import Notification, ReminderClaim
from notifications.reminders import CLAIM_LEASE, reminders_sweep
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.conftest import require
from tests.notifications import applied, asked_to_reaffirm

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REQUESTED = datetime.date(2027, 3, 1)
DAY_14 = datetime.date(2027, 3, 15)


@pytest.fixture(autouse=True)
def _postgres():
    require(os.environ.get("DATABASE_URL", "").startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")


@pytest.fixture
def due_reminders() -> int:
    """20 re-affirmations and 5 applications due on DAY_14; returns how many emails are due."""
    coordinators = [UserFactory(), UserFactory()]
    edition = PublishedEditionFactory(compact=CompactFactory(coordinators=coordinators))
    expected = 0
    for n in range(20):
        if n % 5 == 4:  # no admins: the contact email
            asked_to_reaffirm(edition=edition, on=REQUESTED, admins=0, members=1, contact_email=f"contact{n}@x.org")
            expected += 1
        else:
            admins = 2 if n % 2 else 1
            asked_to_reaffirm(edition=edition, on=REQUESTED, admins=admins, members=1)
            expected += admins
    for _ in range(5):  # Friday 26 February: more than 10 working days on Monday 15 March
        applied(edition=edition, on=datetime.date(2027, 2, 26))
        expected += len(coordinators)
    return expected


def sweep_together(monkeypatch, sweeps: int) -> list[reminders.SweepResult]:
    barrier = threading.Barrier(sweeps, timeout=30)
    load_claims = reminders._existing_claims

    def load_then_wait(keys):
        found = load_claims(keys)
        barrier.wait()  # every sweep has looked; now they all claim at once
        return found

    results, errors = [], []

    def run():
        try:
            results.append(reminders_sweep(today=DAY_14))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's connection, so the test database can be dropped

    threads = [threading.Thread(target=run) for _ in range(sweeps)]
    with monkeypatch.context() as patch:
        patch.setattr(reminders, "_existing_claims", load_then_wait)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == sweeps
    return results


def assert_each_sent_once(expected: int) -> None:
    emails = Counter((message.to[0].lower(), message.subject) for message in mail.outbox)
    assert len(mail.outbox) == expected
    assert set(emails.values()) == {1}
    assert ReminderClaim.objects.count() == expected
    assert ReminderClaim.objects.filter(sent_at__isnull=True).count() == 0
    assert Notification.objects.count() == expected
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.parametrize("sweeps", [2, 4])
def test_sweeps_at_the_same_time_send_each_reminder_once(due_reminders, monkeypatch, sweeps):
    assert due_reminders == 38

    results = sweep_together(monkeypatch, sweeps)

    assert_each_sent_once(due_reminders)
    assert [r.due for r in results] == [due_reminders] * sweeps
    assert sum(r.sent for r in results) == due_reminders
    assert sum(r.skipped for r in results) == due_reminders * (sweeps - 1)
    assert sum(r.failed for r in results) == 0
    assert Counter(c.kind for c in ReminderClaim.objects.all()) == {"reaffirm_2_weeks": 28, "approval_waiting": 10}


def test_sweeps_at_the_same_time_take_over_each_lost_claim_once(due_reminders, monkeypatch):
    """A sweep died after claiming everything and before sending: two later sweeps race to take over."""
    dry = reminders_sweep(today=DAY_14, dry_run=True)
    long_ago = timezone.now() - CLAIM_LEASE * 2
    ReminderClaim.objects.bulk_create(
        ReminderClaim(
            kind=i.kind,
            subject_key=i.subject_key,
            recipient_email=i.email.lower(),
            due_on=i.due_on,
            claimed_at=long_ago,
        )
        for i in dry.items
    )

    results = sweep_together(monkeypatch, 2)

    assert_each_sent_once(due_reminders)
    assert sum(r.taken_over for r in results) == due_reminders
    assert sum(r.sent for r in results) == due_reminders


def test_a_later_sweep_sends_nothing_more(due_reminders, monkeypatch):
    sweep_together(monkeypatch, 2)
    mail.outbox.clear()

    again = reminders_sweep(today=DAY_14)

    assert (again.sent, again.skipped) == (0, due_reminders)
    assert mail.outbox == []
