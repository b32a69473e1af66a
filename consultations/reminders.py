"""Reminders about consultations, for the daily sweep (notifications.reminders).

- ``consultation_opened``: on the opening day, to the voluntary and community sector organisations
  that signed the current edition of the consultation's Compact and asked to hear when a
  consultation opens (``Organisation.wants_consultation_alerts``). To each organisation's
  members, or its contact email when it has none.
- ``consultation_closing_4_weeks`` and ``consultation_closing_1_week``: 28 and 7 days before the
  closing day, to those same organisations and to the public body running it. Not when the
  consultation is not open yet on that day (a consultation shorter than 4 weeks has no 4-week one).
- ``consultation_feedback_8_weeks`` and ``consultation_feedback_11_weeks``: 8 and 11 weeks after
  the closing day while no feedback is published, to the public body and the Compact's
  coordinators; not when that day is already past the feedback deadline (an edition may ask for
  feedback sooner than 12 weeks).
- ``consultation_feedback_overdue``: the day after the feedback deadline
  (``consultations.rules.feedback_due_on``), while no feedback is published, to the same people.

The public body is told through its members (or its contact email when it has none) and the
consultation's own contact, when that is someone else.

The subject key is ``consultation:<pk>``. Each due date is worked out from the consultation as it is
on the day of the sweep, so a moved closing date moves the reminders not yet sent; a reminder
already sent is not sent again (the claim is per kind, subject and recipient). Five queries in all,
however many reminders are due.
"""

import dataclasses
import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from commitments.models import Edition, Sector
from commitments.selectors import compact_default_language
from compact_portal.dates import add
from consultations.models import Consultation
from consultations.rules import feedback_due_on
from notifications.reminders import CATCH_UP_DAYS, DueReminder, each_subject
from notifications.services import Recipient, recipients_for_users, unique_recipients
from signatories.models import Organisation, Signature
from signatories.selectors import members_to_tell
from signatories.services import organisation_recipients

CLOSING_REMINDER_DAYS = {"consultation_closing_4_weeks": 28, "consultation_closing_1_week": 7}
FEEDBACK_REMINDER_WEEKS = {"consultation_feedback_8_weeks": 8, "consultation_feedback_11_weeks": 11}
OVERDUE = "consultation_feedback_overdue"
OPENED = "consultation_opened"

TEMPLATES = {
    OPENED: "consultations/emails/reminder_opened.txt",
    "consultation_closing_4_weeks": "consultations/emails/reminder_closing_4_weeks.txt",
    "consultation_closing_1_week": "consultations/emails/reminder_closing_1_week.txt",
    "consultation_feedback_8_weeks": "consultations/emails/reminder_feedback_8_weeks.txt",
    "consultation_feedback_11_weeks": "consultations/emails/reminder_feedback_11_weeks.txt",
    OVERDUE: "consultations/emails/reminder_feedback_overdue.txt",
}

# The feedback deadline is the edition's number of weeks after closing, moved to the next working
# day when it falls on a weekend or a bank holiday: never more than this many days on (Christmas
# and New Year in Scotland move it 4). Only bounds the query; which reminders are due is worked
# out exactly.
_DEADLINE_MOVE = datetime.timedelta(days=7)

DAY = datetime.timedelta(days=1)
CATCH_UP = datetime.timedelta(days=CATCH_UP_DAYS)

OWNER = "owner"
SIGNATORY = "signatory"
COORDINATOR = "coordinator"


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    consultations = list(_candidates(today))
    alerted = _alerted_organisations({c.compact_id for c in consultations if c.closes_on >= today})
    coordinators: dict[int, list[Recipient]] = {}  # per Compact, worked out once

    def reminders_of(consultation: Consultation) -> Iterator[DueReminder]:
        yield from _opening_reminders(consultation, today, alerted)
        yield from _closing_reminders(consultation, today, alerted)
        yield from _feedback_reminders(consultation, today, coordinators)

    # One consultation whose reminders cannot be worked out is logged and left out, not the rest.
    yield from each_subject(consultations, reminders_of, name="consultation")


def _window(today: datetime.date, offset: datetime.timedelta) -> tuple[datetime.date, datetime.date]:
    """The dates D for which a reminder due on D + ``offset`` is due today (or is being caught up)."""
    return today - offset - CATCH_UP + DAY, today - offset


def _candidates(today: datetime.date):
    """Consultations that may have a reminder due today: a week or so of dates for each kind.

    The overdue reminder's window depends on the edition's feedback deadline, so there is one for
    each number of weeks an edition asks for (one query finds them; almost always a few).
    """
    windows = Q(opens_on__range=_window(today, datetime.timedelta(0)))
    for days in CLOSING_REMINDER_DAYS.values():
        windows |= Q(closes_on__range=_window(today, -datetime.timedelta(days=days)))
    feedback = Q()
    for weeks in FEEDBACK_REMINDER_WEEKS.values():
        feedback |= Q(closes_on__range=_window(today, datetime.timedelta(weeks=weeks)))
    for weeks in Edition.objects.order_by().values_list("feedback_due_weeks", flat=True).distinct():
        first, last = _window(today, datetime.timedelta(weeks=weeks) + DAY)
        feedback |= Q(edition__feedback_due_weeks=weeks, closes_on__range=(first - _DEADLINE_MOVE, last))
    windows |= feedback & Q(feedback_published_on__isnull=True)
    return (
        Consultation.objects.filter(windows)
        .select_related("compact", "edition", "organisation")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=members_to_tell(),
                to_attr="all_memberships",
            ),
            # A list (to_attr): a queryset per row costs more than the rows.
            Prefetch("compact__coordinators", to_attr="coordinator_list"),
            Prefetch("alert_stops", to_attr="alert_stop_list"),
        )
        .order_by("pk")
    )


