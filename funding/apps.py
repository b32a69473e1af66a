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
