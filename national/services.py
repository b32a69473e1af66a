"""Giving and taking away the national body's role. The page, the admin and tests all call these."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from national.models import NationalRole
from national.permissions import can_manage_national_roles, is_national


@transaction.atomic
def national_role_grant(*, email: str, by) -> NationalRole:
    """Give the role to the person whose account has this email. Raises ValidationError when there is no
    such account or they hold it already; PermissionDenied when ``by`` may not give it."""
    if not can_manage_national_roles(by):
        raise PermissionDenied
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(_("There is no account with this email address. Ask them to create one first."))
    if not user.is_active:
        raise ValidationError(_("This account is closed."))
    if is_national(user):
        raise ValidationError(_("This person is already in the national body."))
    try:
        with transaction.atomic():
            return NationalRole.objects.create(user=user, granted_by=by)
    except IntegrityError as error:  # given by someone else at the same moment
        raise ValidationError(_("This person is already in the national body.")) from error


@transaction.atomic
def national_role_revoke(*, role: NationalRole, by) -> NationalRole:
    """Take the role away (the row stays, with who took it away and when)."""
    if not can_manage_national_roles(by):
        raise PermissionDenied
    role = NationalRole.objects.select_for_update().get(pk=role.pk)
    if role.revoked_at is None:
        role.revoked_at = timezone.now()
        role.revoked_by = by
        role.save(update_fields=["revoked_at", "revoked_by"])
    return role
