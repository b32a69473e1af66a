from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    VCS = "vcs", _("Voluntary and community sector")


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


class Organisation(models.Model):
    """A public body or a voluntary and community sector organisation."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
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

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_type and self.sector:
            expected = Sector.PUBLIC if self.organisation_type in PUBLIC_TYPES else Sector.VCS
            if self.sector != expected:
                raise ValidationError(
                    {"organisation_type": _("Choose a type of organisation that belongs to the sector you chose.")}
                )


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
