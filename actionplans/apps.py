from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    """A Compact's action plan (strands, actions, targets, progress notes) and the qualitative
    evidence members give for each outcome (issue 15)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from actionplans import notification_kinds, reminders
        from actionplans.signals import give_new_compact_the_guidance_strands
        from notifications import registry

        post_save.connect(
            give_new_compact_the_guidance_strands,
            sender="commitments.Compact",
            dispatch_uid="actionplans.guidance_strands",
        )
        registry.register_kinds(
            notification_kinds.PLANS, notification_kinds.EVIDENCE_KINDS + notification_kinds.REMINDER_KINDS
        )
        registry.register_reminder_source(reminders.due_reminders)
