from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Breach concerns")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from disputes import letters  # noqa: F401  registers the challenge letter with the document engine
        from disputes.models import Case, TimelineEntry

        auditlog.register(Case, m2m_fields={"undertakings"})
        auditlog.register(TimelineEntry)

        # What the notifications engine sends and shows for breach concerns (it imports no app).
        from disputes import notification_kinds, reminders
        from notifications import registry

        registry.register_kinds(notification_kinds.DISPUTES, notification_kinds.KINDS)
        registry.register_reminder_source(reminders.due_reminders)

        # A posted letter's status, as GOV.UK Notify reports it, goes on the case's timeline.
        from notifications.signals import letter_status_changed

        letter_status_changed.connect(letters.on_posted_letter_status, dispatch_uid="disputes.posted_letter_status")
