"""The kinds of notification about action plans, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Group, Kind

PLANS = Group(
    "action_plans",
    _("Action plans"),
    _("Reminders about the actions of a Compact’s action plan, and the decisions on the evidence you give."),
)

# Sent by actionplans.services.
EVIDENCE_KINDS = (
    Kind(
        "evidence_decided",
        "action_plans",
        _("a coordinator accepts or returns evidence my organisation gave"),
        _("Sent to whoever gave the evidence and the organisation’s admins, with the reason when it is returned."),
        templates=("actionplans/emails/evidence_accepted.txt", "actionplans/emails/evidence_returned.txt"),
    ),
)

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
