from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commitments.models import Sector
from signatories.rules import normalise_name


class OrganisationType(models.TextChoices):
    COUNCIL = "council", _("Council")
    NHS = "nhs", _("NHS body")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue service")
    PROBATION = "probation", _("Probation service")
    OTHER_PUBLIC = "other_public", _("Other public body")
    CVS = "cvs", _("Council for voluntary service (CVS)")
    CHARITY = "charity", _("Charity")
    COMMUNITY_GROUP = "community_group", _("Community group")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    OTHER_VCS = "other_vcs", _("Other voluntary or community organisation")


# In a fixed order, so that the database constraint below is the same on every run.
PUBLIC_TYPES = (
    OrganisationType.COUNCIL,
    OrganisationType.NHS,
    OrganisationType.POLICE,
    OrganisationType.FIRE,
    OrganisationType.PROBATION,
    OrganisationType.OTHER_PUBLIC,
)


class SectorStatus(models.TextChoices):
    """Whether a coordinator has approved the organisation's sector and type."""

    VERIFIED = "verified", _("Approved")
    PENDING = "pending", _("Awaiting a coordinator’s approval")
    REJECTED = "rejected", _("Not approved")


class Organisation(models.Model):
    """A public body or a voluntary and community sector organisation.

    ``sector`` and ``organisation_type`` are what the organisation says it is; ``verified_sector`` and
    ``verified_type`` what a coordinator last approved (blank: never). The rights of a public body
    (consultations, funding notices, recording sign-ups) follow the approved sector only, see
    ``signatories.permissions.is_verified_public_body``. A row saved without a pending request
    (the seed, the admin, a coordinator's CSV import) is approved as it is.
    """

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    organisation_type = models.CharField(_("type of organisation"), max_length=30, choices=OrganisationType.choices)
    charity_number = models.CharField(_("registered charity number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email address"), blank=True)
    contact_phone = models.CharField(_("contact telephone number"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("members")
    )
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="championed_organisations",
        verbose_name=_("Compact champion"),
        help_text=_("The person who promotes the Compact inside the organisation."),
    )
    wants_consultation_alerts = models.BooleanField(
        _("tell us when a consultation opens"),
        default=False,
        help_text=_(
            "Email the organisation's members when a public body opens a consultation under a Compact it signed."
        ),
    )
    # The secret in the address of the organisation's private calendar feed (made when first asked for).
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The name with case, punctuation, "Ltd", "The" and "&"/"and" set aside: finds likely duplicates.
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True, default="")
    sector_status = models.CharField(
        _("sector approval"), max_length=10, choices=SectorStatus.choices, default=SectorStatus.VERIFIED, db_index=True
    )
    verified_sector = models.CharField(_("approved sector"), max_length=10, choices=Sector.choices, blank=True)
    verified_type = models.CharField(
        _("approved type of organisation"), max_length=30, choices=OrganisationType.choices, blank=True
    )
    sector_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["charity_number"], name="organisation_charity_idx"),
            models.Index(fields=["company_number"], name="organisation_company_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(sector="public", organisation_type__in=[t.value for t in PUBLIC_TYPES])
                    | (models.Q(sector="vcs") & ~models.Q(organisation_type__in=[t.value for t in PUBLIC_TYPES]))
                ),
                name="organisation_type_matches_sector",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise_name(self.name)
        if self._state.adding and self.sector_status == SectorStatus.VERIFIED and not self.verified_sector:
            # Created by a trusted path (the seed, the admin, a coordinator's import): approved as it is.
            self.verified_sector, self.verified_type = self.sector, self.organisation_type
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalised_name"}
        super().save(*args, **kwargs)

    @property
    def is_verified_public(self) -> bool:
        """A public body whose sector a coordinator has approved: it has a public body's rights."""
        return self.sector == Sector.PUBLIC and self.verified_sector == Sector.PUBLIC

    @property
    def sector_pending(self) -> bool:
        return self.sector_status == SectorStatus.PENDING

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_type and self.sector:
            expected = Sector.PUBLIC if self.organisation_type in PUBLIC_TYPES else Sector.VCS
            if self.sector != expected:
                raise ValidationError(
                    {"organisation_type": _("Choose a type of organisation that belongs to the sector you chose.")}
                )


class OrganisationEvent(models.Model):
    """One step in the approval of an organisation's sector and type: who asked or decided, when, why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sector_events")
    old_status = models.CharField(max_length=10, choices=SectorStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=SectorStatus.choices)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    organisation_type = models.CharField(max_length=30, choices=OrganisationType.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.old_status or '-'} → {self.new_status}"


def verified_public_q(prefix: str = "") -> models.Q:
    """The organisations (``prefix``: the path to one, like ``"organisation__"``) with a public body's rights."""
    return models.Q(**{f"{prefix}sector": Sector.PUBLIC, f"{prefix}verified_sector": Sector.PUBLIC})


class Membership(models.Model):
    """A person's place in an organisation: an ordinary member or one of its admins."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Organisation admin")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Signature(models.Model):
    """An organisation's signature of one edition of a Compact, from application to withdrawal.

    Approved means signed. One row per organisation and edition (enforced by the database);
    its life is recorded in SignatureEvent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        SIGNED = "signed", _("Signed")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REAFFIRMATION_REQUESTED = "reaffirm", _("Asked to re-affirm")

    # A live signature stands or may still stand: it blocks applying again and may be withdrawn.
    # Rejected and withdrawn ones are not live.
    LIVE_STATUSES = (Status.PENDING, Status.SIGNED, Status.REAFFIRMATION_REQUESTED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signatures")
    edition = models.ForeignKey("commitments.Edition", on_delete=models.PROTECT, related_name="signatures")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    signatory_name = models.CharField(_("name of the person signing"), max_length=200, blank=True)
    signatory_role = models.CharField(
        _("their role in the organisation"),
        max_length=200,
        blank=True,
        help_text=_("For example, chair of trustees or chief executive."),
    )
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    statement = models.TextField(_("the statement agreed to"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    # Recorded by a council officer on the organisation's behalf (for example, signed on paper).
    recorded_on_behalf = models.BooleanField(default=False)
    # The scanned signed form, for a sign-up recorded on the organisation's behalf; the coordinator's only.
    signed_form = models.FileField(_("scan of the signed form"), upload_to="signatories/signed-forms/", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was not approved, or withdrawn."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "edition"], name="one_signature_per_organisation_edition")
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="signature_edition_status_idx"),
            models.Index(fields=["status", "applied_at"], name="signature_status_applied_idx"),
            # The national directory's latest sign-up of each Compact (issue 15).
            models.Index(fields=["edition", "created_at"], name="signature_edition_made_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.edition} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("signatories:signature_detail", kwargs={"pk": self.pk})


class SignatureEvent(models.Model):
    """One step in a signature's life: who did it, when, and why."""

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=10, choices=Signature.Status.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=Signature.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.signature_id}: {self.old_status or '-'} → {self.new_status}"


class Invitation(models.Model):
    """An emailed invitation to join an organisation; the link works once, until it expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
