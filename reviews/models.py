from django.db import models
from django.utils.translation import gettext_lazy as _

from compact_portal.documents import RenderedDocument


class ReviewDocument(RenderedDocument):
    """The PDF of a Compact's annual review for one financial year, in one language: one row per
    content hash, so the same figures asked for again are served, and new figures make a new PDF."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.CASCADE, related_name="review_documents")
    year = models.PositiveSmallIntegerField(_("financial year"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    file = models.FileField(upload_to="reviews/", blank=True)

    class Meta:
        verbose_name = _("annual review PDF")
        verbose_name_plural = _("annual review PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "year", "language", "content_hash"], name="review_document_unique_content"
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="review_document_pending")]

    def __str__(self) -> str:
        return f"Review {self.compact_id} {self.year} {self.language} ({self.status})"
