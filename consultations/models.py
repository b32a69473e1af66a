from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyArea(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDREN_FAMILIES = "children_families", _("Children and families")
    COMMUNITY_SAFETY = "community_safety", _("Community safety")
    CULTURE_LEISURE = "culture_leisure", _("Culture, leisure and sport")
    ECONOMY = "economy", _("Economy and employment")
    EDUCATION = "education", _("Education and skills")
    ENVIRONMENT = "environment", _("Environment and climate")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    TRANSPORT = "transport", _("Transport")
    VOLUNTARY_SECTOR = "voluntary_sector", _("Voluntary sector funding and support")
    OTHER = "other", _("Other")


class Consultation(models.Model):
    """A consultation a public body runs. Its status and compliance are computed from its dates
    (consultations.rules), never typed in."""

    class Kind(models.TextChoices):
        FORMAL = "formal", _("Formal written consultation")
        INFORMAL = "informal", _("Informal consultation or engagement")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.PROTECT, related_name="consultations")
    # The edition in force when it was registered: its parameters decide compliance.
    edition = models.ForeignKey("commitments.Edition", on_delete=models.PROTECT, related_name="consultations")
    organisation = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("public body running it"),
    )
    title = models.CharField(_("title"), max_length=250)
    title_cy = models.CharField(_("title (Welsh)"), max_length=250, blank=True)
    summary = models.TextField(_("what it is about"))
    summary_cy = models.TextField(_("what it is about (Welsh)"), blank=True)
    policy_area = models.CharField(_("policy area"), max_length=30, choices=PolicyArea.choices)
    kind = models.CharField(_("type of consultation"), max_length=10, choices=Kind.choices, default=Kind.FORMAL)
    early_notice_on = models.DateField(_("date early notice was given"), null=True, blank=True)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    shorter_rationale = models.TextField(_("why it is shorter than the Compact's minimum, or informal"), blank=True)
    link = models.URLField(_("link to the consultation"), blank=True)
    document = models.FileField(_("consultation document"), upload_to="consultations/documents/", blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email address"))
    feedback_summary = models.TextField(_("overall summary of the feedback"), blank=True)
    feedback_summary_cy = models.TextField(_("overall summary of the feedback (Welsh)"), blank=True)
    feedback_published_on = models.DateField(_("date feedback was published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(fields=["compact", "closes_on"], name="consultation_compact_close_idx"),
            models.Index(fields=["opens_on"], name="consultation_opens_idx"),
            # The open ones (closing today or later, opened by today): counted from the index alone.
            models.Index(fields=["closes_on", "opens_on"], name="consultation_open_idx"),
            models.Index(fields=["closes_on", "feedback_published_on"], name="consultation_feedback_idx"),
            # The national directory's latest activity of each Compact (issue 15).
            models.Index(fields=["compact", "created_at"], name="consultation_compact_made_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("consultations:detail", kwargs={"pk": self.pk})


class Response(models.Model):
    """A VCS organisation's record that it responded to a consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "signatories.Organisation", on_delete=models.CASCADE, related_name="consultation_responses"
    )
    summary = models.TextField(_("summary of your response"))
    # Whom the organisation speaks for, and how it heard them: shown to the body and beside the
    # response in the published feedback.
    represents = models.CharField(_("whom your organisation represents in this response"), max_length=300, blank=True)
    views_gathered = models.TextField(_("how you gathered their views"), max_length=1000, blank=True)
    document = models.FileField(_("your response (optional)"), upload_to="consultations/responses/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "organisation"], name="one_response_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.consultation}"


class FeedbackItem(models.Model):
    """ "You said, we did": what was heard on one theme, and what changed because of it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="feedback_items")
    position = models.PositiveSmallIntegerField(default=0)
    theme = models.CharField(_("theme"), max_length=200)
    you_said = models.TextField(_("what respondents said"))
    we_did = models.TextField(_("what changed as a result, or why it did not"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")

    def __str__(self) -> str:
        return self.theme


class AlertStop(models.Model):
    """The running public body stopped this consultation's alerts to one signatory organisation,
    with a reason: the alert reminders (consultations.reminders) skip it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="alert_stops")
    organisation = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation no longer alerted"),
    )
    reason = models.TextField(_("why its alerts are stopped"), max_length=1000)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stopped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stopped_at", "pk"]
        verbose_name = _("stopped alert")
        verbose_name_plural = _("stopped alerts")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "organisation"], name="one_alert_stop_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.organisation_id}"
