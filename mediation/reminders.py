"""Reminders about actions agreed in mediation, for the daily sweep (notifications.reminders).

- ``agreement_action_due_soon``: an action of a confirmed agreement is due in two weeks.
- ``agreement_action_overdue``: it is past its due date (from the day after).

To the members of the organisation that does it (its contact when it has none) and the Compact's
coordinators, each once per action (subject ``agreement-action:<pk>``) and recipient. An agreement is
followed once both parties confirmed it. A fixed number of queries however many are due.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q

from commitments.selectors import compact_default_language
from mediation.models import AgreementAction, Side
from notifications.reminders import CATCH_UP_DAYS, DueReminder, each_subject
from notifications.services import recipients_for_users, unique_recipients
from signatories.services import organisation_recipients

DUE_SOON_DAYS = 14


def _due_days(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    lag = datetime.timedelta(days=CATCH_UP_DAYS - 1)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    yesterday = today - datetime.timedelta(days=1)
    return {"agreement_action_due_soon": (soon - lag, soon), "agreement_action_overdue": (yesterday - lag, yesterday)}


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    windows = _due_days(today)
    where = Q()
    for first, last in windows.values():
        where |= Q(due_on__gte=first, due_on__lte=last)
    actions = (
        AgreementAction.objects.filter(where, mediation__outcome="agreement")
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
    yield from each_subject(actions, lambda action: _reminders_of(action, windows), name="agreement action")


def _reminders_of(action: AgreementAction, windows) -> Iterator[DueReminder]:
    case = action.mediation.case
    owner = case.complainant if action.owner == Side.COMPLAINANT else case.respondent
    for kind, (first, last) in windows.items():
        if not first <= action.due_on <= last:
            continue
        recipients = unique_recipients(
            organisation_recipients(owner, owner.memberships.all()),
            recipients_for_users(case.compact.coordinators.all()),
        )
        if not recipients:
            continue
        falls_due = (
            action.due_on - datetime.timedelta(days=DUE_SOON_DAYS)
            if kind == "agreement_action_due_soon"
            else action.due_on + datetime.timedelta(days=1)
        )
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
