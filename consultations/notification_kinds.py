"""The kinds of notification about consultations, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from consultations.reminders import TEMPLATES
from notifications.registry import Group, Kind

CONSULTATIONS = Group(
    "consultations", _("Consultations"), _("Consultations opening and closing, responses and feedback.")
)

# Sent by consultations.reminders (the first six) and consultations.services.
KINDS = (
    Kind(
        "consultation_opened",
        "consultations",
        _("a consultation opens under a Compact my organisation signed"),
        _("Only for organisations that asked to be told when a consultation opens."),
        templates=(TEMPLATES["consultation_opened"],),
    ),
    Kind(
        "consultation_closing_4_weeks",
        "consultations",
        _("a consultation closes in 4 weeks"),
        _("Sent to the public body running it and to signatories that asked for consultation alerts."),
        templates=(TEMPLATES["consultation_closing_4_weeks"],),
    ),
    Kind(
        "consultation_closing_1_week",
        "consultations",
        _("a consultation closes in 1 week"),
        _("Sent to the public body running it and to signatories that asked for consultation alerts."),
        templates=(TEMPLATES["consultation_closing_1_week"],),
    ),
    Kind(
        "consultation_feedback_8_weeks",
        "consultations",
        _("feedback on a consultation has not been published 8 weeks after it closed"),
        _("Sent to the public body running it and to the Compact’s coordinators."),
        templates=(TEMPLATES["consultation_feedback_8_weeks"],),
    ),
    Kind(
        "consultation_feedback_11_weeks",
        "consultations",
        _("feedback on a consultation has not been published 11 weeks after it closed"),
        _("Sent to the public body running it and to the Compact’s coordinators."),
        templates=(TEMPLATES["consultation_feedback_11_weeks"],),
    ),
    Kind(
        "consultation_feedback_overdue",
        "consultations",
        _("feedback on a consultation is overdue"),
        _("Sent the day after the deadline to the public body running it and to the Compact’s coordinators."),
        templates=(TEMPLATES["consultation_feedback_overdue"],),
    ),
    Kind(
        "consultation_response",
        "consultations",
        _("an organisation responds to a consultation my organisation runs"),
        _("Sent to the public body running the consultation."),
        templates=("consultations/emails/response_recorded.txt",),
    ),
    Kind(
        "consultation_feedback_published",
        "consultations",
        _("feedback is published on a consultation my organisation responded to"),
        _("Sent to the organisations that responded."),
        templates=("consultations/emails/feedback_published.txt",),
    ),
)
