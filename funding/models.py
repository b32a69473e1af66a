from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingNotice(models.Model):
    """A public body's written notice to a VCS organisation that its funding will change or end.

    Compliance (enough notice, or exceptional circumstances with a reason) is computed by
    funding.rules from the edition's minimum notice, never typed in.
    """

    class Change(models.TextChoices):
        REDUCED = "reduced", _("Funding reduced")
        ENDED = "ended", _("Funding ended")
        TERMS_CHANGED = "terms_changed", _("Terms of the funding changed")
        SUPPORT_WITHDRAWN = "support_withdrawn", _("Other support withdrawn (premises, equipment, staff time)")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.PROTECT, related_name="funding_notices")
    edition = models.ForeignKey("commitments.Edition", on_delete=models.PROTECT, related_name="funding_notices")
    issuer = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_notices_given",
        verbose_name=_("public body giving notice"),
    )
    recipient = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_notices_received",
        verbose_name=_("organisation receiving notice"),
    )
    change = models.CharField(_("what changes"), max_length=20, choices=Change.choices)
    description = models.TextField(_("the funding or support concerned"))
    description_cy = models.TextField(_("the funding or support concerned (Welsh)"), blank=True)
    notice_given_on = models.DateField(_("date written notice was given"))
    effective_on = models.DateField(_("date the change takes effect"))
    reasons = models.TextField(_("the reasons for the decision"))
    reasons_cy = models.TextField(_("the reasons for the decision (Welsh)"), blank=True)
    impact_assessed = models.BooleanField(_("the impact was assessed before deciding"), default=False)
    impact_findings = models.TextField(
        _("what the assessment found about beneficiaries, service users and volunteers"), blank=True
    )
    discussed_before = models.BooleanField(
        _("the change was discussed with the organisation before deciding"), default=False
    )
    exceptional = models.BooleanField(_("exceptional circumstances are claimed"), default=False)
    exceptional_reason = models.TextField(_("the exceptional circumstances"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-notice_given_on", "-pk"]
        verbose_name = _("funding-change notice")
        verbose_name_plural = _("funding-change notices")
        indexes = [
            models.Index(fields=["compact", "effective_on"], name="funding_compact_effective_idx"),
            models.Index(fields=["effective_on"], name="funding_effective_idx"),
            models.Index(fields=["created_at"], name="funding_created_idx"),
            # The national directory's latest activity of each Compact (issue 15).
            models.Index(fields=["compact", "created_at"], name="funding_compact_made_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} → {self.recipient}: {self.get_change_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("funding:detail", kwargs={"pk": self.pk})
