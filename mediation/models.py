"""Independent mediation of a breach concern: the pool of accredited mediators, and each case's
mediation (proposals, the appointed mediator, private notes, meetings, the outcome and its actions)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    COMPLAINANT = "complainant", _("The organisation that raised the concern")
    RESPONDENT = "respondent", _("The organisation the concern is about")


class Mediator(models.Model):
    """A person accredited to mediate: by a Compact's coordinator for that Compact, or by the national
    body for every Compact. Nobody becomes one by saying so; revoking keeps the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mediator_roles", verbose_name=_("person")
    )
    compacts = models.ManyToManyField(
        "commitments.Compact", blank=True, related_name="mediators", verbose_name=_("Compacts covered")
    )
    every_compact = models.BooleanField(_("covers every Compact"), default=False)
    accredited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accredited_at = models.DateTimeField(_("accredited"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("accreditation withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-accredited_at", "-pk"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_live_mediator_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class Conflict(models.Model):
    """An organisation a mediator works for or with, declared by the mediator: they are never
    proposed for, nor appointed to, a concern that organisation is party to."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "signatories.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    note = models.CharField(_("how you work for or with it"), max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["mediator", "organisation"], name="one_conflict_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.mediator_id} / {self.organisation_id}"


class CompactSetting(models.Model):
    """A Compact's choices about mediation."""

    compact = models.OneToOneField("commitments.Compact", on_delete=models.CASCADE, related_name="mediation_setting")
    mediator_from_other_area = models.BooleanField(
        _("propose only mediators from another area"),
        default=False,
        help_text=_("Mediators accredited by this Compact are then not proposed for its concerns."),
    )

    def __str__(self) -> str:
        return str(self.compact_id)


class Mediation(models.Model):
    """The mediation of one concern, made when the concern moves to independent mediation."""

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", _("An agreement")
        NO_AGREEMENT = "no_agreement", _("No agreement")

    case = models.OneToOneField("disputes.Case", on_delete=models.CASCADE, related_name="mediation")
    mediator = models.ForeignKey(
        Mediator, on_delete=models.PROTECT, null=True, blank=True, related_name="mediations", verbose_name=_("mediator")
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appointed_at = models.DateTimeField(null=True, blank=True)
    # The complainant's agreement that the other party may learn its name during the mediation.
    name_revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name_revealed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(_("what was agreed, or why no agreement was reached"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Mediation of {self.case_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mediation:case", kwargs={"pk": self.case_id})


class Proposal(models.Model):
    """A mediator proposed for a mediation; either party may decline them, with a reason."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="proposals")
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="proposals")
    declined_side = models.CharField(max_length=12, choices=Side.choices, blank=True)
    declined_reason = models.TextField(_("why you decline this mediator"), blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["mediation", "mediator"], name="one_proposal_per_mediator")]

    def __str__(self) -> str:
        return f"{self.mediator_id} for {self.mediation_id}"


class PrivateNote(models.Model):
    """The appointed mediator's own note: nobody else sees it."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="notes")
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


class Meeting(models.Model):
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("where, or the link to join"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class AgreementAction(models.Model):
    """Something one party agreed to do, by a date: followed by reminders once both parties confirmed."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what is to be done"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=12, choices=Side.choices)
    due_on = models.DateField(_("due by"))

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on"], name="agreement_action_due_idx")]

    def __str__(self) -> str:
        return self.what


class Confirmation(models.Model):
    """A party's confirmation of the agreement, by a member of its organisation."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="confirmations")
    side = models.CharField(max_length=12, choices=Side.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["mediation", "side"], name="one_confirmation_per_side")]

    def __str__(self) -> str:
        return f"{self.side} confirmed {self.mediation_id}"
