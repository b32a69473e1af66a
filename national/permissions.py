"""Who belongs to the national body, and what that lets them do. Every view and service of this app asks here."""

from national.models import NationalRole


def is_national(user) -> bool:
    """A signed-in, active person holding the national body's role (given, not taken away)."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_is_national", None)
    if cached is None:
        cached = NationalRole.objects.filter(user=user, revoked_at__isnull=True).exists()
        user._is_national = cached
    return cached


def can_view_national(user) -> bool:
    """The national pages (directory of Compacts, indicators side by side): national users and superusers."""
    return is_national(user) or (user.is_authenticated and user.is_active and user.is_superuser)


def can_manage_national_roles(user) -> bool:
    """Only a superuser or a national-body user gives or takes away the role."""
    return can_view_national(user)
