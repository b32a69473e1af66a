"""Outgoing messages paced second by second, whatever sends them (docs/decisions/0029).

At most ``EMAIL_RATE_LIMIT_PER_MINUTE`` (L) messages a minute, all workers together, spread evenly
over the minute's seconds: second ``k`` of a minute (0–59) allows ``(k + 1)·L // 60 − k·L // 60``.
So a second never allows more than ``ceil(L / 60)`` (50 for GOV.UK Notify's 3,000), and any 60
consecutive seconds allow exactly L (the allowance of second ``k`` is the same in every minute). The
morning sweep's ten thousand emails go out at an even 50 a second, not 3,000 at the start of each
minute. ``L = 0``: not paced.

Each second is one counter row (:class:`~notifications.models.SendRateWindow`), incremented with
``INSERT … ON CONFLICT DO UPDATE … RETURNING``: atomic across processes. Callers turned away still
count, so a caller learns its place in the line (``RateLimited.ahead``) and waits its turn rather
than coming back every second with the others.

A message takes its slot before it is sent, once: :func:`slot` around the sending of one message
(the outbox, :class:`notifications.backends.PacedEmailBackend` for any email, a posted letter);
inside it, a nested :func:`slot` takes nothing more, and :func:`spend` (each request to GOV.UK
Notify, which counts requests, not messages) uses the slot already taken before taking another.
"""

import contextlib
import contextvars
import datetime
import logging
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from notifications import notify

logger = logging.getLogger(__name__)

# A caller turned away wakes this much (at random) after the next second starts, so that the
# batches waiting for that second do not all ask at the same instant.
JITTER_SECONDS = 0.25
# Counter rows older than this are deleted (deliver_unsent_notifications, every 15 minutes).
WINDOWS_KEPT = datetime.timedelta(hours=1)


class RateLimited(notify.Retryable):
    """This second's allowance is used up: try again after ``countdown`` seconds (a float).

    ``ahead`` callers were turned away before this one in the same second; each is waiting too.
    """

    def __init__(self, message: str, *, countdown: float, ahead: int = 0, limit: int = 0):
        super().__init__(message, status=429, countdown=countdown)
        self.countdown = countdown
        self.ahead = ahead
        self.limit = limit

    def countdown_for(self, size: int) -> float:
        """Seconds to wait for a caller that sends up to ``size`` messages in a row (a batch): the
        next second with room, then its turn behind those turned away before it, each taken to send
        as many. A batch so never asks again and again within one second."""
        if not self.limit:
            return self.countdown
        return self.countdown + self.ahead * size * 60 / self.limit


def limit_per_minute() -> int:
    return max(int(getattr(settings, "EMAIL_RATE_LIMIT_PER_MINUTE", 0) or 0), 0)


def per_second(limit: int) -> int:
    """The most a second ever allows: ``ceil(limit / 60)``."""
    return -(-limit // 60)


def allowance(limit: int, second_of_minute: int) -> int:
    """What second ``second_of_minute`` (0–59) of any minute allows; the 60 add up to ``limit``."""
    k = second_of_minute
    return (k + 1) * limit // 60 - k * limit // 60


def take(*, now: datetime.datetime | None = None) -> None:
    """Take one slot of this second's allowance, or raise :class:`RateLimited`.

    Call it outside a transaction (as :func:`slot` does), so that the counter's row is locked for
    one statement only, not while the message is being sent.
    """
    from notifications.models import SendRateWindow

    limit = limit_per_minute()
    if not limit:
        return
    now = now or timezone.now()
    second = now.replace(microsecond=0)
    quote = connection.ops.quote_name
    table, column = quote(SendRateWindow._meta.db_table), quote("second")
    sql = (
        f"INSERT INTO {table} ({column}, used) VALUES (%s, 1) "  # noqa: S608 - names only
        f"ON CONFLICT ({column}) DO UPDATE SET used = {table}.used + 1 RETURNING used"
    )
    value = SendRateWindow._meta.get_field("second").get_db_prep_value(second, connection)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [value])
        (used,) = cursor.fetchone()
    allowed = allowance(limit, second.second)
    if used <= allowed:
        return
    following = second + datetime.timedelta(seconds=1)
    while not allowance(limit, following.second):  # fewer than 60 a minute: some seconds allow none
        following += datetime.timedelta(seconds=1)
    wait = (following - now).total_seconds() + random.uniform(0, JITTER_SECONDS)  # noqa: S311 - spreading retries
    raise RateLimited(
        f"{limit} messages a minute: this second's {allowed} are taken",
        countdown=wait,
        ahead=used - allowed - 1,
        limit=limit,
    )


def take_waiting(*, max_wait: float) -> None:
    """Take a slot, sleeping until a second with room, for ``max_wait`` seconds at most (then
    :class:`RateLimited`). For a message that has no queue to wait in (a password reset)."""
    deadline = time.monotonic() + max_wait
    while True:
        try:
            take()
        except RateLimited as error:
            if time.monotonic() + error.countdown > deadline:
                raise
            time.sleep(error.countdown)
        else:
            return


_held = contextvars.ContextVar("pacing_slots_held", default=0)


@contextlib.contextmanager
def slot(*, wait: float = 0):
    """A slot for the one message sent inside the block, taken now (committed at once); nothing
    more when an enclosing block has taken it already. ``wait``: seconds it may sleep for one."""
    if _held.get() > 0:
        yield
        return
    if wait:
        take_waiting(max_wait=wait)
    else:
        take()
    token = _held.set(1)
    try:
        yield
    finally:
        _held.reset(token)


def spend() -> None:
    """Count one request to a provider that counts requests (GOV.UK Notify): the slot taken by an
    enclosing :func:`slot` if it is unused, else a new one (a second recipient, a message sent
    outside any slot)."""
    if _held.get() > 0:
        _held.set(_held.get() - 1)
    else:
        take()


def windows_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the counters of seconds more than an hour old; returns how many."""
    from notifications.models import SendRateWindow

    now = now or timezone.now()
    deleted, _kinds = SendRateWindow.objects.filter(second__lt=now - WINDOWS_KEPT).delete()
    return deleted
