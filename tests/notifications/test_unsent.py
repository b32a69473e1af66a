"""Emails recorded but lost on the way (a process died before queueing them, or while sending)
are queued again by ``deliver_unsent_notifications``, and still go out once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import EmailPreference, Notification
from notifications.services import Message, Recipient, notify, notify_many
from notifications.tasks import (
    UNSENT_AFTER,
    UNSENT_GIVE_UP_AFTER,
    deliver_notification,
    deliver_notifications,
    deliver_unsent_notifications,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def recorded_but_never_queued(recipient: Recipient, *, minutes_ago: float, kind: str = "signature_approved"):
    """notify() whose on-commit callbacks never ran: the process died between commit and queue."""
    [notification] = notify(
        recipients=[recipient], kind=kind, template="notifications/emails/reminder_footer.txt", context={}
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return notification


def test_an_email_lost_on_the_way_is_sent_once_by_the_catch_up():
    user = UserFactory(email="amal@example.org")
    lost = recorded_but_never_queued(Recipient.for_user(user), minutes_ago=UNSENT_AFTER.total_seconds() / 60 + 1)
    assert mail.outbox == []

    assert deliver_unsent_notifications() == 1
    assert [m.to for m in mail.outbox] == [["amal@example.org"]]
    lost.refresh_from_db()
    assert lost.emailed_at is not None

    assert deliver_unsent_notifications() == 0  # the next run finds nothing
    deliver_notification(lost.pk)  # nor does a late duplicate of the first task
    assert len(mail.outbox) == 1


def test_recent_old_and_switched_off_notifications_are_left_alone():
    fresh = recorded_but_never_queued(Recipient(email="fresh@example.org"), minutes_ago=1)
    too_old = recorded_but_never_queued(
        Recipient(email="old@example.org"), minutes_ago=UNSENT_GIVE_UP_AFTER.total_seconds() / 60 + 5
    )
    quiet = UserFactory(email="quiet@example.org")
    EmailPreference.objects.create(user=quiet, kind="signature_approved", email=False)
    switched_off = recorded_but_never_queued(Recipient.for_user(quiet), minutes_ago=30)
    assert not switched_off.email_wanted

    assert deliver_unsent_notifications() == 0
    deliver_notification(switched_off.pk)  # even asked directly, a switched-off email is not sent
    assert mail.outbox == []
    assert Notification.objects.filter(pk__in=[fresh.pk, too_old.pk], emailed_at__isnull=True).count() == 2


def test_the_catch_up_costs_one_query_whatever_it_finds(django_assert_num_queries, monkeypatch):
    for n in range(5):
        recorded_but_never_queued(Recipient(email=f"p{n}@example.org"), minutes_ago=30)
    queued = []
    monkeypatch.setattr(deliver_notifications, "delay", queued.append)  # only the look-up is counted
    with django_assert_num_queries(1):
        assert deliver_unsent_notifications() == 5
    assert [len(batch) for batch in queued] == [5]  # one task for the five


@pytest.mark.django_db
def test_a_recipient_without_an_address_gets_the_notification_but_no_email_is_claimed(
    django_capture_on_commit_callbacks,
):
    """An organisation contact or an account with no email: the notification is kept (shown in the
    portal to an account), never marked emailed, and no message is queued for it."""
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(
            [
                Message(Recipient(email=""), "invitation", "signatories/emails/invitation.txt", {}),
                Message(Recipient(email="someone@example.org"), "invitation", "signatories/emails/invitation.txt", {}),
            ]
        )
    blank, addressed = sorted(created, key=lambda n: n.email)
    blank.refresh_from_db()
    addressed.refresh_from_db()
    assert (blank.email_wanted, blank.emailed_at) == (False, None)
    assert addressed.email_wanted and addressed.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


def test_one_run_queues_again_what_the_pace_sends_until_the_next_run(settings):
    """A worker killed with the morning's emails in hand (each waiting for its second of the pace)
    must not have them trickle back a thousand a quarter of an hour: one run queues again as many as
    the pace sends before the next run."""
    from celery.schedules import crontab

    from compact_portal.settings import base
    from notifications.tasks import UNSENT_BATCH

    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == deliver_unsent_notifications.name]
    assert entry["schedule"] == crontab(minute="*/15")
    assert UNSENT_BATCH >= base.EMAIL_RATE_LIMIT_PER_MINUTE * 15
