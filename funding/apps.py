from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding-change notices")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from funding.models import FundingNotice

        auditlog.register(FundingNotice)
