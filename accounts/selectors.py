"""Reads about a person's account: whether they must use multi-factor sign-in, and their device."""

from django_otp.plugins.otp_totp.models import TOTPDevice


def mfa_required(user) -> bool:
    """Coordinators and superusers can see who raised a concern whose name is withheld: they must
    sign in with a code from an authenticator app as well as their password."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.coordinated_compacts.exists()


def has_privileged_rights(user) -> bool:
    """Whether the account holds rights beyond an organisation's membership: staff, superuser, a
    Compact's coordinator or the national body's role (the reverse relations: no import upwards).
    Single sign-on links such an account by email only with ``OIDC_LINK_PRIVILEGED``."""
    return (
        user.is_staff
        or user.is_superuser
        or user.coordinated_compacts.exists()
        or user.national_roles.filter(revoked_at__isnull=True).exists()
    )


def mfa_device_for(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, or None when they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return user.recovery_codes.filter(used_at__isnull=True).count()
