"""The pace of outgoing messages (notifications/pacing.py, docs/decisions/0029): a second's share of
the minute's limit, for every backend, with the clock frozen or moved by hand."""

import datetime
import heapq
import os

import pytest
from django.core import mail

from notifications import pacing, tasks
from notifications.delivery import notification_deliver
from notifications.models import Notification, SendRateWindow
from notifications.services import Message, Recipient, notify_many
from tests.accounts.factories import UserFactory
from tests.conftest import require
from tests.support.threads import at_once

pytestmark = pytest.mark.django_db

PACED = "notifications.backends.PacedEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class Clock:
    """``django.utils.timezone.now`` frozen at ``now``, moved only by the test (or by a sleep)."""

    def __init__(self, monkeypatch, now: datetime.datetime):
        self.now = now
        self.slept: list[float] = []
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)

    # Stands in for the time module in notifications.pacing: sleeping moves the clock.
    def monotonic(self) -> float:
        return self.now.timestamp()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, datetime.datetime(2026, 12, 7, 7, 0, 10, 200_000, tzinfo=datetime.UTC))


def takes_until_turned_away(limit_guard: int = 1000) -> int:
    """How many slots this second still gives."""
    for taken in range(limit_guard):
        try:
            pacing.take()
        except pacing.RateLimited:
            return taken
    raise AssertionError("never turned away")


def record(n: int) -> list[int]:
    created = notify_many(
        [
            Message(Recipient(email=f"group{i}@example.org"), "invitation", "signatories/emails/invitation.txt", {})
            for i in range(n)
        ]
    )
    return [notification.pk for notification in created]


