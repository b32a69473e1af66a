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


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def password_reset_send(email: str, domain: str, use_https: bool, language: str = "") -> None:
    """Email a password-reset link to each active account with this address (none: nothing is sent).

    Run by the worker, not in the request, so that the answer takes the same time whether or not an
    account has the address. The link is a credential: it is sent, never stored (not in the
    notifications outbox, whose rows are kept and shown on the notifications page). Each email is
    in its account's language, or ``language`` (the page's it was asked from) when it has not chosen.
    """
    from accounts.forms import ResetRequestForm

    form = ResetRequestForm(data={"email": email})
    if not form.is_valid():
        return
    form.send_reset_emails(domain=domain, use_https=use_https, language=language)
