from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding-change notices")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from funding.models import FundingNotice, NoticeStep

        auditlog.register(FundingNotice)
        auditlog.register(NoticeStep)

        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from funding.selectors import PART_COUNT_MODELS, part_counts_changed

        for app_label, model_name in PART_COUNT_MODELS:
            model = apps.get_model(app_label, model_name)
            for signal in (post_save, post_delete):
                signal.connect(part_counts_changed, sender=model, dispatch_uid=f"funding-part-counts-{model_name}")

        # What the notifications engine sends and shows for funding notices (it imports no app).
        from funding import calendar_events, notification_kinds, reminders
        from notifications import registry

        registry.register_kinds(notification_kinds.FUNDING, notification_kinds.KINDS)
        registry.register_reminder_source(reminders.due_reminders)
        registry.register_calendar_events(
            registry.ORGANISATION_FEED,
            calendar_events.organisation_events,
            version=calendar_events.organisation_version,
        )
