from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """The annual review of a Compact: page, PDF, charts and spreadsheets (issue 15)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = _("Annual reviews")

    def ready(self) -> None:
        from reviews import pdf  # registers the review PDF with the document engine

        pdf.connect_signals()
