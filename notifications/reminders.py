"""Reminders: the daily sweep that finds what is due and sends each reminder exactly once.

Each app says what is due in its own ``reminders.py``: a function ``due_reminders(today)`` that
yields a :class:`DueReminder` for everything due on that day, found with indexed queries (a fixed
number of queries, whatever the number of reminders). They are listed by hand in
:func:`reminder_sources`; adding an app's reminders is one line there.

The sweep sends each (kind, subject, recipient) once, whatever retries or parallel sweeps happen:

1. It claims the reminder by inserting a ``ReminderClaim`` row in its own short transaction.
   The row's unique constraint lets only one sweep insert it; the others skip it.
2. Only once the claim is committed does it record the Notification (emailed by
   ``deliver_notification`` after commit) and mark the claim sent, in one transaction, and only
   if the claim is still its own.
3. A claim left unsent for longer than ``CLAIM_LEASE`` was lost by a worker that died: a later
   sweep takes it over (one sweep only: the row is locked and its ``claimed_at`` moved on) and
   sends it then, if it is still due.

Call the sweep outside any transaction: each step must commit on its own (the durable atomic
blocks below raise if they are nested).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import ReminderClaim
from notifications.services import Recipient, notify

logger = logging.getLogger(__name__)

# A reminder whose day was missed (workers or beat were down) is still sent this many days after
# it fell due; after that it is left. This also keeps each source's queries to a date range.
CATCH_UP_DAYS = 7

# An unsent claim older than this was lost by a worker that died, and is taken over. Claiming and
# sending one reminder takes milliseconds; the lease is longer than the sweep task's time limit.
CLAIM_LEASE = datetime.timedelta(minutes=15)

# How many subject keys go into one query when the sweep looks for existing claims.
_CHUNK = 500


@dataclass(frozen=True)
class DueReminder:
    """One reminder due today, about one thing, for the people who should get it."""

    kind: str  # e.g. "reaffirm_2_weeks"; with subject_key and the recipient, what is sent once
    subject_key: str  # what it is about, e.g. "signature:12"
    recipients: list[Recipient]
    due_on: datetime.date
    template: str  # first line the subject, then the body (see notifications.services.notify)
    context: dict = field(default_factory=dict)
    link: str = ""  # a path on the portal; made absolute in the email


Source = Callable[[datetime.date], Iterable[DueReminder]]


def reminder_sources() -> tuple[Source, ...]:
    """Every app's reminders, listed by hand (later issues add their apps here).

    Imported inside the function, not at the top: each of these modules imports
    :class:`DueReminder` from this one.
    """
    from consultations import reminders as consultations_reminders
    from disputes import reminders as disputes_reminders
    from funding import reminders as funding_reminders
    from signatories import reminders as signatories_reminders

    return (
        signatories_reminders.due_reminders,
        consultations_reminders.due_reminders,
        funding_reminders.due_reminders,
        disputes_reminders.due_reminders,
    )


class Outcome(StrEnum):
    SENT = "sent"
    WOULD_SEND = "would send"
    SKIPPED = "skipped"  # already sent, or being sent by another sweep
    FAILED = "failed"  # claimed but not sent; a later sweep tries again once the lease is over


@dataclass(frozen=True)
class SweepItem:
    kind: str
    subject_key: str
    email: str
    due_on: datetime.date
    outcome: Outcome


@dataclass
class SweepResult:
    """What one sweep found and did, counted per reminder and recipient."""

    today: datetime.date
    dry_run: bool
    items: list[SweepItem] = field(default_factory=list)
    due: int = 0
    claimed: int = 0  # newly claimed, or taken over from a sweep that died (``taken_over``)
    taken_over: int = 0
    sent: int = 0
    would_send: int = 0
    skipped: int = 0
    failed: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "due": self.due,
            "claimed": self.claimed,
            "taken_over": self.taken_over,
            "sent": self.sent,
            "would_send": self.would_send,
            "skipped": self.skipped,
            "failed": self.failed,
        }


@dataclass(frozen=True)
class _Existing:
    pk: int
    claimed_at: datetime.datetime
    sent_at: datetime.datetime | None


Key = tuple[str, str, str]  # kind, subject_key, recipient email (lower case)


def reminders_sweep(
    *, today: datetime.date, dry_run: bool = False, sources: Iterable[Source] | None = None
) -> SweepResult:
    """Send every reminder due on ``today`` that has not been sent; with ``dry_run``, only list them."""
    result = SweepResult(today=today, dry_run=dry_run)
    due = _due(today, reminder_sources() if sources is None else sources)
    result.due = len(due)
    existing = _existing_claims(list(due))
    stale_before = timezone.now() - CLAIM_LEASE

    for key, (reminder, recipient) in due.items():
        claim = existing.get(key)
        take_over = claim is not None and claim.sent_at is None and claim.claimed_at < stale_before
        if claim is not None and not take_over:
            outcome = Outcome.SKIPPED
        elif dry_run:
            outcome = Outcome.WOULD_SEND
        else:
            outcome = _claim_and_send(key, reminder, recipient, result, take_over_pk=claim.pk if take_over else None)
        result.items.append(
            SweepItem(kind=key[0], subject_key=key[1], email=recipient.email, due_on=reminder.due_on, outcome=outcome)
        )
        if outcome == Outcome.SENT:
            result.sent += 1
        elif outcome == Outcome.WOULD_SEND:
            result.would_send += 1
        elif outcome == Outcome.SKIPPED:
            result.skipped += 1
        else:
            result.failed += 1
    return result


def _due(today: datetime.date, sources: Iterable[Source]) -> dict[Key, tuple[DueReminder, Recipient]]:
    """Each reminder due today, once per recipient (emails compared without case)."""
    due: dict[Key, tuple[DueReminder, Recipient]] = {}
    for source in sources:
        for reminder in source(today):
            for recipient in reminder.recipients:
                email = recipient.email.strip().lower()
                if email:
                    due.setdefault((reminder.kind, reminder.subject_key, email), (reminder, recipient))
    return due


def _existing_claims(keys: list[Key]) -> dict[Key, _Existing]:
    """The claims already made for these keys: a query per kind and 500 subjects (unique index)."""
    by_kind: dict[str, set[str]] = {}
    for kind, subject_key, _email in keys:
        by_kind.setdefault(kind, set()).add(subject_key)
    found: dict[Key, _Existing] = {}
    for kind, subject_keys in by_kind.items():
        ordered = sorted(subject_keys)
        for start in range(0, len(ordered), _CHUNK):
            rows = ReminderClaim.objects.filter(kind=kind, subject_key__in=ordered[start : start + _CHUNK]).values_list(
                "pk", "subject_key", "recipient_email", "claimed_at", "sent_at"
            )
            for pk, subject_key, email, claimed_at, sent_at in rows:
                found[(kind, subject_key, email)] = _Existing(pk=pk, claimed_at=claimed_at, sent_at=sent_at)
    return found


def _claim_and_send(
    key: Key, reminder: DueReminder, recipient: Recipient, result: SweepResult, *, take_over_pk: int | None
) -> Outcome:
    claim = _take_over(take_over_pk) if take_over_pk is not None else _claim(key, reminder)
    if claim is None:
        return Outcome.SKIPPED
    result.claimed += 1
    if take_over_pk is not None:
        result.taken_over += 1
    try:
        sent = _send(claim, reminder, recipient)
    except Exception:
        logger.exception("Reminder %s %s for %s could not be sent; it will be tried again", *key)
        return Outcome.FAILED
    return Outcome.SENT if sent else Outcome.SKIPPED


def _claim(key: Key, reminder: DueReminder) -> ReminderClaim | None:
    """Insert the claim and commit it; None when another sweep has it already."""
    kind, subject_key, email = key
    try:
        with transaction.atomic(durable=True):
            return ReminderClaim.objects.create(
                kind=kind,
                subject_key=subject_key,
                recipient_email=email,
                due_on=reminder.due_on,
                claimed_at=timezone.now(),
            )
    except IntegrityError:
        return None


def _take_over(pk: int) -> ReminderClaim | None:
    """Take over a claim whose sweep died before sending it; None when another sweep got there first."""
    with transaction.atomic(durable=True):
        claim = (
            ReminderClaim.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True, claimed_at__lt=timezone.now() - CLAIM_LEASE)
            .first()
        )
        if claim is None:
            return None
        claim.claimed_at = timezone.now()
        claim.save(update_fields=["claimed_at"])
    return claim


class _ClaimLost(Exception):
    """The claim was taken over while this sweep held it (it was slower than the lease)."""


def _send(claim: ReminderClaim, reminder: DueReminder, recipient: Recipient) -> bool:
    """Record the notification and mark the claim sent, together; it is emailed after commit.

    False (and nothing recorded) when another sweep has taken the claim over in the meantime.
    """
    context = {
        "PORTAL_SERVICE_NAME": settings.PORTAL_SERVICE_NAME,
        "PORTAL_COUNCIL_NAME": settings.PORTAL_COUNCIL_NAME,
        "due_on": reminder.due_on,
        **reminder.context,
    }
    try:
        with transaction.atomic(durable=True):
            [notification] = notify(
                recipients=[recipient],
                kind=reminder.kind,
                template=reminder.template,
                context=context,
                link=reminder.link,
            )
            marked = ReminderClaim.objects.filter(
                pk=claim.pk, sent_at__isnull=True, claimed_at=claim.claimed_at
            ).update(sent_at=timezone.now(), notification=notification)
            if not marked:
                raise _ClaimLost
    except _ClaimLost:
        logger.warning("Reminder claim %s was taken over by another sweep; not sending it twice", claim.pk)
        return False
    return True
