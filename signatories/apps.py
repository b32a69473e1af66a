from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Signatories")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commitments import pdf
        from signatories.models import Invitation, Membership, Organisation, Signature
        from signatories.register_selectors import edition_signatory_values

        pdf.register_signatory_source(edition_signatory_values)  # who signed, for the edition's PDF annex

        auditlog.register(Organisation, exclude_fields=["normalised_name", "calendar_token"])
        auditlog.register(Membership)
        auditlog.register(Signature)
        auditlog.register(Invitation, exclude_fields=["token_hash"])
