import datetime
import logging

from celery import shared_task
from django.utils import timezone

from notifications import notify, pacing
from notifications.delivery import Outcome, letter_deliver, notification_deliver, still_to_email
from notifications.models import Notification
from notifications.reminders import reminders_sweep

logger = logging.getLogger(__name__)

# Claiming and recording one reminder takes a few milliseconds; these limits stop a runaway sweep
# (what it has not reached is still due tomorrow). Both are shorter than reminders.CLAIM_LEASE.
SWEEP_SOFT_TIME_LIMIT = 10 * 60
SWEEP_TIME_LIMIT = 11 * 60

# An email not sent this long after its notification was recorded was lost on the way (the
# process died between the commit and queueing it, or the worker died while sending): queue it
# again. Long enough for the normal path to have run, short enough to matter on the day.
UNSENT_AFTER = datetime.timedelta(minutes=10)
# Emails older than this are given up (an address that always fails is not tried for ever);
# they stay on the person's notifications page.
UNSENT_GIVE_UP_AFTER = datetime.timedelta(days=2)
# At most this many are queued again by one run (every 15 minutes, by beat): what the pace sends in
# those 15 minutes at 3,000 a minute. A worker killed with the morning's ten thousand emails in hand
# (waiting for their second of the pace) has them all queued again by the next run, not a thousand
# every quarter of an hour.
UNSENT_BATCH = 45_000
# Emails are queued this many to a task: a task's own cost (the broker, the acknowledgement, the
# worker's bookkeeping) is more than sending one email, and the sweep queues thousands at once.
DELIVERY_BATCH = 50


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=notify.MAX_RETRIES)
def deliver_notification(self, notification_id: int) -> str:
    """Email one notification, once (see :func:`notifications.delivery.notification_deliver`).

    Queued twice (by the commit and by :func:`deliver_unsent_notifications`), the second run finds
    the row locked or already emailed and does nothing. A worker that dies while sending rolls the
    transaction back: the email is sent again later, unless the mail server had already taken it
    (the one window no database can close; see docs/decisions/0007). Notify's 429 and 5xx answers
    are tried again with a growing delay; its 400 and 403 are not (decision 0023).
    """
    try:
        return notification_deliver(notification_id=notification_id)
    except pacing.RateLimited as error:
        # The pace's second is full: this is not a failure. Wait for a free second, as the same task
        # with the same count of tries, rather than spend one of the tries kept for failures (and
        # wait at least the 30 s of a failure's backoff).
        self.signature_from_request().apply_async(countdown=error.countdown_for(1))
        return "waiting"
    except notify.Retryable as error:
        countdown = max(error.countdown, notify.backoff(self.request.retries))
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Email a batch of notifications, each once and in its own transaction (as
    :func:`deliver_notification`).

    One that must be tried later (Notify's 429 or 5xx, the mail server down) or fails is left to a
    task of its own, with that task's retries, and the rest of the batch is sent. When the pace's
    second is full (:mod:`notifications.pacing`), the rest of the batch waits, together, for the
    next second with room and its turn behind the batches turned away before it. A worker that
    dies half-way leaves the rest unsent: the batch is delivered again (``acks_late``), or
    :func:`deliver_unsent_notifications` queues them; those already sent are skipped.
    """
    unsent = still_to_email(notification_ids)
    outcomes: dict[str, int] = (
        {Outcome.SKIPPED: len(notification_ids) - len(unsent)} if len(unsent) < len(notification_ids) else {}
    )
    notification_ids = unsent
    for index, pk in enumerate(notification_ids):
        try:
            outcome = notification_deliver(notification_id=pk)
        except pacing.RateLimited as error:
            # This second's slots are taken: the rest of the batch waits, together, for its turn (at
            # least the next second with room; a second later for each batch turned away before it).
            countdown = error.countdown_for(DELIVERY_BATCH)
            deliver_notifications.apply_async((notification_ids[index:],), countdown=countdown)
            outcomes["waiting"] = len(notification_ids) - index
            break
        except notify.Retryable as error:
            deliver_notification.apply_async((pk,), countdown=max(error.countdown, notify.backoff(0)))
            outcome = "retried"
        except Exception:
            logger.exception("Notification %s could not be emailed; it will be tried again on its own", pk)
            deliver_notification.apply_async((pk,), countdown=notify.backoff(0))
            outcome = "retried"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def queue_emails(notification_ids: list[int]) -> None:
    """Queue the emails of these notifications, ``DELIVERY_BATCH`` to a task."""
    for start in range(0, len(notification_ids), DELIVERY_BATCH):
        deliver_notifications.delay(notification_ids[start : start + DELIVERY_BATCH])


@shared_task(bind=True, acks_late=True, max_retries=notify.MAX_RETRIES)
def deliver_letter(self, letter_id: int) -> str:
    """Post one letter through Notify, once; retried as emails are."""
    try:
        return letter_deliver(letter_id=letter_id)
    except notify.Retryable as error:
        countdown = max(error.countdown, notify.backoff(self.request.retries))
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=SWEEP_SOFT_TIME_LIMIT, time_limit=SWEEP_TIME_LIMIT)
def send_due_reminders(today: str | None = None) -> dict[str, int]:
    """Send the reminders due today (or on ``today``, an ISO date): run daily by Celery beat."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = reminders_sweep(today=day)
    logger.info("Reminders due on %s: %s", day.isoformat(), result.counts())
    return result.counts()


@shared_task(ignore_result=True)
def deliver_unsent_notifications() -> int:
    """Queue again the emails that were recorded but never sent; run every few minutes by beat."""
    now = timezone.now()
    pks = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            email_wanted=True,
            created_at__lt=now - UNSENT_AFTER,
            created_at__gte=now - UNSENT_GIVE_UP_AFTER,
        )
        .exclude(delivery_status="rejected")
        .order_by("created_at")
        .values_list("pk", flat=True)[:UNSENT_BATCH]
    )
    queue_emails(pks)
    if pks:
        logger.warning("Queued %s unsent notification emails again", len(pks))
    return len(pks)


@shared_task(ignore_result=True)
def prune_send_rate_windows() -> int:
    """Delete the pace's counters of seconds more than an hour old (one row a second of sending);
    run every 15 minutes by beat, whether or not anything was sent."""
    return pacing.windows_prune()
