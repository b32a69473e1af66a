from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NationalRole(models.Model):
    """A person's role in the national body: seen every Compact's public data and indicators.

    Given only by a superuser or by another national-body user (national.services), never claimed.
    Revoking keeps the row (who, by whom, when): a person holds the role while a row is not revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_roles", verbose_name=_("person")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    granted_at = models.DateTimeField(_("given"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken away by"),
    )
    revoked_at = models.DateTimeField(_("taken away"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("national body role")
        verbose_name_plural = _("national body roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_live_national_role_per_user"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
