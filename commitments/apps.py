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

        # The language middleware keeps which Compacts are Welsh-first; a saved Compact refreshes it
        # at once, and again after its transaction commits (commitments/welsh_first.py).
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from commitments import welsh_first

        def refresh_welsh_first(sender, **kwargs) -> None:
            welsh_first.refresh()
            transaction.on_commit(welsh_first.forget)

        post_save.connect(
            refresh_welsh_first, sender=models.Compact, weak=False, dispatch_uid="commitments.welsh_first.save"
        )
        post_delete.connect(
            refresh_welsh_first, sender=models.Compact, weak=False, dispatch_uid="commitments.welsh_first.delete"
        )
