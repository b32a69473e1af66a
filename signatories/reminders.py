"""Reminders about signatures, for the daily sweep (notifications.reminders).

- ``reaffirm_2_weeks`` and ``reaffirm_4_weeks``: an organisation asked to re-affirm its signature
  for a new edition has not done so 14 or 28 days later. To the organisation's admins, or to its
  contact email when it has no admins.
- ``approval_waiting``: an application to sign has waited for approval for more than 10 working
  days (bank holidays of the Compact's nation skipped). To each coordinator of the Compact.

Each is about one signature row (one per organisation and edition), so "once per organisation,
kind and edition" is the subject key ``signature:<pk>``. Four queries in all, however many are due.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, Q
from django.utils import timezone

from commitments.models import Edition
from commitments.rules import add_working_days
from commitments.selectors import compact_default_language
from notifications.reminders import CATCH_UP_DAYS, DueReminder
from notifications.services import Recipient, recipients_for_users
from signatories.models import Organisation, Signature
from signatories.selectors import members_to_tell
from signatories.services import organisation_recipients

REAFFIRM_REMINDER_DAYS = {"reaffirm_2_weeks": 14, "reaffirm_4_weeks": 28}
APPROVAL_WAITING_WORKING_DAYS = 10

# More than 10 working days have passed on the 11th working day after applying, which is never
# more than this many calendar days later (weekends and the Christmas and New Year bank holidays
# included). It only bounds the query; which applications are due is worked out exactly.
_LONGEST_WAIT_IN_CALENDAR_DAYS = 31


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    yield from _reaffirmation_reminders(today)
    yield from _approval_reminders(today)


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the portal's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _requested_between(first: datetime.date, last: datetime.date) -> Q:
    """``applied_at`` on one of the days ``first``..``last`` (inclusive), in local time."""
    return Q(applied_at__gte=_start_of(first), applied_at__lt=_start_of(last + datetime.timedelta(days=1)))


def _reaffirmation_reminders(today: datetime.date) -> Iterator[DueReminder]:
    # A reminder falls due ``days`` after the request and stays due for CATCH_UP_DAYS days.
    windows = Q()
    for days in REAFFIRM_REMINDER_DAYS.values():
        windows |= _requested_between(
            today - datetime.timedelta(days=days + CATCH_UP_DAYS - 1), today - datetime.timedelta(days=days)
        )
    signatures = (
        # Only for the current edition: a request for an edition since replaced is followed by a
        # request for the new one (signatories.services._reaffirmation_due), which is reminded of.
        Signature.objects.filter(
            windows, status=Signature.Status.REAFFIRMATION_REQUESTED, edition__status=Edition.Status.PUBLISHED
        )
        .select_related("organisation", "edition__compact")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=members_to_tell(admins_only=True),
                to_attr="admin_memberships",
            )
        )
        .order_by("applied_at", "pk")
    )
    for signature in signatures:
        requested_on = timezone.localdate(signature.applied_at)
        age = (today - requested_on).days
        for kind, days in REAFFIRM_REMINDER_DAYS.items():
            if not days <= age < days + CATCH_UP_DAYS:
                continue
            recipients = _admins_or_contact(signature.organisation)
            if recipients:
                yield DueReminder(
                    kind=kind,
                    subject_key=f"signature:{signature.pk}",
                    recipients=recipients,
                    due_on=requested_on + datetime.timedelta(days=days),
                    template=f"signatories/emails/reminder_{kind}.txt",
                    language=compact_default_language(signature.edition.compact),
                    context={"signature": signature, "requested_on": requested_on},
                    link=signature.get_absolute_url(),
                )


def _admins_or_contact(organisation: Organisation) -> list[Recipient]:
    """The organisation's admins (prefetched as ``admin_memberships``), or its contact."""
    return organisation_recipients(organisation, organisation.admin_memberships)


def _approval_reminders(today: datetime.date) -> Iterator[DueReminder]:
    # The 11th working day is at least 11 calendar days after applying.
    signatures = (
        Signature.objects.filter(
            _requested_between(
                today - datetime.timedelta(days=_LONGEST_WAIT_IN_CALENDAR_DAYS + CATCH_UP_DAYS),
                today - datetime.timedelta(days=APPROVAL_WAITING_WORKING_DAYS + 1),
            ),
            status=Signature.Status.PENDING,
        )
        .select_related("organisation", "edition__compact")
        .prefetch_related(Prefetch("edition__compact__coordinators", to_attr="coordinator_list"))
        .order_by("applied_at", "pk")
    )
    for signature in signatures:
        compact = signature.edition.compact
        applied_on = timezone.localdate(signature.applied_at)
        due_on = add_working_days(applied_on, APPROVAL_WAITING_WORKING_DAYS + 1, compact.nation)
        if not due_on <= today < due_on + datetime.timedelta(days=CATCH_UP_DAYS):
            continue
        recipients = recipients_for_users(compact.coordinator_list)
        if recipients:
            yield DueReminder(
                kind="approval_waiting",
                subject_key=f"signature:{signature.pk}",
                recipients=recipients,
                due_on=due_on,
                template="signatories/emails/reminder_approval_waiting.txt",
                language=compact_default_language(compact),
                context={
                    "signature": signature,
                    "applied_on": applied_on,
                    "working_days": APPROVAL_WAITING_WORKING_DAYS,
                },
                link=signature.get_absolute_url(),
            )
