from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Signatories")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from signatories.models import Membership, Organisation

        auditlog.register(Organisation)
        auditlog.register(Membership)
