"""Reminders: the daily sweep that finds what is due and sends each reminder exactly once.

Each app says what is due in its own ``reminders.py``: a function ``due_reminders(today)`` that
yields a :class:`DueReminder` for everything due on that day, found with indexed queries (a fixed
number of queries, whatever the number of reminders). Each app registers it in its
``AppConfig.ready()`` (``notifications.registry.register_reminder_source``), with the kinds it
sends: this module imports no app.

The sweep sends each (kind, subject, recipient) once, whatever retries or parallel sweeps happen:
a ``ReminderClaim`` row per reminder, whose unique constraint lets only one sweep insert it, is
written in the same transaction as the reminder's Notification (emailed by a worker after commit).
Both rows are written or neither, for a batch of reminders at a time (one insert of notifications,
one of claims): a sweep costs a few queries per 5,000 reminders. A sweep that dies leaves nothing
half-done, and a later sweep sends what it did not (decision 0005).

A claim left unsent for longer than ``CLAIM_LEASE`` can only have been left by an earlier version
of the sweep, which committed claims before recording their notifications: a later sweep releases
it (one sweep only: the row is locked) and sends it, if it is still due.

A source that fails is logged and left out, and the other sources' reminders are sent; a source
that works out its reminders per subject uses :func:`each_subject`, so that one subject it cannot
work out (a date no calendar holds, a bug) is logged and skipped, and its other subjects are sent.
What was left out is listed in ``SweepResult.broken``.

Call the sweep outside any transaction: each step must commit on its own (the durable atomic
blocks below raise if they are nested).
"""

import contextvars
import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from compact_portal.names import council_name_lazy, service_name_lazy
from notifications import registry
from notifications.delivery import bouncing_addresses
from notifications.models import Notification, ReminderClaim
from notifications.services import (
    Message,
    Recipient,
    notifications_prepare,
    queue_emails_on_commit,
    recipient_language,
)

logger = logging.getLogger(__name__)

# A reminder whose day was missed (workers or beat were down) is still sent this many days after
# it fell due; after that it is left. This also keeps each source's queries to a date range.
CATCH_UP_DAYS = 7

# An unsent claim older than this was lost by a worker that died, and is taken over. Claiming and
# sending one reminder takes milliseconds; the lease is longer than the sweep task's time limit.
CLAIM_LEASE = datetime.timedelta(minutes=15)

# Every reminder ends with this, after its reason: rendered once per batch, not per message.
FOOTER = "notifications/emails/reminder_footer.txt"

# How many subject keys go into one query when the sweep looks for existing claims.
_CHUNK = 500
# How many reminders are claimed, recorded and marked sent together: each batch is a claims insert
# and a transaction of its own (a commit, a lock of its claims, a notifications insert), so fewer
# batches cost less; a batch that fails is halved until the reminder that fails is found.
_BATCH = 5000


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
    # Why these recipients are told (e.g. which of their organisations asked), added after the
    # message. Reminders about the same thing that differ only in this share one ``context`` dict:
    # the message is then rendered once for all of them.
    reason: str = ""
    # The language for recipients who have not chosen one: "cy" when the reminder concerns a
    # Welsh-first Compact ("" for the portal's default). See notifications.services.recipient_language.
    language: str = ""


Source = Callable[[datetime.date], Iterable[DueReminder]]

# What the running sweep left out because working it out failed (see ``each_subject``).
_broken: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("reminders_broken", default=None)


def _report_broken(what: str) -> None:
    logger.exception("Reminders of %s could not be worked out; left out of this sweep", what)
    broken = _broken.get()
    if broken is not None:
        broken.append(what)


def each_subject(subjects: Iterable, reminders_of: Callable[..., Iterable[DueReminder]], *, name: str) -> Iterator:
    """The reminders of each subject (``reminders_of(subject)``), leaving out, and logging, a subject
    whose reminders cannot be worked out: one bad row must not stop the reminders of every other.

    ``name`` names the subject in the log, with its ``pk`` ("consultation" gives "consultation 12").
    """
    for subject in subjects:
        try:
            found = list(reminders_of(subject))
        except Exception:
            _report_broken(f"{name} {getattr(subject, 'pk', subject)}")
            continue
        yield from found


