from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from consultations.models import AlertStop, Consultation, FeedbackItem, Response

        auditlog.register(Consultation)
        auditlog.register(AlertStop)
        auditlog.register(Response)
        auditlog.register(FeedbackItem)

        # What the notifications engine sends and shows for consultations (it imports no app).
        from consultations import calendar_events, notification_kinds, reminders
        from notifications import registry

        registry.register_kinds(notification_kinds.CONSULTATIONS, notification_kinds.KINDS)
        registry.register_reminder_source(reminders.due_reminders)
        registry.register_calendar_events(
            registry.COMPACT_FEED, calendar_events.compact_events, version=calendar_events.compact_version
        )
        registry.register_calendar_events(
            registry.ORGANISATION_FEED,
            calendar_events.organisation_events,
            version=calendar_events.organisation_version,
        )
