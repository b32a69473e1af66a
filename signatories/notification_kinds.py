"""The kinds of notification about sign-ups, registered with the notifications engine (apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Group, Kind

SIGNUPS = Group("signups", _("Sign-ups"), _("Organisations applying to sign a Compact, and the decisions on them."))
REMINDERS = Group(
    "reminders", _("Reminders about sign-ups"), _("Automatic reminders when a sign-up has waited too long.")
)

# Sent by signatories.services.
SIGNUP_KINDS = (
    Kind(
        "signature_applied",
        "signups",
        _("an organisation applies to sign a Compact"),
        _("Coordinators hear of each new application; an organisation’s admins get a receipt for their own."),
        templates=("signatories/emails/applied_coordinator.txt", "signatories/emails/applied_organisation.txt"),
    ),
    Kind(
        "signature_approved",
        "signups",
        _("an application to sign is approved"),
        _("Sent to the organisation’s members and to whoever applied."),
        templates=("signatories/emails/approved.txt",),
    ),
    Kind(
        "signature_rejected",
        "signups",
        _("an application to sign is not approved"),
        _("Sent to the organisation’s members and to whoever applied, with the reason."),
        templates=("signatories/emails/rejected.txt",),
    ),
    Kind(
        "signature_withdrawn",
        "signups",
        _("a signature is withdrawn"),
        _("Sent to the organisation’s members and the Compact’s coordinators."),
        templates=("signatories/emails/withdrawn.txt",),
    ),
    Kind(
        "signature_reaffirmed",
        "signups",
        _("an organisation re-affirms its signature for a new edition"),
        _("Sent to the organisation’s members and the Compact’s coordinators."),
        templates=("signatories/emails/reaffirmed.txt",),
    ),
    Kind(
        "reaffirmation_requested",
        "signups",
        _("a new edition asks my organisation to re-affirm its signature"),
        _("Sent to the organisation’s admins when a coordinator publishes a new edition."),
        templates=("signatories/emails/reaffirmation_requested.txt",),
    ),
    Kind(
        "organisation_sector_decided",
        "signups",
        _("a coordinator decides on my organisation’s sector"),
        _(
            "Sent to whoever asked and the organisation’s admins when a new public body, or a change "
            "of sector or type, is approved or not."
        ),
        templates=("signatories/emails/sector_approved.txt", "signatories/emails/sector_rejected.txt"),
    ),
    Kind(
        "invitation",
        "signups",
        _("I am invited to join an organisation"),
        _("Always emailed: the email is the invitation."),
        templates=("signatories/emails/invitation.txt",),
        switchable=False,
    ),
)

# Sent by signatories.reminders.
REMINDER_KINDS = (
    Kind(
        "reaffirm_2_weeks",
        "reminders",
        _("my organisation has not re-affirmed its signature two weeks after being asked"),
        _("Sent to the organisation’s admins."),
        templates=("signatories/emails/reminder_reaffirm_2_weeks.txt",),
    ),
    Kind(
        "reaffirm_4_weeks",
        "reminders",
        _("my organisation has not re-affirmed its signature four weeks after being asked"),
        _("The last reminder, sent to the organisation’s admins."),
        templates=("signatories/emails/reminder_reaffirm_4_weeks.txt",),
    ),
    Kind(
        "approval_waiting",
        "reminders",
        _("an application to sign has waited more than 10 working days for approval"),
        _("Sent to the Compact’s coordinators."),
        templates=("signatories/emails/reminder_approval_waiting.txt",),
    ),
)


MEMBERS = Group(
    "members", _("Members’ email addresses"), _("When emails to a member of an organisation cannot be delivered.")
)

# Sent by signatories.services.on_address_bouncing.
MEMBER_KINDS = (
    Kind(
        "address_bouncing",
        "members",
        _("emails to a member of my organisation cannot be delivered"),
        _("Sent to the organisation’s other admins and to the coordinators of the Compacts it signed."),
        templates=("signatories/emails/address_bouncing.txt",),
    ),
)
