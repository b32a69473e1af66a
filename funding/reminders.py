"""Reminders about funding-change notices, for the daily sweep (notifications.reminders).

- ``funding_notice_received``: on the day the notice was recorded on the portal, to the
  organisation receiving it (its members, or its contact email when it has none). This is how the
  organisation hears of it: sent as soon as the notice is saved (``funding.tasks``, through the
  same claims as the sweep, with ``recorded_source``), and by the sweep if that did not happen.
- ``funding_notice_non_compliant``: on the same day, to the Compact's coordinators, when the notice
  is shorter than the edition's minimum without exceptional circumstances (``funding.rules``);
  sent as soon as the notice is saved, like the one above.
- ``funding_effective_1_month``: one calendar month before the change takes effect, to the public
  body that gave the notice and to the organisation receiving it (members, or contact). Not when
  that day came before the notice was recorded: the notice itself told them.

Notices are confidential: only the two parties and the coordinators hear of them. The subject key
is ``funding:<pk>``; a changed effective date moves the reminder if it has not been sent, and never
sends it twice. Four queries in all, however many are due.
"""

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q
from django.utils import timezone

from commitments.selectors import compact_default_language
from compact_portal.dates import add
from funding.models import FundingNotice
from funding.rules import is_compliant
from notifications.reminders import CATCH_UP_DAYS, DueReminder, each_subject
from notifications.services import recipients_for_users
from signatories.selectors import members_to_tell
from signatories.services import organisation_recipients

RECEIVED = "funding_notice_received"
NON_COMPLIANT = "funding_notice_non_compliant"
EFFECTIVE_SOON = "funding_effective_1_month"
# Told as each step of the right of reply is recorded (funding.services.step_record), not by the sweep.
RECIPIENT_REPLIED = "funding_recipient_replied"
BODY_RESPONDED = "funding_body_responded"

TEMPLATES = {
    RECEIVED: "funding/emails/reminder_received.txt",
    NON_COMPLIANT: "funding/emails/reminder_non_compliant.txt",
    EFFECTIVE_SOON: "funding/emails/reminder_effective_1_month.txt",
    RECIPIENT_REPLIED: "funding/emails/step_recipient_replied.txt",
    BODY_RESPONDED: "funding/emails/step_body_responded.txt",
}

ISSUER = "issuer"
RECIPIENT = "recipient"

CATCH_UP = datetime.timedelta(days=CATCH_UP_DAYS)
ONE_MONTH = relativedelta(months=1)
# A calendar month is 28 to 31 days: the effective dates a reminder may be due for today lie
# within these few days of "a month from today". Only bounds the query; the rest is exact.
_MONTH_SLACK = datetime.timedelta(days=3)


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    def reminders_of(notice: FundingNotice) -> Iterator[DueReminder]:
        yield from _recorded_reminders(notice, today)
        yield from _effective_reminders(notice, today)

    # One notice whose reminders cannot be worked out is logged and left out, not the rest.
    yield from each_subject(_candidates(today), reminders_of, name="funding notice")


def recorded_source(notice_id: int):
    """A reminder source (see ``notifications.reminders``) of this one notice's "received" and "does
    not meet the Compact" reminders, for sending them as soon as it is saved."""

    def source(today: datetime.date) -> Iterator[DueReminder]:
        notices = _with_people(FundingNotice.objects.filter(pk=notice_id))
        yield from each_subject(notices, lambda notice: _recorded_reminders(notice, today), name="funding notice")

    return source


def _with_people(notices):
    members = members_to_tell()
    return notices.select_related("compact", "edition", "issuer", "recipient").prefetch_related(
        Prefetch("recipient__memberships", queryset=members, to_attr="all_memberships"),
        Prefetch("issuer__memberships", queryset=members, to_attr="all_memberships"),
        # A list (to_attr): a queryset per row costs more than the rows.
        Prefetch("compact__coordinators", to_attr="coordinator_list"),
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the portal's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _candidates(today: datetime.date):
    first_day = today - CATCH_UP + datetime.timedelta(days=1)
    recorded = Q(created_at__gte=_start_of(first_day), created_at__lt=_start_of(today + datetime.timedelta(days=1)))
    effective = Q(effective_on__range=(first_day + ONE_MONTH - _MONTH_SLACK, today + ONE_MONTH + _MONTH_SLACK))
    return _with_people(FundingNotice.objects.filter(recorded | effective)).order_by("pk")


def _is_due(due_on: datetime.date, today: datetime.date) -> bool:
    return due_on <= today < add(due_on, CATCH_UP)


def _compliant(notice: FundingNotice) -> bool:
    return is_compliant(
        notice_given_on=notice.notice_given_on,
        effective_on=notice.effective_on,
        min_months=notice.edition.funding_notice_min_months,
        exceptional=notice.exceptional,
        exceptional_reason=notice.exceptional_reason,
    )


def _reminder(notice: FundingNotice, kind: str, due_on, recipients, audience: str) -> DueReminder:
    return DueReminder(
        kind=kind,
        subject_key=f"funding:{notice.pk}",
        recipients=recipients,
        due_on=due_on,
        template=TEMPLATES[kind],
        language=compact_default_language(notice.compact),
        context={
            "notice": notice,
            "compact": notice.compact,
            "issuer": notice.issuer,
            "receiver": notice.recipient,  # "recipient" is the person the email is for
            "audience": audience,
            "compliant": _compliant(notice),
            "min_months": notice.edition.funding_notice_min_months,
        },
        link=notice.get_absolute_url(),
    )


def _organisation_people(organisation) -> list:
    return organisation_recipients(organisation, organisation.all_memberships)


def _recorded_reminders(notice: FundingNotice, today: datetime.date) -> Iterator[DueReminder]:
    recorded_on = timezone.localdate(notice.created_at)
    if not _is_due(recorded_on, today):
        return
    receivers = _organisation_people(notice.recipient)
    if receivers:
        yield _reminder(notice, RECEIVED, recorded_on, receivers, RECIPIENT)
    coordinators = recipients_for_users(notice.compact.coordinator_list)
    if coordinators and not _compliant(notice):
        yield _reminder(notice, NON_COMPLIANT, recorded_on, coordinators, "coordinator")


def _effective_reminders(notice: FundingNotice, today: datetime.date) -> Iterator[DueReminder]:
    due_on = notice.effective_on - ONE_MONTH
    if not _is_due(due_on, today) or due_on < timezone.localdate(notice.created_at):
        return
    for organisation, audience in ((notice.issuer, ISSUER), (notice.recipient, RECIPIENT)):
        people = _organisation_people(organisation)
        if people:
            yield _reminder(notice, EFFECTIVE_SOON, due_on, people, audience)
