"""GOV.UK Notify: sending an email or a precompiled letter, within Notify's rate limit.

Notify takes 3,000 messages a minute from a service (``NOTIFY_RATE_LIMIT``); every worker takes a
slot from one counter per minute in the database (:func:`rate_limit_take`) before it calls Notify,
so the limit holds whatever the number of workers. What Notify answers decides what happens next
(https://docs.notifications.service.gov.uk/python.html#error-codes):

- 429 (rate or daily limit) and 5xx (Notify's problem), or no answer at all: :class:`Retryable`,
  tried again later with a growing delay;
- 400 (a bad request: an invalid address, a letter that fails validation) and 403 (a bad key):
  :class:`Rejected`, never tried again (the same request would fail the same way).

Only the API client (``notifications-python-client``) talks to Notify; tests point
``NOTIFY_BASE_URL`` at ``tests/support/fake_notify.py``.
"""

import contextlib
import contextvars
import io
import logging
import random

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
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

    def __init__(self, message: str, *, status: int | None = None, countdown: int = 60):
        super().__init__(message, status=status)
        self.countdown = countdown


class Rejected(NotifyError):
    """Notify refused the request (400, 403): sending it again would be refused again."""


class RateLimited(Retryable):
    """Our own counter is full for this minute: wait for the next one."""


def is_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )


def backoff(retries: int) -> int:
    """Seconds to wait before try ``retries + 1``: 30 s, 1 min, 2 min… up to an hour, with jitter."""
    return min(30 * 2**retries, 3600) + random.randint(0, 15)  # noqa: S311 - spreading retries, not a secret


def rate_limit_take(*, now=None) -> None:
    """Take one slot of this minute's allowance, or raise :class:`RateLimited` until the next minute.

    One row per minute, incremented with ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: atomic
    across processes. Call it outside a transaction (as :func:`slot` does), so that the counter's
    row is locked for one statement only, not during the call to Notify.
    """
    from notifications.models import NotifyRateWindow

    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    table = connection.ops.quote_name(NotifyRateWindow._meta.db_table)
    sql = (
        f"INSERT INTO {table} (minute, used) VALUES (%s, 1) "  # noqa: S608 - a table name only
        "ON CONFLICT (minute) DO UPDATE SET used = " + table + ".used + 1 RETURNING used"
    )
    value = NotifyRateWindow._meta.get_field("minute").get_db_prep_value(minute, connection)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [value])
        (used,) = cursor.fetchone()
    if used > settings.NOTIFY_RATE_LIMIT:
        wait = 60 - now.second + random.randint(0, 5)  # noqa: S311 - spreading retries
        raise RateLimited("Notify rate limit reached for this minute", status=429, countdown=wait)


_slots = contextvars.ContextVar("notify_slots", default=0)


@contextlib.contextmanager
def slot():
    """Take a slot now (committed at once), for the one call to Notify made inside the block."""
    rate_limit_take()
    token = _slots.set(_slots.get() + 1)
    try:
        yield
    finally:
        _slots.reset(token)


def _call(method, **kwargs) -> dict:
    if _slots.get() > 0:
        _slots.set(_slots.get() - 1)  # taken beforehand by slot()
    else:
        rate_limit_take()  # an email sent outside the outbox (a password reset)
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
