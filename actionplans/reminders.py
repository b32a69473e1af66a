"""Reminders about actions of a plan, for the daily sweep (notifications.reminders).

- ``action_due_soon``: an action not yet done (nor dropped) is due in two weeks.
- ``action_overdue``: an action not yet done (nor dropped) is past its due date (from the day after).

To the lead organisation's admins (or its contact, when it has none), the lead person when they have
an account, and the Compact's coordinators. Each once per action (subject ``action:<pk>``) and
recipient. Three queries in all, however many are due; an action whose reminders cannot be worked
out is logged and skipped, and the others are sent (``each_subject``).
"""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch

from actionplans.models import Action
from actionplans.rules import DUE_SOON_DAYS
from commitments.selectors import compact_default_language
from notifications.reminders import DueDateReminders, DueReminder, each_subject
from notifications.services import recipients_for_users, unique_recipients
from signatories.selectors import members_to_tell
from signatories.services import organisation_recipients

OPEN = (Action.Status.NOT_STARTED, Action.Status.UNDER_WAY)


KINDS = DueDateReminders(due_soon="action_due_soon", overdue="action_overdue", soon_days=DUE_SOON_DAYS)


def due_reminders(today: datetime.date) -> Iterator[DueReminder]:
    actions = (
        Action.objects.filter(KINDS.due_on_filter(today), status__in=OPEN)
        .select_related("compact", "lead_organisation", "lead_user")
        .prefetch_related(
            Prefetch(
                "lead_organisation__memberships",
                queryset=members_to_tell(admins_only=True),
                to_attr="admin_memberships",
            ),
            # A list (to_attr): a queryset per row costs more than the rows.
            Prefetch("compact__coordinators", to_attr="coordinator_list"),
        )
        .order_by("due_on", "pk")
    )
    yield from each_subject(actions, lambda action: _reminders_of(action, today), name="action")


def _reminders_of(action: Action, today: datetime.date) -> Iterator[DueReminder]:
    compact = action.compact
    for kind, falls_due in KINDS.kinds_due(action.due_on, today):
        lead = organisation_recipients(action.lead_organisation, action.lead_organisation.admin_memberships)
        person = recipients_for_users([action.lead_user]) if action.lead_user_id else []
        recipients = unique_recipients(lead, person, recipients_for_users(compact.coordinator_list))
        if not recipients:
            continue
        yield DueReminder(
            kind=kind,
            subject_key=f"action:{action.pk}",
            recipients=recipients,
            due_on=falls_due,
            template=f"actionplans/emails/reminder_{kind}.txt",
            language=compact_default_language(compact),
            context={"action": action, "compact": compact},
            link=action.get_absolute_url(),
        )
