"""GOV.UK Notify: sending an email or a precompiled letter, within Notify's rate limit.

Notify takes 3,000 messages a minute from a service; every request to it takes a slot of the pace
that all workers share (:mod:`notifications.pacing`, ``EMAIL_RATE_LIMIT_PER_MINUTE``), so the limit
holds whatever the number of workers. What Notify answers decides what happens next
(https://docs.notifications.service.gov.uk/python.html#error-codes):

- 429 (rate or daily limit) and 5xx (Notify's problem), or no answer at all: :class:`Retryable`,
  tried again later with a growing delay;
- 400 (a bad request: an invalid address, a letter that fails validation) and 403 (a bad key):
  :class:`Rejected`, never tried again (the same request would fail the same way).

Only the API client (``notifications-python-client``) talks to Notify; tests point
``NOTIFY_BASE_URL`` at ``tests/support/fake_notify.py``.
"""

import io
import logging
import random

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

# Attempts before a message that keeps failing with a retryable error is given up.
MAX_RETRIES = 8


class NotifyError(Exception):
    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class Retryable(NotifyError):
    """Try again later: after ``countdown`` seconds at least."""

    def __init__(self, message: str, *, status: int | None = None, countdown: float = 60):
        super().__init__(message, status=status)
        self.countdown = countdown


class Rejected(NotifyError):
    """Notify refused the request (400, 403): sending it again would be refused again."""


def is_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )


def backoff(retries: int) -> int:
    """Seconds to wait before try ``retries + 1``: 30 s, 1 min, 2 min… up to an hour, with jitter."""
    return min(30 * 2**retries, 3600) + random.randint(0, 15)  # noqa: S311 - spreading retries, not a secret


def _call(method, **kwargs) -> dict:
    from notifications import pacing  # (pacing's RateLimited is one of this module's errors)

    pacing.spend()  # the slot its message took beforehand, or one of its own (a second recipient)
    try:
        return method(**kwargs)
    except APIError as error:
        status = error.status_code
        if status == 429 or status >= 500:
            raise Retryable(f"Notify answered {status}: {error.message}", status=status) from error
        raise Rejected(f"Notify answered {status}: {error.message}", status=status) from error


def send_email(*, to: str, subject: str, body: str, reference: str = "") -> str:
    """Send one email through the generic template (``NOTIFY_EMAIL_TEMPLATE_ID``, whose subject is
    ``((subject))`` and body ``((body))``); returns Notify's notification id."""
    api = client()
    response = _call(
        api.send_email_notification,
        email_address=to,
        template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
        personalisation={"subject": subject, "body": body},
        reference=reference or None,
    )
    return str(response["id"])


def send_precompiled_letter(*, pdf: bytes, reference: str, postage: str = "second") -> str:
    """Post a PDF (A4, the address in Notify's address block) as a letter; returns Notify's id."""
    api = client()
    response = _call(
        api.send_precompiled_letter_notification, reference=reference, pdf_file=io.BytesIO(pdf), postage=postage
    )
    return str(response["id"])
