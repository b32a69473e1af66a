from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Signatories")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.oidc import register_organisation_joiner
        from commitments import pdf
        from commitments.signals import edition_replaced
        from signatories.models import Invitation, Membership, Organisation, Signature
        from signatories.register_selectors import edition_signatory_values
        from signatories.services import membership_from_sign_on, on_edition_replaced

        register_organisation_joiner(membership_from_sign_on)  # single sign-on: the domain's organisation
        pdf.register_signatory_source(edition_signatory_values)  # who signed, for the edition's PDF annex
        edition_replaced.connect(on_edition_replaced, dispatch_uid="signatories.reaffirmation_request_all")

        auditlog.register(Organisation, exclude_fields=["normalised_name", "calendar_token"])
        auditlog.register(Membership)
        auditlog.register(Signature)
        auditlog.register(Invitation, exclude_fields=["token_hash"])

        # What the notifications engine sends and shows for sign-ups (it imports no app).
        from notifications import registry
        from signatories import calendar_events, notification_kinds, reminders

        registry.register_kinds(notification_kinds.SIGNUPS, notification_kinds.SIGNUP_KINDS)
        registry.register_kinds(notification_kinds.REMINDERS, notification_kinds.REMINDER_KINDS)
        registry.register_kinds(notification_kinds.MEMBERS, notification_kinds.MEMBER_KINDS)
        from notifications.signals import address_bouncing
        from signatories.services import on_address_bouncing

        address_bouncing.connect(on_address_bouncing, dispatch_uid="signatories.address_bouncing")
        registry.register_reminder_source(reminders.due_reminders)
        registry.register_calendar_owner(registry.ORGANISATION_FEED, calendar_events.FEED_OWNER)
