"""Emails are queued ``DELIVERY_BATCH`` to a task (the sweep queues thousands at once): each still
goes out once, one that fails is left to a task of its own, and a full second of the pace holds the
rest of the batch back together, for its turn."""

import pytest
from django.core import mail

from notifications import notify, pacing, tasks
from notifications.models import Notification
from notifications.services import Message, Recipient, notify_many

pytestmark = pytest.mark.django_db


def record(n: int) -> list[Notification]:
    return notify_many(
        [
            Message(Recipient(email=f"group{i}@example.org"), "invitation", "signatories/emails/invitation.txt", {})
            for i in range(n)
        ]
    )


def test_the_emails_of_many_notifications_are_queued_in_batches(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        created = record(tasks.DELIVERY_BATCH * 2 + 7)
    assert [len(batch) for batch in queued] == [tasks.DELIVERY_BATCH, tasks.DELIVERY_BATCH, 7]
    assert [pk for batch in queued for pk in batch] == [n.pk for n in created]


def test_a_batch_sends_each_email_once_and_again_nothing(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda ids: None)
    created = record(5)
    ids = [n.pk for n in created]
    assert tasks.deliver_notifications(ids) == {"sent": 5}
    assert tasks.deliver_notifications(ids) == {"skipped": 5}  # delivered again (a worker died): nothing twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.email for n in created)
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count() == 5


def failing_at(monkeypatch, n: int, errors: dict[int, Exception]) -> tuple[list[Notification], list[int]]:
    """``n`` notifications recorded, and delivery made to raise ``errors[i]`` for the i-th."""
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda ids: None)
    created = record(n)
    ids = [notification.pk for notification in created]
    deliver = tasks.notification_deliver
    by_pk = {ids[index]: error for index, error in errors.items()}

    def failing(*, notification_id):
        if notification_id in by_pk:
            raise by_pk[notification_id]
        return deliver(notification_id=notification_id)

    monkeypatch.setattr(tasks, "notification_deliver", failing)
    return created, ids


def test_one_that_fails_goes_to_a_task_of_its_own_and_the_rest_are_sent(monkeypatch):
    created, ids = failing_at(
        monkeypatch, 4, {1: notify.Retryable("Notify answered 503", status=503, countdown=90), 2: OSError("refused")}
    )
    alone = []
    monkeypatch.setattr(
        tasks.deliver_notification, "apply_async", lambda args, countdown: alone.append((args, countdown))
    )
    assert tasks.deliver_notifications(ids) == {"sent": 2, "retried": 2}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([created[0].email, created[3].email])
    assert [args for args, _countdown in alone] == [(ids[1],), (ids[2],)]
    assert alone[0][1] >= 90 and alone[1][1] >= 30  # Notify's wait at least; the usual backoff


def test_a_full_second_holds_the_rest_of_the_batch_back_together(monkeypatch):
    full = pacing.RateLimited("this second's slots are taken", countdown=0.6, ahead=0, limit=3000)
    _created, ids = failing_at(monkeypatch, 5, {2: full})
    later = []
    monkeypatch.setattr(
        tasks.deliver_notifications, "apply_async", lambda args, countdown: later.append((args, countdown))
    )
    assert tasks.deliver_notifications(ids) == {"sent": 2, "waiting": 3}
    assert later == [((ids[2:],), 0.6)]  # the first turned away: the next second
    assert len(mail.outbox) == 2


def test_a_batch_turned_away_behind_others_waits_its_turn(monkeypatch):
    """The third batch turned away in a second waits two seconds more than the first: at 50 a second
    each batch ahead of it fills a second."""
    third = pacing.RateLimited("this second's slots are taken", countdown=0.6, ahead=2, limit=3000)
    _created, ids = failing_at(monkeypatch, 3, {0: third})
    later = []
    monkeypatch.setattr(
        tasks.deliver_notifications, "apply_async", lambda args, countdown: later.append((args, countdown))
    )
    assert tasks.deliver_notifications(ids) == {"waiting": 3}
    [(args, countdown)] = later
    assert args == (ids,)
    assert countdown == pytest.approx(0.6 + 2 * tasks.DELIVERY_BATCH * 60 / 3000)
    assert mail.outbox == []


def test_a_batch_queued_again_takes_no_slot_of_the_pace_for_what_was_sent(settings, monkeypatch):
    """After a worker died, ``deliver_unsent_notifications`` may queue again emails that went out
    meanwhile: those are left out in one query, before any slot is taken."""
    from notifications.models import SendRateWindow

    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda ids: None)
    created = record(6)
    ids = [n.pk for n in created]
    assert tasks.deliver_notifications(ids[:4]) == {"sent": 4}
    slots = sum(SendRateWindow.objects.values_list("used", flat=True))

    assert tasks.deliver_notifications(ids) == {"skipped": 4, "sent": 2}

    assert sum(SendRateWindow.objects.values_list("used", flat=True)) == slots + 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.email for n in created)


def test_one_email_turned_away_by_the_pace_waits_for_its_second_without_spending_a_try(monkeypatch):
    """A full second is not a failure: the single-email task (a failed email's retries) is queued
    again for the next free second, with the tries it had, not after a failure's 30 s backoff."""
    from celery.canvas import Signature

    [notification] = record(1)
    monkeypatch.setattr(
        tasks,
        "notification_deliver",
        lambda *, notification_id: (_ for _ in ()).throw(pacing.RateLimited("full", countdown=0.4)),
    )
    queued = []
    monkeypatch.setattr(Signature, "apply_async", lambda self, **options: queued.append((self, options)))

    result = tasks.deliver_notification.apply(args=(notification.pk,), retries=3)

    assert result.get() == "waiting"
    [(signature, options)] = queued
    assert signature.args == (notification.pk,) or list(signature.args) == [notification.pk]
    assert signature.options["retries"] == 3
    assert options == {"countdown": 0.4}
    assert mail.outbox == []
