"""Who may do what with a Compact. Every view and service of this app asks here."""

from commitments.models import Compact, Edition


def is_coordinator(user, compact: Compact) -> bool:
    """Coordinators of this Compact, and superusers, manage its editions."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return compact.coordinators.filter(pk=user.pk).exists()


def can_view_edition(user, edition: Edition) -> bool:
    """Published and superseded editions are public; a draft is seen only by coordinators."""
    if not edition.is_draft:
        return True
    return is_coordinator(user, edition.compact)
