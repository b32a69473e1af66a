import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compact_portal.documents import RenderedDocument


class Check(models.TextChoices):
    """The coordinator's check of what a complainant whose name is withheld shares: it reaches the
    other party only once released; returned, it goes back to the complainant with a reason."""

    NOT_NEEDED = "", _("Not needed")
    PENDING = "pending", _("Waiting for the coordinator’s check")
    RELEASED = "released", _("Released by the coordinator")
    RETURNED = "returned", _("Returned to the complainant")


def neutral_path(instance, filename: str) -> str:
    """A stored name that says nothing: a random one, with the extension of the checked kind."""
    return f"disputes/files/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


def original_path(instance, filename: str) -> str:
    return f"disputes/originals/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Case(models.Model):
    """A concern that a partner did not keep the Compact, from first report to resolution.

    The stage changes only through disputes.services.case_move (allowed moves, who may make them,
    a history row, a due date in working days from the edition's parameters).
    """

    class Stage(models.TextChoices):
        INFORMAL = "informal", _("Informal dialogue")
        FORMAL = "formal", _("Formal written challenge")
        MEDIATION = "mediation", _("Independent mediation")
        ESCALATED = "escalated", _("Escalated outside")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        NOT_UPHELD = "not_upheld", _("Not upheld")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.PROTECT, related_name="cases")
    edition = models.ForeignKey("commitments.Edition", on_delete=models.PROTECT, related_name="cases")
    complainant = models.ForeignKey(
        "signatories.Organisation", on_delete=models.PROTECT, related_name="cases_raised", verbose_name=_("raised by")
    )
    respondent = models.ForeignKey(
        "signatories.Organisation",
        on_delete=models.PROTECT,
        related_name="cases_against",
        verbose_name=_("raised about"),
    )
    undertakings = models.ManyToManyField(
        "commitments.Undertaking", related_name="cases", verbose_name=_("undertakings not kept")
    )
    summary = models.CharField(_("the concern in a sentence"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"))
    outcome_sought = models.TextField(_("what you would like to happen"))
    withhold_name = models.BooleanField(
        _("keep our organisation's name from the other party"),
        default=False,
        help_text=_(
            "The coordinator then passes messages between you, so raising a concern cannot affect your funding."
        ),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.INFORMAL)
    stage_started_on = models.DateField(_("stage started"))
    stage_due_on = models.DateField(_("stage due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    closed_on = models.DateField(_("date closed"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    source_funding_notice = models.ForeignKey(
        "funding.FundingNotice", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    # A withheld complainant's concern that came from a funding notice or a consultation can point
    # to it (a notice has one recipient): the other party sees the case once the coordinator releases it.
    check_status = models.CharField(
        _("coordinator’s check"), max_length=10, choices=Check.choices, blank=True, default=""
    )
    check_note = models.TextField(_("reason given to the complainant"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("breach concern")
        verbose_name_plural = _("breach concerns")
        indexes = [
            models.Index(fields=["stage", "stage_due_on"], name="case_stage_due_idx"),
            models.Index(fields=["compact", "stage"], name="case_compact_stage_idx"),
            # The national directory's latest activity of each Compact (issue 15).
            models.Index(fields=["compact", "created_at"], name="case_compact_made_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(stage="closed") & ~models.Q(outcome=""))
                | (~models.Q(stage="closed") & models.Q(outcome="")),
                name="case_outcome_only_when_closed",
            ),
            models.CheckConstraint(condition=~models.Q(complainant=models.F("respondent")), name="case_parties_differ"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.summary}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disputes:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}" if self.pk else "C-new"

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class StageChange(models.Model):
    """One move of a case from stage to stage: who, when, why, and the new due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    old_stage = models.CharField(max_length=10, choices=Case.Stage.choices, blank=True)
    new_stage = models.CharField(max_length=10, choices=Case.Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.old_stage or '-'} → {self.new_stage}"


class TimelineEntry(models.Model):
    """Something that happened in a case: a note, letter, meeting, decision, stage change or document.

    Shared entries are seen by both parties (with the complainant's identity withheld from the other
    party when asked); internal entries only by the coordinator.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        LETTER = "letter", _("Letter")
        MEETING = "meeting", _("Meeting")
        DECISION = "decision", _("Decision")
        STAGE = "stage", _("Stage change")
        DOCUMENT = "document", _("Document")

    class Visibility(models.TextChoices):
        SHARED = "shared", _("Both parties and the coordinator")
        INTERNAL = "internal", _("Only the coordinator")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("what it is"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The side the author spoke for, so a withheld complainant is shown as "the complainant".
    author_organisation = models.ForeignKey(
        "signatories.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("details"), blank=True)
    file = models.FileField(_("file"), upload_to=neutral_path, blank=True)
    # The name it was uploaded with: shown to the uploader's side and the coordinator only.
    file_name = models.CharField(max_length=200, blank=True)
    # The bytes as uploaded, before the author's details were removed: kept as evidence, for the
    # coordinator alone.
    original_file = models.FileField(upload_to=original_path, blank=True)
    check_status = models.CharField(
        _("coordinator’s check"), max_length=10, choices=Check.choices, blank=True, default=""
    )
    check_note = models.TextField(_("reason given to the complainant"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "visibility"], name="timeline_case_visibility_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    @property
    def reaches_other_party(self) -> bool:
        return self.visibility == self.Visibility.SHARED and self.check_status in (Check.NOT_NEEDED, Check.RELEASED)


class CaseView(models.Model):
    """Who opened a case page, and when: confidential reads are logged."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"], name="caseview_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.case_id}"


class ChallengeLetter(RenderedDocument):
    """The formal written challenge as a PDF, rendered by a worker and filed on the timeline."""

    class Language(models.TextChoices):
        WELSH = "cy", _("Welsh")
        ENGLISH = "en", _("English")
        BILINGUAL = "bilingual", _("Welsh and English")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    # Chosen when the letter is prepared and kept, so a letter made again reads the same.
    language = models.CharField(
        _("language of the letter"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    addressed_to = models.CharField(_("the decision maker it is addressed to"), max_length=200)
    response_due_on = models.DateField(_("date a response is due"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="disputes/letters/", blank=True)
    timeline_entry = models.OneToOneField(
        TimelineEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="letter"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the decision maker has only a postal address, the letter is posted through GOV.UK Notify
    # (decision 0023): the lines under their role and body's name, the last a UK postcode, printed
    # in the PDF's address block.
    postal_address = models.TextField(_("postal address"), max_length=300, blank=True)
    posted = models.OneToOneField(
        "notifications.PostedLetter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "requested_at"], name="challenge_letter_pending")]

    def __str__(self) -> str:
        return f"Letter for {self.case_id} ({self.status})"


class GuardFlag(models.Model):
    """The guard against retaliation: a public body gave a funding-change notice to, or stopped a
    consultation's alerts to, an organisation with an open concern against it (or one closed within
    a year). Raised by disputes.services.guard_check; seen and reviewed by the Compact's
    coordinators only, never by the body."""

    class Review(models.TextChoices):
        PENDING = "", _("Not reviewed yet")
        NO_LINK = "no_link", _("No link to the concern")
        NEEDS_EXPLANATION = "needs_explanation", _("Needs an explanation from the body")
        REFERRED = "referred", _("Referred")

    compact = models.ForeignKey("commitments.Compact", on_delete=models.PROTECT, related_name="guard_flags")
    body = models.ForeignKey("signatories.Organisation", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("signatories.Organisation", on_delete=models.PROTECT, related_name="+")
    funding_notice = models.OneToOneField(
        "funding.FundingNotice", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    alert_stop = models.OneToOneField(
        "consultations.AlertStop", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cases = models.ManyToManyField(Case, related_name="guard_flags")
    raised_on = models.DateField(_("date raised"))
    review = models.CharField(_("review"), max_length=20, choices=Review.choices, blank=True, default="")
    review_note = models.TextField(_("note"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("flag for the coordinator")
        verbose_name_plural = _("flags for the coordinator")
        indexes = [models.Index(fields=["compact", "created_at"], name="guardflag_compact_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(funding_notice__isnull=False) & models.Q(alert_stop__isnull=True))
                | (models.Q(funding_notice__isnull=True) & models.Q(alert_stop__isnull=False)),
                name="guardflag_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"F-{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disputes:guard_flag", kwargs={"slug": self.compact.slug, "pk": self.pk})
