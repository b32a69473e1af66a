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
from django.utils import timezone

from consultations.models import Consultation, PolicyArea
from funding.models import FundingNotice
from notifications import reminders
from notifications.models import Notification, ReminderClaim
from notifications.reminders import CLAIM_LEASE, reminders_sweep
from signatories.models import Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.conftest import require
from tests.notifications import applied, asked_to_reaffirm, at
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory
from tests.support.threads import at_once

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

    with monkeypatch.context() as patch:
        patch.setattr(reminders, "_existing_claims", load_then_wait)
        results = at_once(lambda: reminders_sweep(today=DAY_14), sweeps, start_together=False)
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


# --- Consultation and funding reminders --------------------------------------------------------------


def _organisation(*, members: int, public: bool = False, **fields):
    organisation = (PublicBodyFactory if public else OrganisationFactory)(**fields)
    for _ in range(members):
        MembershipFactory(organisation=organisation)
    return organisation


def _consultation(*, edition, body, opens_on, closes_on, title):
    return Consultation.objects.create(
        compact=edition.compact,
        edition=edition,
        organisation=body,
        title=title,
        summary="What do you think?",
        policy_area=PolicyArea.HEALTH,
        opens_on=opens_on,
        closes_on=closes_on,
        contact_name="Jo Officer",
        contact_email="jo.officer@council.example",
    )


@pytest.fixture
def consultation_and_funding_reminders() -> Counter:
    """Consultation and funding reminders due on DAY_14; returns how many emails are due, by kind."""
    coordinators = [UserFactory(), UserFactory()]
    edition = PublishedEditionFactory(compact=CompactFactory(coordinators=coordinators))
    council = _organisation(members=2, public=True)
    for _ in range(3):  # signatories that asked for alerts, two members each
        alerted = _organisation(members=2, wants_consultation_alerts=True)
        Signature.objects.create(organisation=alerted, edition=edition, status=Signature.Status.SIGNED)
    quiet = _organisation(members=2)  # signed, but asked for no alerts
    Signature.objects.create(organisation=quiet, edition=edition, status=Signature.Status.SIGNED)

    opens = datetime.date(2027, 1, 18)
    _consultation(edition=edition, body=council, opens_on=DAY_14, closes_on=datetime.date(2027, 6, 6), title="Opens")
    _consultation(
        edition=edition, body=council, opens_on=opens, closes_on=DAY_14 + datetime.timedelta(weeks=4), title="4"
    )
    _consultation(
        edition=edition, body=council, opens_on=opens - datetime.timedelta(weeks=12), closes_on=opens, title="8"
    )

    food_bank = _organisation(members=2)
    notice = FundingNotice.objects.create(
        compact=edition.compact,
        edition=edition,
        issuer=council,
        recipient=food_bank,
        change=FundingNotice.Change.ENDED,
        description="Grant",
        notice_given_on=DAY_14,
        effective_on=datetime.date(2027, 4, 15),  # a month on: not enough notice, and due today
        reasons="Budget",
    )
    FundingNotice.objects.filter(pk=notice.pk).update(created_at=at(DAY_14, 9))
    return Counter(
        {
            "consultation_opened": 6,  # the alerted signatories' members
            "consultation_closing_4_weeks": 2 + 1 + 6,  # the council's members, the contact, the signatories
            "consultation_feedback_8_weeks": 2 + 1 + 2,  # the council's members, the contact, the coordinators
            "funding_notice_received": 2,  # the food bank's members
            "funding_notice_non_compliant": 2,  # the coordinators
            "funding_effective_1_month": 2 + 2,  # both parties
        }
    )


def test_sweeps_at_the_same_time_send_each_consultation_and_funding_reminder_once(
    consultation_and_funding_reminders, monkeypatch
):
    expected = sum(consultation_and_funding_reminders.values())
    assert expected == 28

    results = sweep_together(monkeypatch, 2)

    assert_each_sent_once(expected)
    assert sum(r.sent for r in results) == expected
    assert sum(r.skipped for r in results) == expected
    assert Counter(c.kind for c in ReminderClaim.objects.all()) == consultation_and_funding_reminders
    assert Counter(n.kind for n in Notification.objects.all()) == consultation_and_funding_reminders