@dataclass(frozen=True)
class DueDateReminders:
    """The two reminders of something with a due date (an action of a plan, an action agreed in
    mediation): ``due_soon`` falls ``soon_days`` before the date, ``overdue`` on the day after. Each
    stays due for CATCH_UP_DAYS days after the day it falls due, so a missed sweep still sends it."""

    due_soon: str
    overdue: str
    soon_days: int

    def windows(self, today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
        """Per kind, the due dates (first, last) whose reminder is due today."""
        lag = datetime.timedelta(days=CATCH_UP_DAYS - 1)
        soon = today + datetime.timedelta(days=self.soon_days)
        yesterday = today - datetime.timedelta(days=1)
        return {self.due_soon: (soon - lag, soon), self.overdue: (yesterday - lag, yesterday)}

    def due_on_filter(self, today: datetime.date, field: str = "due_on") -> Q:
        """The rows with a reminder due today, for one indexed query."""
        where = Q()
        for first, last in self.windows(today).values():
            where |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
        return where

    def kinds_due(self, due_on: datetime.date, today: datetime.date) -> Iterator[tuple[str, datetime.date]]:
        """(kind, the day it fell due) of each reminder due today for this due date."""
        for kind, (first, last) in self.windows(today).items():
            if first <= due_on <= last:
                falls_due = (
                    due_on - datetime.timedelta(days=self.soon_days)
                    if kind == self.due_soon
                    else due_on + datetime.timedelta(days=1)
                )
                yield kind, falls_due


def reminder_sources() -> tuple[Source, ...]:
    """Every app's reminders, as each app registered them in its ``AppConfig.ready()``."""
    return registry.reminder_sources()


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
    bouncing: int = 0  # not sent: the address bounced (decision 0023), until it is changed
    broken: list[str] = field(default_factory=list)  # sources or subjects left out (logged)

    def counts(self) -> dict[str, int]:
        return {
            "due": self.due,
            "claimed": self.claimed,
            "taken_over": self.taken_over,
            "sent": self.sent,
            "would_send": self.would_send,
            "skipped": self.skipped,
            "failed": self.failed,
            "bouncing": self.bouncing,
            "broken": len(self.broken),
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
    """Send every reminder due on ``today`` that has not been sent; with ``dry_run``, only list them.

    Reminders are claimed and sent a batch at a time (``_BATCH``): a few queries per batch, not
    per reminder. A batch that fails is left claimed and unsent; a later sweep takes it over once
    the lease is over.
    """
    if not dry_run:
        # Each batch commits on its own, then its emails are queued: refuse at once inside a
        # transaction (a durable block raises there), rather than fail each batch.
        with transaction.atomic(durable=True):
            pass
    result = SweepResult(today=today, dry_run=dry_run)
    token = _broken.set(result.broken)
    try:
        due = _due(today, reminder_sources() if sources is None else sources)
    finally:
        _broken.reset(token)
    bouncing = bouncing_addresses({email for _kind, _subject, email in due})
    if bouncing:
        kept = {key: value for key, value in due.items() if key[2] not in bouncing}
        result.bouncing = len(due) - len(kept)
        due = kept
    result.due = len(due)
    existing = _existing_claims(list(due))
    stale_before = timezone.now() - CLAIM_LEASE

    outcomes: dict[Key, Outcome] = {}
    to_send: list[Key] = []
    stale: dict[Key, int] = {}
    for key in due:
        claim = existing.get(key)
        if claim is None:
            to_send.append(key)
        elif claim.sent_at is None and claim.claimed_at < stale_before:
            stale[key] = claim.pk
        else:
            outcomes[key] = Outcome.SKIPPED
    if dry_run:
        for key in [*to_send, *stale]:
            outcomes[key] = Outcome.WOULD_SEND
        to_send, stale = [], {}
    if stale:
        released = _release(stale)
        result.taken_over = len(released)
        for key in stale:
            if key not in released:
                outcomes[key] = Outcome.SKIPPED  # another sweep released it first, and sends it
        to_send.extend(released)

    for start in range(0, len(to_send), _BATCH):
        batch = to_send[start : start + _BATCH]
        sent = _send_or_halve(batch, due, outcomes)
        result.claimed += len(sent)
        for key in batch:
            outcomes.setdefault(key, Outcome.SENT if key in sent else Outcome.SKIPPED)

    for key, (reminder, recipient) in due.items():
        outcome = outcomes[key]
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
        try:
            # What a failing source found before it failed is kept: each reminder is whole.
            for reminder in source(today):
                for recipient in reminder.recipients:
                    email = recipient.email.strip().lower()
                    if email:
                        due.setdefault((reminder.kind, reminder.subject_key, email), (reminder, recipient))
        except Exception:
            _report_broken(f"{getattr(source, '__module__', '')}.{getattr(source, '__qualname__', source)}")
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


def _send_or_halve(keys: list[Key], due, outcomes: dict[Key, Outcome]) -> set[Key]:
    """Send the reminders together; if that fails, each half on its own, and so on down to the
    reminder that fails (marked ``FAILED``, and sent by a later sweep: nothing of it was written).
    One bad reminder must not hold up the rest, and finding it costs a few transactions, not one per
    reminder of the batch."""
    try:
        return _send(keys, due)
    except Exception:
        if len(keys) == 1:
            logger.exception("Reminder %s %s for %s could not be sent; it will be tried again", *keys[0])
            outcomes[keys[0]] = Outcome.FAILED
            return set()
    logger.warning("A batch of %s reminders failed; sending each half on its own", len(keys))
    half = len(keys) // 2
    return _send_or_halve(keys[:half], due, outcomes) | _send_or_halve(keys[half:], due, outcomes)


def _send(keys: list[Key], due) -> set[Key]:
    """Record the reminders' notifications and their claims in one transaction; their emails are
    queued once it commits. Returns the keys sent.

    The notifications are inserted first, then the claims, each claim naming its notification and
    already sent (``INSERT … ON CONFLICT DO NOTHING RETURNING``). A claim another sweep holds makes
    its insert wait for that sweep's transaction and then insert nothing: the notification made for
    it is deleted again before the commit, and its email never queued. Either both rows are written
    or neither (a worker killed half-way leaves nothing), so there is no claim left unsent to take
    over later.
    """
    notifications = notifications_prepare(_messages(keys, due))
    with transaction.atomic(durable=True):
        Notification.objects.bulk_create(notifications)
        won = _claim(keys, due, [n.pk for n in notifications])
        if len(won) < len(keys):
            logger.info("%s reminders were sent by another sweep at the same time", len(keys) - len(won))
            Notification.objects.filter(
                pk__in=[n.pk for key, n in zip(keys, notifications, strict=True) if key not in won]
            ).delete()
            notifications = [n for key, n in zip(keys, notifications, strict=True) if key in won]
        queue_emails_on_commit(notifications)
    return won


def _messages(keys: list[Key], due) -> list[Message]:
    """The message of each reminder: its context made once per context given and due date (so a
    message is rendered once for all its recipients), then its reason and the footer."""
    contexts: dict[tuple[int, datetime.date], dict] = {}
    footers: dict[str, str] = {}  # rendered once per language
    messages = []
    for key in keys:
        reminder, recipient = due[key]
        group = (id(reminder.context), reminder.due_on)
        context = contexts.get(group)
        if context is None:
            context = contexts[group] = _context(reminder)
        language = recipient_language(recipient, reminder.language)
        footer = footers.get(language)
        if footer is None:
            with translation.override(language):
                footer = footers[language] = render_to_string(FOOTER, _context_of_the_portal()).strip()
        messages.append(
            Message(
                recipient=recipient,
                kind=reminder.kind,
                template=reminder.template,
                context=context,
                link=reminder.link,
                postscript=f"{reminder.reason}\n\n{footer}" if reminder.reason else footer,
                language=reminder.language,
            )
        )
    return messages


def _claim(keys: list[Key], due, notification_ids: list[int]) -> set[Key]:
    """Insert the claims, sent, each with its notification; those another sweep holds are left out.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, and SQLite 3.35 or later): the
    rows it returns are exactly the ones this sweep inserted.
    """
    table = connection.ops.quote_name(ReminderClaim._meta.db_table)
    now = timezone.now()
    columns = ["kind", "subject_key", "recipient_email", "due_on", "claimed_at", "sent_at", "notification"]
    rows_sql, params = _rows(
        [ReminderClaim._meta.get_field(name) for name in columns],
        [
            (kind, subject_key, email, due[(kind, subject_key, email)][0].due_on, now, now, notification_id)
            for (kind, subject_key, email), notification_id in zip(keys, notification_ids, strict=True)
        ],
    )
    names = ", ".join(ReminderClaim._meta.get_field(name).column for name in columns)
    sql = (
        f"INSERT INTO {table} ({names}) {rows_sql} "  # noqa: S608 - names only
        "ON CONFLICT (kind, subject_key, recipient_email) DO NOTHING "
        "RETURNING kind, subject_key, recipient_email"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row) for row in cursor.fetchall()}


def _release(claims: dict[Key, int]) -> list[Key]:
    """Delete claims left unsent for longer than the lease, so that this sweep sends them afresh.

    Only an earlier version of the sweep, which committed a claim before recording its
    notification, could leave one. Each is released by one sweep only (``skip_locked``); those
    another sweep got first are left out.
    """
    by_pk = {pk: key for key, pk in claims.items()}
    with transaction.atomic(durable=True):
        pks = list(
            ReminderClaim.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(by_pk), sent_at__isnull=True, claimed_at__lt=timezone.now() - CLAIM_LEASE)
            .values_list("pk", flat=True)
        )
        ReminderClaim.objects.filter(pk__in=pks).delete()
    return [by_pk[pk] for pk in pks]


def _rows(fields: list, rows: list[tuple]) -> tuple[str, list]:
    """Rows of values as SQL, for an ``INSERT`` or a ``FROM (…)``; their columns are column1, column2…

    On PostgreSQL one array per column, unnested: five parameters rather than 2,500 for 500 rows,
    which halves the time of the claims' insert. Elsewhere a ``VALUES`` list.
    """
    columns = [
        [field.get_db_prep_value(value, connection) for value in column]
        for field, column in zip(fields, zip(*rows, strict=True), strict=True)
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        names = ", ".join(f"column{number}" for number in range(1, len(fields) + 1))
        return f"SELECT * FROM unnest({arrays}) AS u({names})", columns  # noqa: S608 - types and names only
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return f"VALUES {', '.join([row] * len(rows))}", [
        value for values in zip(*columns, strict=True) for value in values
    ]


def _context_of_the_portal() -> dict:
    # Lazy: a context made once is rendered in each reader's language.
    return {"PORTAL_SERVICE_NAME": service_name_lazy(), "PORTAL_COUNCIL_NAME": council_name_lazy()}


def _context(reminder: DueReminder) -> dict:
    return {**_context_of_the_portal(), "due_on": reminder.due_on, **reminder.context}
