"""Nightly housekeeping of what the privacy notice says is not kept: ended sessions and old
sign-in records."""

import datetime
import logging

from axes.models import AccessLog
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def remove_expired_records() -> dict[str, int]:
    """Delete ended sessions and sign-in records older than PORTAL_SIGN_IN_RECORDS_KEPT_DAYS."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    kept_from = now - datetime.timedelta(days=settings.PORTAL_SIGN_IN_RECORDS_KEPT_DAYS)
    sign_ins, _ = AccessLog.objects.filter(attempt_time__lt=kept_from).delete()
    removed = {"sessions": sessions, "sign_in_records": sign_ins}
    logger.info("Removed expired records: %s", removed)
    return removed
