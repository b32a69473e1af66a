from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from consultations.models import Consultation, FeedbackItem, Response

        auditlog.register(Consultation)
        auditlog.register(Response)
        auditlog.register(FeedbackItem)
