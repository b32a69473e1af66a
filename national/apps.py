from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    """The national body's view across every local Compact: its role, the directory of Compacts and
    the indicators side by side (issue 15)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "national"
    verbose_name = _("National view")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from national.models import NationalRole

        auditlog.register(NationalRole)
