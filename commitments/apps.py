from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Compacts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from commitments import models, pdf  # noqa: F401  pdf registers the edition PDF with the document engine

        auditlog.register(models.Compact, m2m_fields={"coordinators"})
        auditlog.register(models.Edition)
        auditlog.register(models.Principle)
        auditlog.register(models.Outcome)
        auditlog.register(models.Undertaking)
        auditlog.register(models.CodeOfPractice)
        auditlog.register(models.CompactLogo, exclude_fields=["image"])

        # The notifications engine finds a Compact's public calendar feed through this.
        from commitments import calendar_events
        from notifications import registry

        registry.register_calendar_owner(registry.COMPACT_FEED, calendar_events.FEED_OWNER)
