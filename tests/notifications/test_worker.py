"""The daily sweep through a real Celery worker on Redis: the task and the emails it queues."""

import datetime
import os
import time
from collections import Counter

import pytest
from django.core import mail
from django.db import connections

from consultations.models import Consultation, PolicyArea
from funding.models import FundingNotice
from notifications.models import Notification, ReminderClaim
from notifications.tasks import send_due_reminders
from signatories.models import Signature
from tests.commitments.factories import PublishedEditionFactory
from tests.conftest import require
from tests.notifications import asked_to_reaffirm, at
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

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
        == ["notifications.tasks.deliver_notifications"] + ["notifications.tasks.send_due_reminders"] * 2  # one batch
    )
    assert len(mail.outbox) == 10
    assert len({message.to[0] for message in mail.outbox}) == 10
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 10
    assert Notification.objects.filter(kind="reaffirm_2_weeks", emailed_at__isnull=False).count() == 10


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_consultation_and_funding_reminders_once(compact, coordinator):
    """A consultation closing in 4 weeks and a funding notice recorded today, swept twice by the worker."""
    require(os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from compact_portal.celery import app

    edition = PublishedEditionFactory(compact=compact)
    council = PublicBodyFactory()
    MembershipFactory(organisation=council)
    food_bank = OrganisationFactory(wants_consultation_alerts=True)
    MembershipFactory(organisation=food_bank)
    MembershipFactory(organisation=food_bank)
    Signature.objects.create(organisation=food_bank, edition=edition, status=Signature.Status.SIGNED)
    consultation = Consultation.objects.create(
        compact=compact,
        edition=edition,
        organisation=council,
        title="Library opening hours",
        summary="How long should our libraries open?",
        policy_area=PolicyArea.CULTURE_LEISURE,
        opens_on=datetime.date(2027, 1, 4),
        closes_on=DAY_14 + datetime.timedelta(weeks=4),
        contact_name="Jo Officer",
        contact_email="jo.officer@council.example",
    )
    notice = FundingNotice.objects.create(
        compact=compact,
        edition=edition,
        issuer=council,
        recipient=food_bank,
        change=FundingNotice.Change.REDUCED,
        description="Core grant",
        notice_given_on=DAY_14,
        effective_on=DAY_14 + datetime.timedelta(days=200),
        reasons="Budget",
    )
    FundingNotice.objects.filter(pk=notice.pk).update(created_at=at(DAY_14, 9))
    # The council's member, the consultation's contact and the food bank's two members (closing);
    # the food bank's two members (the notice, which gives enough notice: nothing for the coordinator).
    expected = 4 + 2
    ran = []

    def after_task(sender, **kwargs):
        ran.append((sender.name, sender.request.is_eager))
        connections.close_all()

    def sweeps_done(n):
        return lambda: sum(name == send_due_reminders.name for name, _ in ran) >= n

    app.conf.task_always_eager = False
    task_postrun.connect(after_task, weak=False)
    try:
        app.control.purge()
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            send_due_reminders.delay(DAY_14.isoformat())
            assert wait_for(lambda: len(mail.outbox) >= expected and sweeps_done(1)())
            send_due_reminders.delay(DAY_14.isoformat())
            assert wait_for(sweeps_done(2))
            time.sleep(1)
    finally:
        task_postrun.disconnect(after_task)
        app.conf.task_always_eager = True

    assert all(not eager for _, eager in ran)
    assert len(mail.outbox) == expected
    assert len({(message.to[0], message.subject) for message in mail.outbox}) == expected
    assert (
        sorted(m.subject for m in mail.outbox if "Library" in m.subject)
        == ["4 weeks left to respond: Library opening hours"] * 2
        + ["Your consultation closes in 4 weeks: Library opening hours"] * 2
    )
    assert Counter(n.kind for n in Notification.objects.filter(emailed_at__isnull=False)) == {
        "consultation_closing_4_weeks": 4,
        "funding_notice_received": 2,
    }
    assert all(
        f"/consultations/{consultation.pk}/" in m.body or f"/funding/{notice.pk}/" in m.body for m in mail.outbox
    )
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == expected
