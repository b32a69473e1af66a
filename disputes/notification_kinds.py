"""The kinds of notification about breach concerns, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from disputes.reminders import DUE_SOON, OVERDUE, TEMPLATES
from notifications.registry import Group, Kind

DISPUTES = Group(
    "disputes", _("Breach concerns"), _("Concerns that the Compact was not kept: new steps, and stages due or overdue.")
)

# Sent by disputes.services (the first three) and disputes.reminders.
KINDS = (
    Kind(
        "case_opened",
        "disputes",
        _("a concern is raised by or about my organisation"),
        _("Sent to both organisations and the Compact’s coordinators; a withheld name stays withheld."),
        templates=("disputes/emails/case_opened.txt", "disputes/emails/case_returned.txt"),
    ),
    Kind(
        "case_stage_changed",
        "disputes",
        _("a concern my organisation is part of moves to a new stage"),
        _("Sent to both organisations and the Compact’s coordinators."),
        templates=("disputes/emails/stage_changed.txt",),
    ),
    Kind(
        "case_entry_added",
        "disputes",
        _("something is added to the timeline of a concern my organisation is part of"),
        _("Only entries both sides can see."),
        templates=("disputes/emails/entry_added.txt", "disputes/emails/entry_returned.txt"),
    ),
    Kind(
        DUE_SOON,
        "disputes",
        _("a stage of a concern is due in 5 working days"),
        _("Sent to the organisation that must respond (or, in mediation, only the coordinator) and the coordinators."),
        templates=(TEMPLATES[DUE_SOON],),
    ),
    Kind(
        OVERDUE,
        "disputes",
        _("a stage of a concern is overdue"),
        _("Sent the day after the due date to the organisation that must respond and the coordinators."),
        templates=(TEMPLATES[OVERDUE],),
    ),
    Kind(
        "guard_flag_raised",
        "disputes",
        _("a public body acts against an organisation with a concern against it"),
        _(
            "Only the Compact’s coordinators: a funding-change notice given to, or consultation alerts stopped for, "
            "an organisation with an open concern against the body (or one closed within a year)."
        ),
        templates=("disputes/emails/guard_flag.txt",),
        switchable=False,  # the coordinator must review each flag
    ),
)
