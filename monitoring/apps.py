from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """The standard indicators every Compact is measured by (issue 15): definitions, and their values
    per Compact and financial year, computed from the other apps' rules and selectors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("Indicators")
