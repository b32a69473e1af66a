from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    """A Compact's action plan (strands, actions, targets, progress notes) and the qualitative
    evidence members give for each outcome (issue 15)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplans"
    verbose_name = _("Action plans")