def _alerted_organisations(compact_ids: set[int]) -> dict[int, list[Organisation]]:
    """For each Compact, the VCS organisations that signed its current edition and asked for alerts."""
    if not compact_ids:
        return {}
    signatures = (
        Signature.objects.filter(
            status=Signature.Status.SIGNED,
            edition__status=Edition.Status.PUBLISHED,
            edition__compact_id__in=compact_ids,
            organisation__sector=Sector.VCS,
            organisation__wants_consultation_alerts=True,
        )
        .select_related("organisation", "edition")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=members_to_tell(),
                to_attr="all_memberships",
            )
        )
        .order_by("organisation__name", "pk")
    )
    by_compact: dict[int, list[Organisation]] = {}
    for signature in signatures:
        by_compact.setdefault(signature.edition.compact_id, []).append(signature.organisation)
    return by_compact


def _is_due(due_on: datetime.date, today: datetime.date) -> bool:
    return due_on <= today < add(due_on, CATCH_UP)


def _owner_recipients(consultation: Consultation) -> list[Recipient]:
    """The public body running it (members, or its contact), and the consultation's own contact."""
    body = consultation.organisation
    contact = [Recipient(email=consultation.contact_email, name=consultation.contact_name)]
    return unique_recipients(organisation_recipients(body, body.all_memberships), contact)


def _reminder(consultation: Consultation, kind: str, due_on, recipients, audience: str, **context) -> DueReminder:
    return DueReminder(
        kind=kind,
        subject_key=f"consultation:{consultation.pk}",
        recipients=recipients,
        due_on=due_on,
        template=TEMPLATES[kind],
        language=compact_default_language(consultation.compact),
        context={
            "consultation": consultation,
            "compact": consultation.compact,
            "body": consultation.organisation,
            "audience": audience,
            **context,
        },
        link=consultation.get_absolute_url(),
    )


def _signatory_reason(kind: str, organisation: Organisation) -> str:
    if kind == OPENED:
        text = _(
            "You are told because %(organisation)s signed the Compact and asked to hear when a consultation "
            "opens. An admin of the organisation can change this on its page."
        )
    else:
        text = _("You are told because %(organisation)s signed the Compact and asked to hear about its consultations.")
    return text % {"organisation": organisation.name}


def _to_signatories(consultation, kind, due_on, alerted) -> Iterator[DueReminder]:
    """One reminder per organisation, all with the same context: the message is rendered once."""
    shared = None
    stopped = {stop.organisation_id for stop in consultation.alert_stop_list}  # by the body, with a reason
    for organisation in alerted.get(consultation.compact_id, []):
        if organisation.pk in stopped:
            continue
        recipients = organisation_recipients(organisation, organisation.all_memberships)
        if recipients:
            shared = shared or _reminder(consultation, kind, due_on, [], SIGNATORY)
            yield dataclasses.replace(shared, recipients=recipients, reason=_signatory_reason(kind, organisation))


def _opening_reminders(consultation, today, alerted) -> Iterator[DueReminder]:
    if _is_due(consultation.opens_on, today) and today <= consultation.closes_on:
        yield from _to_signatories(consultation, OPENED, consultation.opens_on, alerted)


def _closing_reminders(consultation, today, alerted) -> Iterator[DueReminder]:
    for kind, days in CLOSING_REMINDER_DAYS.items():
        due_on = consultation.closes_on - datetime.timedelta(days=days)
        if not _is_due(due_on, today) or due_on < consultation.opens_on or today > consultation.closes_on:
            continue
        yield _reminder(consultation, kind, due_on, _owner_recipients(consultation), OWNER)
        yield from _to_signatories(consultation, kind, due_on, alerted)


def _feedback_reminders(consultation, today, coordinators: dict[int, list[Recipient]]) -> Iterator[DueReminder]:
    if consultation.feedback_published_on is not None:
        return
    deadline = feedback_due_on(
        consultation.closes_on, consultation.edition.feedback_due_weeks, consultation.compact.nation
    )
    due = {
        kind: add(consultation.closes_on, datetime.timedelta(weeks=weeks))
        for kind, weeks in FEEDBACK_REMINDER_WEEKS.items()
        if add(consultation.closes_on, datetime.timedelta(weeks=weeks)) < deadline
    }
    due[OVERDUE] = add(deadline, DAY)
    due = {kind: due_on for kind, due_on in due.items() if _is_due(due_on, today)}
    if not due:
        return
    if consultation.compact_id not in coordinators:
        coordinators[consultation.compact_id] = recipients_for_users(consultation.compact.coordinator_list)
    for kind, due_on in due.items():
        context = {"deadline": deadline, "feedback_weeks": consultation.edition.feedback_due_weeks}
        yield _reminder(consultation, kind, due_on, _owner_recipients(consultation), OWNER, **context)
        if coordinators[consultation.compact_id]:
            yield _reminder(consultation, kind, due_on, coordinators[consultation.compact_id], COORDINATOR, **context)
