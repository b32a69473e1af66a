from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """The standard indicators every Compact is measured by (issue 15): definitions, and their values
    per Compact and financial year, computed from the other apps' rules and selectors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("Indicators")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from monitoring.indicators import COUNTED_MODELS, figures_changed

        for app_label, model_name in COUNTED_MODELS:
            model = apps.get_model(app_label, model_name)
            for signal in (post_save, post_delete):
                signal.connect(figures_changed, sender=model, dispatch_uid=f"monitoring-figures-{model_name}")
