from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """Independent mediation of breach concerns: the pool of accredited mediators and each mediation (issue 16)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mediation"
    verbose_name = _("Mediation")

    def ready(self) -> None:
        from disputes import permissions as dispute_permissions
        from disputes.signals import case_moved
        from mediation import calendar_events, notification_kinds, permissions, reminders, services
        from notifications import registry

        case_moved.connect(services.on_case_moved, dispatch_uid="mediation.case_moved")
        dispute_permissions.register_move_grant(permissions.mediator_moves)
        registry.register_kinds(notification_kinds.MEDIATION, notification_kinds.KINDS)
        registry.register_reminder_source(reminders.due_reminders)
        events, version = calendar_events.organisation_events, calendar_events.organisation_version
        registry.register_calendar_events(registry.ORGANISATION_FEED, events, version=version)
