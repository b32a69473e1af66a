"""Reminders about breach concerns, for the daily sweep (notifications.reminders).

- ``case_stage_due_soon``: 5 working days before the stage's due date
  (``disputes.rules.due_soon_on``, the Compact's nation's bank holidays counted).
- ``case_stage_overdue``: the day after the stage's due date.

Only for open cases in a stage with a due date (informal dialogue, formal challenge, mediation).
They go to the party who must act and to the Compact's coordinators: in informal dialogue and the
formal challenge the respondent must answer (its members, or its contact when it has none); in
mediation the coordinator arranges it, so only the coordinators are told.

The respondent is never told a withheld complainant's name: its emails get the withheld label.

The subject key is ``case:<pk>:<stage>``, so a case moving to a new stage gets new reminders, and a
repeat sweep sends nothing twice (the claim is per kind, subject and recipient). Three queries in
all, however many reminders are due.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch

from commitments.selectors import compact_default_language
from disputes.models import Case, Check
from disputes.rules import STAGE_DAYS_FIELD, complainant_name, due_soon_on
from notifications.reminders import CATCH_UP_DAYS, DueReminder
from notifications.services import Recipient, recipients_for_users
from signatories.selectors import members_to_tell
from signatories.services import organisation_recipients

DUE_SOON = "case_stage_due_soon"
OVERDUE = "case_stage_overdue"
TEMPLATES = {
    DUE_SOON: "disputes/emails/reminder_due_soon.txt",
    OVERDUE: "disputes/emails/reminder_overdue.txt",
}
# The stages where the respondent must act; in the others with a due date the coordinator does.
RESPONDENT_ACTS = {Case.Stage.INFORMAL, Case.Stage.FORMAL}

RESPONDENT = "respondent"
COORDINATOR = "coordinator"

DAY = datetime.timedelta(days=1)
CATCH_UP = datetime.timedelta(days=CATCH_UP_DAYS)
# 5 working days before a due date is never more than this many calendar days before it (two
# weekends and the Christmas and Easter bank holidays). Only bounds the query.
_LONGEST_DUE_SOON_LEAD = datetime.timedelta(days=14)


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    for case in _candidates(today):
        nation = case.compact.nation
        due = {DUE_SOON: due_soon_on(case.stage_due_on, nation), OVERDUE: case.stage_due_on + DAY}
        for kind, due_on in due.items():
            if _is_due(due_on, today):
                yield from _reminders(case, kind, due_on)


def _is_due(due_on: datetime.date, today: datetime.date) -> bool:
    return due_on <= today < due_on + CATCH_UP


def _candidates(today: datetime.date):
    return (
        Case.objects.filter(
            stage__in=list(STAGE_DAYS_FIELD),
            stage_due_on__range=(today - CATCH_UP, today + _LONGEST_DUE_SOON_LEAD),
        )
        .select_related("compact", "complainant", "respondent")
        .prefetch_related(
            Prefetch(
                "respondent__memberships",
                queryset=members_to_tell(),
                to_attr="all_memberships",
            ),
            # A list (to_attr): a queryset per row costs more than the rows.
            Prefetch("compact__coordinators", to_attr="coordinator_list"),
        )
        .order_by("pk")
    )


def _reminder(case: Case, kind: str, due_on, recipients: list[Recipient], audience: str) -> DueReminder:
    return DueReminder(
        kind=kind,
        subject_key=f"case:{case.pk}:{case.stage}",
        recipients=recipients,
        due_on=due_on,
        template=TEMPLATES[kind],
        language=compact_default_language(case.compact),
        context={
            "case": case,
            "compact": case.compact,
            "stage": Case.Stage(case.stage).label,  # lazy: in each recipient's language
            "stage_due_on": case.stage_due_on,
            "audience": audience,
            "respondent_acts": case.stage in RESPONDENT_ACTS,
            "complainant_name": complainant_name(
                name=case.complainant.name, withhold_name=case.withhold_name, side=audience
            ),
        },
        link=case.get_absolute_url(),
    )


def _reminders(case: Case, kind: str, due_on) -> Iterator[DueReminder]:
    respondent: list[Recipient] = []
    # A concern held for the coordinator's check is not known to the respondent yet.
    if case.stage in RESPONDENT_ACTS and case.check_status not in (Check.PENDING, Check.RETURNED):
        respondent = organisation_recipients(case.respondent, case.respondent.all_memberships)
        if respondent:
            yield _reminder(case, kind, due_on, respondent, RESPONDENT)
    # A coordinator who is also one of the respondent's people is told once, as the respondent.
    told = {r.email.lower() for r in respondent}
    coordinators = [r for r in recipients_for_users(case.compact.coordinator_list) if r.email.lower() not in told]
    if coordinators:
        yield _reminder(case, kind, due_on, coordinators, COORDINATOR)
