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
    ended_for_performance = models.BooleanField(
        _("the funding is changed or ended because of the organisation’s performance"), default=False
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


def step_file_path(instance, filename: str) -> str:
    """Stored under the notice's number and a neutral name (the name it was uploaded with is kept apart)."""
    return f"funding/steps/{instance.notice_id}/{filename}"


class NoticeStep(models.Model):
    """One step of the right of reply on a notice, in order: the receiving organisation replies, asks
    for a meeting or proposes an improvement timetable; the public body records its consideration and
    its decision. Seen by the two parties' members and the Compact's coordinators only."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MEETING = "meeting", _("Meeting requested")
        TIMETABLE = "timetable", _("Improvement timetable proposed")
        CONSIDERATION = "consideration", _("Consideration recorded")
        DECISION = "decision", _("Decision recorded")

    class Side(models.TextChoices):
        RECIPIENT = "recipient", _("The organisation receiving notice")
        ISSUER = "issuer", _("The public body giving notice")

    # Who may record each kind of step.
    RECIPIENT_KINDS = (Kind.REPLY, Kind.MEETING, Kind.TIMETABLE)
    ISSUER_KINDS = (Kind.CONSIDERATION, Kind.DECISION, Kind.TIMETABLE)

    notice = models.ForeignKey(FundingNotice, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("what it is"), max_length=20, choices=Kind.choices)
    side = models.CharField(_("which side"), max_length=10, choices=Side.choices)
    organisation = models.ForeignKey(
        "signatories.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what was written"))
    file = models.FileField(_("file"), upload_to=step_file_path, blank=True, max_length=255)
    file_name = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField(_("date recorded"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("step on a funding notice’s timeline")
        verbose_name_plural = _("steps on funding notices’ timelines")
        indexes = [models.Index(fields=["notice", "kind"], name="funding_step_notice_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(side="recipient", kind__in=["reply", "meeting", "timetable"])
                    | models.Q(side="issuer", kind__in=["consideration", "decision", "timetable"])
                ),
                name="funding_step_kind_fits_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.get_kind_display()} ({self.recorded_on})"


class TimetableItem(models.Model):
    """One dated step of an improvement timetable proposed on a notice's timeline."""

    step = models.ForeignKey(NoticeStep, on_delete=models.CASCADE, related_name="timetable")
    position = models.PositiveSmallIntegerField()
    action = models.CharField(_("what will be done"), max_length=300)
    due_on = models.DateField(_("by when"))

    class Meta:
        ordering = ["step", "position"]
        constraints = [models.UniqueConstraint(fields=["step", "position"], name="funding_timetable_position_unique")]

    def __str__(self) -> str:
        return f"{self.action} ({self.due_on})"
