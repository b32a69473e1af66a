import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.reminders import reminders_sweep

logger = logging.getLogger(__name__)

# Claiming and recording one reminder takes a few milliseconds; these limits stop a runaway sweep
# (what it has not reached is still due tomorrow). Both are shorter than reminders.CLAIM_LEASE.
SWEEP_SOFT_TIME_LIMIT = 10 * 60
SWEEP_TIME_LIMIT = 11 * 60


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id: int) -> None:
    """Email one notification, once: the row is locked and marked in the same transaction."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=SWEEP_SOFT_TIME_LIMIT, time_limit=SWEEP_TIME_LIMIT)
def send_due_reminders(today: str | None = None) -> dict[str, int]:
    """Send the reminders due today (or on ``today``, an ISO date): run daily by Celery beat."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = reminders_sweep(today=day)
    logger.info("Reminders due on %s: %s", day.isoformat(), result.counts())
    return result.counts()
