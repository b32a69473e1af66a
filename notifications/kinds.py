"""Every kind of notification the portal sends, with the words a person sees on the preferences page.

A kind is the ``kind`` given to :func:`notifications.services.notify` (and to each reminder). A
person may switch off the email for a switchable kind; the notification is still recorded and
shown on their notifications page. An invitation is never switched off: the person invited may
not have an account yet, and the email is the invitation.

A kind sent by the portal but missing here is emailed to everyone (nobody can switch it off), so
adding a kind is one line below.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    code: str
    title: Promise
    hint: Promise


@dataclass(frozen=True)
class Kind:
    code: str
    group: str
    label: Promise  # completes "Email me when…"
    description: Promise
    switchable: bool = True


SIGNUPS = Group("signups", _("Sign-ups"), _("Organisations applying to sign a Compact, and the decisions on them."))
REMINDERS = Group(
    "reminders", _("Reminders about sign-ups"), _("Automatic reminders when a sign-up has waited too long.")
)
CONSULTATIONS = Group(
    "consultations", _("Consultations"), _("Consultations opening and closing, responses and feedback.")
)
FUNDING = Group("funding", _("Funding"), _("Notices that funding will change or end."))

DISPUTES = Group(
    "disputes", _("Breach concerns"), _("Concerns that the Compact was not kept: new steps, and stages due or overdue.")
)

GROUPS: tuple[Group, ...] = (SIGNUPS, REMINDERS, CONSULTATIONS, FUNDING, DISPUTES)

KINDS: tuple[Kind, ...] = (
    # Sign-ups (signatories.services)
    Kind(
        "signature_applied",
        "signups",
        _("an organisation applies to sign a Compact"),
        _("Coordinators hear of each new application; an organisation’s admins get a receipt for their own."),
    ),
    Kind(
        "signature_approved",
        "signups",
        _("an application to sign is approved"),
        _("Sent to the organisation’s members and to whoever applied."),
    ),
    Kind(
        "signature_rejected",
        "signups",
        _("an application to sign is not approved"),
        _("Sent to the organisation’s members and to whoever applied, with the reason."),
    ),
    Kind(
        "signature_withdrawn",
        "signups",
        _("a signature is withdrawn"),
        _("Sent to the organisation’s members and the Compact’s coordinators."),
    ),
    Kind(
        "signature_reaffirmed",
        "signups",
        _("an organisation re-affirms its signature for a new edition"),
        _("Sent to the organisation’s members and the Compact’s coordinators."),
    ),
    Kind(
        "reaffirmation_requested",
        "signups",
        _("a new edition asks my organisation to re-affirm its signature"),
        _("Sent to the organisation’s admins when a coordinator publishes a new edition."),
    ),
    Kind(
        "organisation_sector_decided",
        "signups",
        _("a coordinator decides on my organisation’s sector"),
        _(
            "Sent to whoever asked and the organisation’s admins when a new public body, or a change "
            "of sector or type, is approved or not."
        ),
    ),
    Kind(
        "invitation",
        "signups",
        _("I am invited to join an organisation"),
        _("Always emailed: the email is the invitation."),
        switchable=False,
    ),
    # Reminders about sign-ups (signatories.reminders)
    Kind(
        "reaffirm_2_weeks",
        "reminders",
        _("my organisation has not re-affirmed its signature two weeks after being asked"),
        _("Sent to the organisation’s admins."),
    ),
    Kind(
        "reaffirm_4_weeks",
        "reminders",
        _("my organisation has not re-affirmed its signature four weeks after being asked"),
        _("The last reminder, sent to the organisation’s admins."),
    ),
    Kind(
        "approval_waiting",
        "reminders",
        _("an application to sign has waited more than 10 working days for approval"),
        _("Sent to the Compact’s coordinators."),
    ),
    # Consultations (consultations.services and consultations.reminders)
    Kind(
        "consultation_opened",
        "consultations",
        _("a consultation opens under a Compact my organisation signed"),
        _("Only for organisations that asked to be told when a consultation opens."),
    ),
    Kind(
        "consultation_closing_4_weeks",
        "consultations",
        _("a consultation closes in 4 weeks"),
        _("Sent to the public body running it and to signatories that asked for consultation alerts."),
    ),
    Kind(
        "consultation_closing_1_week",
        "consultations",
        _("a consultation closes in 1 week"),
        _("Sent to the public body running it and to signatories that asked for consultation alerts."),
    ),
    Kind(
        "consultation_feedback_8_weeks",
        "consultations",
        _("feedback on a consultation has not been published 8 weeks after it closed"),
        _("Sent to the public body running it and to the Compact’s coordinators."),
    ),
    Kind(
        "consultation_feedback_11_weeks",
        "consultations",
        _("feedback on a consultation has not been published 11 weeks after it closed"),
        _("Sent to the public body running it and to the Compact’s coordinators."),
    ),
    Kind(
        "consultation_feedback_overdue",
        "consultations",
        _("feedback on a consultation is overdue"),
        _("Sent the day after the deadline to the public body running it and to the Compact’s coordinators."),
    ),
    Kind(
        "consultation_response",
        "consultations",
        _("an organisation responds to a consultation my organisation runs"),
        _("Sent to the public body running the consultation."),
    ),
    Kind(
        "consultation_feedback_published",
        "consultations",
        _("feedback is published on a consultation my organisation responded to"),
        _("Sent to the organisations that responded."),
    ),
    # Funding (funding.reminders)
    Kind(
        "funding_notice_received",
        "funding",
        _("a public body records a notice that my organisation’s funding will change"),
        _("Sent to the organisation receiving the notice."),
    ),
    Kind(
        "funding_notice_non_compliant",
        "funding",
        _("a funding notice gives less notice than the Compact asks for"),
        _("Sent to the Compact’s coordinators."),
    ),
    Kind(
        "funding_effective_1_month",
        "funding",
        _("a funding change takes effect in one month"),
        _("Sent to the public body that gave the notice and to the organisation receiving it."),
    ),
    # Breach concerns (disputes.services and disputes.reminders)
    Kind(
        "case_opened",
        "disputes",
        _("a concern is raised by or about my organisation"),
        _("Sent to both organisations and the Compact’s coordinators; a withheld name stays withheld."),
    ),
    Kind(
        "case_stage_changed",
        "disputes",
        _("a concern my organisation is part of moves to a new stage"),
        _("Sent to both organisations and the Compact’s coordinators."),
    ),
    Kind(
        "case_entry_added",
        "disputes",
        _("something is added to the timeline of a concern my organisation is part of"),
        _("Only entries both sides can see."),
    ),
    Kind(
        "case_stage_due_soon",
        "disputes",
        _("a stage of a concern is due in 5 working days"),
        _("Sent to the organisation that must respond (or, in mediation, only the coordinator) and the coordinators."),
    ),
    Kind(
        "case_stage_overdue",
        "disputes",
        _("a stage of a concern is overdue"),
        _("Sent the day after the due date to the organisation that must respond and the coordinators."),
    ),
)

BY_CODE: dict[str, Kind] = {kind.code: kind for kind in KINDS}


def is_switchable(code: str) -> bool:
    """Whether a person may stop the emails of this kind (unknown kinds cannot be switched off)."""
    kind = BY_CODE.get(code)
    return kind is not None and kind.switchable


def switchable_kinds(group: str | None = None) -> list[Kind]:
    return [kind for kind in KINDS if kind.switchable and (group is None or kind.group == group)]
