"""The kinds of notification about mediation, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Group, Kind

MEDIATION = Group(
    "mediation",
    _("Mediation"),
    _("Independent mediation of a concern: the mediator appointed, meetings, the outcome and the actions agreed."),
)

KINDS = (
    Kind(
        "mediation_started",
        "mediation",
        _("a concern my organisation is part of moves to mediation, or I am proposed to mediate one"),
        _(
            "Sent to both organisations and the Compact’s coordinators, with the mediators proposed (each "
            "organisation may decline one), and to each mediator proposed."
        ),
        templates=("mediation/emails/started.txt", "mediation/emails/proposed.txt"),
    ),
    Kind(
        "mediation_appointed",
        "mediation",
        _("a mediator is appointed to a concern my organisation is part of"),
        _("Sent to both organisations, the Compact’s coordinators and the mediator."),
        templates=("mediation/emails/appointed.txt",),
    ),
    Kind(
        "mediation_meeting",
        "mediation",
        _("a mediation meeting is arranged"),
        _("Sent to both organisations and the Compact’s coordinators; a withheld name stays withheld."),
        templates=("mediation/emails/meeting.txt",),
    ),
    Kind(
        "mediation_outcome",
        "mediation",
        _("the mediator records an agreement to confirm"),
        _("Sent to both organisations and the Compact’s coordinators."),
        templates=("mediation/emails/agreement.txt",),
    ),
    Kind(
        "mediation_confirmed",
        "mediation",
        _("both organisations have confirmed an agreement reached in mediation"),
        _("Sent to both organisations, the Compact’s coordinators and the mediator."),
        templates=("mediation/emails/confirmed.txt",),
    ),
    Kind(
        "agreement_action_due_soon",
        "mediation",
        _("an action agreed in mediation is due in two weeks"),
        _("Sent to the organisation that does it and the Compact’s coordinators."),
        templates=("mediation/emails/reminder_agreement_action_due_soon.txt",),
    ),
    Kind(
        "agreement_action_overdue",
        "mediation",
        _("an action agreed in mediation is overdue"),
        _("Sent to the organisation that does it and the Compact’s coordinators."),
        templates=("mediation/emails/reminder_agreement_action_overdue.txt",),
    ),
)
