from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Signatories")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commitments.signals import edition_replaced
        from signatories.models import Invitation, Membership, Organisation, Signature
        from signatories.services import on_edition_replaced

        edition_replaced.connect(on_edition_replaced, dispatch_uid="signatories.reaffirmation_request_all")

        auditlog.register(Organisation, exclude_fields=["normalised_name", "calendar_token"])
        auditlog.register(Membership)
        auditlog.register(Signature)
        auditlog.register(Invitation, exclude_fields=["token_hash"])
