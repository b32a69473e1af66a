"""Reminders about actions agreed in mediation, for the daily sweep (notifications.reminders).

- ``agreement_action_due_soon``: an action of a confirmed agreement is due in two weeks.
- ``agreement_action_overdue``: it is past its due date (from the day after).

To the members of the organisation that does it (its contact when it has none) and the Compact's
coordinators, each once per action (subject ``agreement-action:<pk>``) and recipient. An agreement is
followed once both parties confirmed it. A fixed number of queries however many are due.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count

from commitments.selectors import compact_default_language
from mediation.models import AgreementAction, Side
from notifications.reminders import DueDateReminders, DueReminder, each_subject
from notifications.services import recipients_for_users, unique_recipients
from signatories.services import organisation_recipients

DUE_SOON_DAYS = 14


KINDS = DueDateReminders(
    due_soon="agreement_action_due_soon", overdue="agreement_action_overdue", soon_days=DUE_SOON_DAYS
)


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    actions = (
        AgreementAction.objects.filter(KINDS.due_on_filter(today), mediation__outcome="agreement")
        .annotate(confirmed=Count("mediation__confirmations", distinct=True))
        .filter(confirmed=len(Side.values))
        .select_related("mediation__case__compact", "mediation__case__complainant", "mediation__case__respondent")
        .prefetch_related(
            "mediation__case__complainant__memberships__user",
            "mediation__case__respondent__memberships__user",
            "mediation__case__compact__coordinators",
        )
        .order_by("due_on", "pk")
    )
    yield from each_subject(actions, lambda action: _reminders_of(action, today), name="agreement action")


def _reminders_of(action: AgreementAction, today: datetime.date) -> Iterator[DueReminder]:
    case = action.mediation.case
    owner = case.complainant if action.owner == Side.COMPLAINANT else case.respondent
    for kind, falls_due in KINDS.kinds_due(action.due_on, today):
        recipients = unique_recipients(
            organisation_recipients(owner, owner.memberships.all()),
            recipients_for_users(case.compact.coordinators.all()),
        )
        if not recipients:
            continue
        # No complainant's name in the context: the owner may be the other party.
        yield DueReminder(
            kind=kind,
            subject_key=f"agreement-action:{action.pk}",
            recipients=recipients,
            due_on=falls_due,
            template=f"mediation/emails/reminder_{kind}.txt",
            language=compact_default_language(case.compact),
            context={"action": action, "reference": case.reference},
            link=action.mediation.get_absolute_url(),
        )
