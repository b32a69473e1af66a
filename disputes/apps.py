from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Breach concerns")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from disputes import letters  # noqa: F401  registers the challenge letter with the document engine
        from disputes.models import Case, GuardFlag, TimelineEntry

        auditlog.register(Case, m2m_fields={"undertakings"})
        auditlog.register(GuardFlag)  # each review, with the one it replaced
        auditlog.register(TimelineEntry)

        # What the notifications engine sends and shows for breach concerns (it imports no app).
        from disputes import notification_kinds, reminders
        from notifications import registry

        registry.register_kinds(notification_kinds.DISPUTES, notification_kinds.KINDS)
        registry.register_reminder_source(reminders.due_reminders)

        # The guard against retaliation: funding and consultations tell of what a body did.
        from consultations.signals import alerts_stopped
        from disputes import receivers
        from funding.signals import notice_recorded

        notice_recorded.connect(receivers.notice_recorded, dispatch_uid="disputes_guard_notice")
        alerts_stopped.connect(receivers.alerts_stopped, dispatch_uid="disputes_guard_alert_stop")
        # ...and the coordinator sees the flag on the notice's own page.
        from funding import registry as funding_registry

        funding_registry.register_coordinator_note(receivers.guard_notes)
        # A posted letter's status, as GOV.UK Notify reports it, goes on the case's timeline.
        from notifications.signals import letter_status_changed

        letter_status_changed.connect(letters.on_posted_letter_status, dispatch_uid="disputes.posted_letter_status")
