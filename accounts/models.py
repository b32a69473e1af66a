from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: council officer, VCS member or Compact coordinator.

    What a person may do follows from their memberships of organisations and the Compacts
    they coordinate, not from flags on the account.
    """

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the portal's pages and emails for this person. Empty: not chosen yet."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCode(models.Model):
    """One of the ten one-time codes that sign a person in when their authenticator app is lost.

    Shown once, when made; only a keyed hash is kept (accounts.services.recovery_code_hash).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique_per_user")]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user}: {'used' if self.used_at else 'unused'}"


class SignOnIdentity(models.Model):
    """The council identity provider's account a person signs in with (single sign-on).

    Found again by the provider's ``issuer`` and ``subject`` (its ``sub``), never by email: a
    changed email at the provider still finds the same account, and another subject with the same
    email cannot take the account over. One identity per provider per person.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_on_identities")
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("identifier at the provider"), max_length=255)
    email = models.EmailField(_("email address at the provider"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sign_on_identity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="sign_on_identity_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.issuer}"