# --- the allowance of each second ---------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 30, 59, 60, 61, 100, 119, 3000, 3001, 7919])
def test_no_second_allows_more_than_its_share_and_any_sixty_seconds_allow_the_limit(limit):
    seconds = [pacing.allowance(limit, k % 60) for k in range(180)]
    assert max(seconds) == pacing.per_second(limit) == -(-limit // 60)
    assert min(seconds) >= limit // 60
    for start in range(120):  # 60 consecutive seconds, starting anywhere in a minute
        assert sum(seconds[start : start + 60]) == limit


def test_the_fifty_first_send_in_a_second_waits_for_the_next_second(settings, clock):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    for _ in range(50):
        pacing.take()
    with pytest.raises(pacing.RateLimited) as raised:
        pacing.take()
    assert 0.8 <= raised.value.countdown < 1.5  # the next second starts 0.8 s later, plus a little jitter
    assert raised.value.ahead == 0
    with pytest.raises(pacing.RateLimited) as again:
        pacing.take()
    assert again.value.ahead == 1  # the second caller turned away knows one is ahead of it

    clock.advance(1)
    assert takes_until_turned_away() == 50
    assert SendRateWindow.objects.count() == 2  # one row a second, whatever the worker


def test_never_more_than_the_limit_in_any_sixty_seconds(settings, clock):
    """Sending as fast as the pace lets, second after second, for two and a half minutes."""
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 100  # not a multiple of 60: 1 or 2 a second
    granted = []
    for _second in range(150):
        granted.append(takes_until_turned_away())
        clock.advance(1)
    assert max(granted) == 2
    windows = [sum(granted[start : start + 60]) for start in range(len(granted) - 59)]
    assert max(windows) == 100  # the limit, used in full, never passed
    assert min(windows) == 100


def test_fewer_than_sixty_a_minute_waits_for_a_second_that_allows_one(settings, clock):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 30  # Exchange Online's SMTP submission: every other second
    clock.now = clock.now.replace(second=0)  # second 0 of a minute allows none at 30 a minute
    assert pacing.allowance(30, 0) == 0 and pacing.allowance(30, 1) == 1
    with pytest.raises(pacing.RateLimited) as raised:
        pacing.take()
    assert 0.8 <= raised.value.countdown < 1.5
    clock.advance(1)
    assert takes_until_turned_away() == 1
    with pytest.raises(pacing.RateLimited) as raised:
        pacing.take()
    assert 1.8 <= raised.value.countdown < 2.5  # second 2 allows none either: second 3


def test_zero_is_no_limit_and_counts_nothing(settings, clock):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 0
    for _ in range(500):
        pacing.take()
    assert not SendRateWindow.objects.exists()


# --- every backend ----------------------------------------------------------------------------------


def test_the_outbox_is_paced_with_any_backend(settings, clock):
    """The test settings' in-memory backend stands for SMTP and files: the outbox takes a slot before
    it sends, whatever sends."""
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 120  # 2 a second
    first, second, third = record(3)
    assert notification_deliver(notification_id=first) == "sent"
    assert notification_deliver(notification_id=second) == "sent"
    with pytest.raises(pacing.RateLimited):
        notification_deliver(notification_id=third)
    assert len(mail.outbox) == 2
    assert Notification.objects.get(pk=third).emailed_at is None

    clock.advance(1)
    assert notification_deliver(notification_id=third) == "sent"
    assert len(mail.outbox) == 3


def test_the_paced_backend_counts_the_outbox_email_once(settings, clock):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 120
    settings.EMAIL_BACKEND, settings.PORTAL_EMAIL_BACKEND = PACED, LOCMEM
    [pk] = record(1)
    assert notification_deliver(notification_id=pk) == "sent"
    assert len(mail.outbox) == 1
    assert SendRateWindow.objects.get().used == 1  # the outbox's slot, not another in the backend


def test_a_password_reset_takes_a_slot_too(settings, clock):
    from accounts.tasks import password_reset_send

    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 120
    settings.EMAIL_BACKEND, settings.PORTAL_EMAIL_BACKEND = PACED, LOCMEM
    user = UserFactory(email="amal@example.org")
    password_reset_send(user.email, "testserver", True)
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert SendRateWindow.objects.get(second=clock.now.replace(microsecond=0)).used == 1


def test_a_password_reset_in_a_full_second_waits_for_the_next(settings, clock, monkeypatch):
    from accounts.tasks import password_reset_send

    monkeypatch.setattr(pacing, "time", clock)
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 120
    settings.EMAIL_BACKEND, settings.PORTAL_EMAIL_BACKEND = PACED, LOCMEM
    user = UserFactory(email="amal@example.org")
    started = clock.now
    pacing.take()
    pacing.take()  # the second is full
    password_reset_send(user.email, "testserver", True)
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert len(clock.slept) == 1 and 0.8 <= clock.slept[0] < 1.1
    assert clock.now.replace(microsecond=0) == started.replace(microsecond=0) + datetime.timedelta(seconds=1)


def test_an_email_outside_the_outbox_waits_thirty_seconds_at_most(settings, clock, monkeypatch):
    monkeypatch.setattr(pacing, "time", clock)
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    settings.EMAIL_BACKEND, settings.PORTAL_EMAIL_BACKEND = PACED, LOCMEM

    def always_full(*, now=None):
        raise pacing.RateLimited("full", countdown=1.0, limit=3000)

    monkeypatch.setattr(pacing, "take", always_full)
    with pytest.raises(pacing.RateLimited):
        mail.send_mail("Reset your password", "A link", None, ["amal@example.org"])
    assert mail.outbox == []
    assert 29 <= sum(clock.slept) <= 30


def test_an_email_that_may_fail_silently_is_dropped_rather_than_wait(settings, clock, monkeypatch):
    """Django's error emails to admins (``fail_silently``) do not hold a request up."""
    monkeypatch.setattr(pacing, "time", clock)
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 60
    settings.EMAIL_BACKEND, settings.PORTAL_EMAIL_BACKEND = PACED, LOCMEM
    settings.ADMINS = [("Admin", "admin@example.org")]
    pacing.take()
    mail.mail_admins("Something broke", "A traceback", fail_silently=True)
    assert mail.outbox == []
    assert clock.slept == []
    clock.advance(1)
    mail.mail_admins("Something broke", "A traceback", fail_silently=True)
    assert len(mail.outbox) == 1


# --- batches ------------------------------------------------------------------------------------------


def test_batches_turned_away_wait_their_turn_rather_than_ask_every_second(settings, clock, monkeypatch):
    """Eight batches queued at once, at 10 a second: each goes out in its own second, and no batch
    is turned away more than once (without the turn, the last would ask seven times)."""
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 600  # 10 a second
    monkeypatch.setattr(tasks, "DELIVERY_BATCH", 10)
    ids = record(80)
    batches = [ids[start : start + 10] for start in range(0, 80, 10)]
    queue = [(clock.now, n, batch) for n, batch in enumerate(batches)]  # a broker, in time order
    heapq.heapify(queue)
    order = [len(queue)]

    def later(args, countdown):
        order[0] += 1
        heapq.heappush(queue, (clock.now + datetime.timedelta(seconds=countdown), order[0], args[0]))

    monkeypatch.setattr(tasks.deliver_notifications, "apply_async", later)
    runs = 0
    sent_in_second: dict[datetime.datetime, int] = {}
    while queue:
        clock.now, _n, batch = heapq.heappop(queue)
        before = len(mail.outbox)
        tasks.deliver_notifications(batch)
        runs += 1
        second = clock.now.replace(microsecond=0)
        sent_in_second[second] = sent_in_second.get(second, 0) + len(mail.outbox) - before

    assert sorted(message.to[0] for message in mail.outbox) == sorted(f"group{i}@example.org" for i in range(80))
    assert max(sent_in_second.values()) == 10
    assert runs == 8 + 7  # each batch after the first turned away once, then sent whole
    elapsed = max(sent_in_second) - min(sent_in_second)
    assert elapsed <= datetime.timedelta(seconds=8)  # 80 at 10 a second: no second lost waiting


# --- the counters -------------------------------------------------------------------------------------


def test_the_counters_of_seconds_long_gone_are_deleted_by_a_periodic_task(settings, clock):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    now = clock.now
    pacing.take(now=now - datetime.timedelta(hours=2))
    pacing.take(now=now - datetime.timedelta(minutes=59))
    pacing.take(now=now)
    assert tasks.prune_send_rate_windows() == 1
    assert sorted(SendRateWindow.objects.values_list("second", flat=True)) == [
        (now - datetime.timedelta(minutes=59)).replace(microsecond=0),
        now.replace(microsecond=0),
    ]
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.prune_send_rate_windows.name]
    assert entry["schedule"].minute == {7, 22, 37, 52}  # every quarter hour, whatever was sent


# --- across processes ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_at_the_same_time_share_one_second(settings, clock):
    """Four workers (threads, each on its own connection) asking together: the second gives its
    fifty, no more, and every ask is counted."""
    require(os.environ.get("DATABASE_URL", "").startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000

    def worker():
        mine = 0
        for _ in range(30):
            try:
                pacing.take()
                mine += 1
            except pacing.RateLimited:
                pass
        return mine

    granted = at_once(worker, 4)
    assert sum(granted) == 50
    assert SendRateWindow.objects.get().used == 120
