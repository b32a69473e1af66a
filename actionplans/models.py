"""A Compact's action plan (strands of actions, each with a lead, dates, a status and perhaps a
computed target) and the qualitative evidence members give for each outcome, per financial year."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compact_portal.dates import financial_year_label


class GuidanceStrand(models.TextChoices):
    """The four strands of the Welsh guidance's action plan, made for every Compact."""

    COMMUNICATION = "communication", _("Communication")
    SIGN_UP = "sign_up", _("Sign-up")
    REPRESENTATION = "representation", _("Representation")
    ENGAGEMENT = "engagement", _("Engagement")


class Strand(models.Model):
    """A strand of a Compact's plan: one of the guidance's four (``guidance`` set, its name
    translated) or one a coordinator added (its own ``title`` and ``title_cy``)."""

    compact = models.ForeignKey("commitments.Compact", on_delete=models.CASCADE, related_name="plan_strands")
    guidance = models.CharField(max_length=20, choices=GuidanceStrand.choices, blank=True)
    title = models.CharField(_("name of the strand"), max_length=200, blank=True)
    title_cy = models.CharField(_("name of the strand (Welsh)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("strand")
        verbose_name_plural = _("strands")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "guidance"], condition=~models.Q(guidance=""), name="one_guidance_strand_each"
            ),
            models.CheckConstraint(condition=~models.Q(guidance="", title=""), name="strand_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.get_guidance_display() if self.guidance else self.title


class Action(models.Model):
    """One action of a plan. Its progress towards a target is computed (actionplans.rules), never typed."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Target(models.TextChoices):
        VCS_SIGNATORIES = "vcs_signatories", _("More voluntary and community sector signatories")
        CHAMPIONS = "champions", _("Every signatory names a Compact champion")
        CONSULTATION_LENGTH = "consultation_length", _("All formal consultations of the minimum length or explained")

    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="actions", verbose_name=_("strand"))
    compact = models.ForeignKey("commitments.Compact", on_delete=models.CASCADE, related_name="plan_actions")
    title = models.CharField(_("action"), max_length=300)
    title_cy = models.CharField(_("action (Welsh)"), max_length=300, blank=True)
    lead_organisation = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("lead organisation"),
    )
    lead_person = models.CharField(_("lead person"), max_length=200)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions"
    )
    starts_on = models.DateField(_("start date"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    outcome = models.ForeignKey(
        "commitments.Outcome", on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions"
    )
    undertaking = models.ForeignKey(
        "commitments.Undertaking", on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions"
    )
    target_kind = models.CharField(_("target"), max_length=20, choices=Target.choices, blank=True)
    target_number = models.PositiveIntegerField(_("target number"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="action_due_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dropped", dropped_reason=""), name="dropped_action_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:action_detail", kwargs={"slug": self.compact.slug, "pk": self.pk})


class ActionStatusChange(models.Model):
    """One change of an action's status: who, when and (for a dropped action) why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)
    new_status = models.CharField(max_length=12, choices=Action.Status.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.old_status or '-'} → {self.new_status}"


class ProgressNote(models.Model):
    """A dated note of progress: internal (the coordinators and the lead organisation's members)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.written_on}"


class Evidence(models.Model):
    """Qualitative evidence that an outcome is being met in a financial year (keyed by its first
    calendar year: 2026 is 1 April 2026 to 31 March 2027). Public once a coordinator accepts it."""

    class Kind(models.TextChoices):
        NOTE = "note", _("A note")
        CASE_STUDY = "case_study", _("A case study")
        FILE = "file", _("A file")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting a coordinator’s check")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.CASCADE, related_name="evidence")
    outcome = models.ForeignKey("commitments.Outcome", on_delete=models.PROTECT, related_name="evidence")
    year = models.PositiveSmallIntegerField(_("financial year"))
    kind = models.CharField(_("type of evidence"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened"), blank=True)
    file = models.FileField(_("file"), upload_to="actionplans/evidence/", blank=True)
    organisation = models.ForeignKey(
        "signatories.Organisation", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("organisation")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["compact", "year", "status"], name="evidence_compact_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="returned", return_reason=""), name="returned_evidence_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:evidence_detail", kwargs={"slug": self.compact.slug, "pk": self.pk})

    @property
    def year_label(self) -> str:
        """The financial year as written: "2026–27"."""
        return financial_year_label(self.year)
