"""The kinds of notification about action plans, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Group, Kind

PLANS = Group("action_plans", _("Action plans"), _("Reminders about the actions of a Compact’s action plan."))

REMINDER_KINDS = (
    Kind(
        "action_due_soon",
        "action_plans",
        _("an action of the plan is due in two weeks"),
        _("Sent to the lead organisation’s admins, the lead person and the Compact’s coordinators."),
        templates=("actionplans/emails/reminder_action_due_soon.txt",),
    ),
    Kind(
        "action_overdue",
        "action_plans",
        _("an action of the plan is overdue"),
        _("Sent to the lead organisation’s admins, the lead person and the Compact’s coordinators."),
        templates=("actionplans/emails/reminder_action_overdue.txt",),
    ),
)
