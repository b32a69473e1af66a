"""Who may do what with organisations and signatures. Every view and service here asks these."""

from commitments.permissions import is_coordinator
from signatories.models import Membership, Organisation, Signature, verified_public_q


def is_member(user, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def is_organisation_admin(user, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, role=Membership.Role.ADMIN).exists()


def is_verified_public_body(organisation: Organisation) -> bool:
    """A public body whose sector a coordinator has approved. The one check behind every right a
    public body has (registering consultations, giving funding notices, recording sign-ups): a body
    that says it is public but waits for approval, or was turned down, has none of them."""
    return organisation.is_verified_public


def is_public_officer(user) -> bool:
    """A member of an approved public body: may register consultations and funding notices for it,
    and record sign-ups made on paper."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(verified_public_q("organisation__"), user=user).exists()


def is_officer_of(user, organisation: Organisation) -> bool:
    """A member of this organisation, when it is an approved public body: acts for it as a public body."""
    return is_verified_public_body(organisation) and is_member(user, organisation)


def can_apply_for(user, organisation: Organisation) -> bool:
    """Any member of an organisation may apply for it to sign."""
    return is_member(user, organisation) or (user.is_authenticated and user.is_superuser)


def can_record_on_behalf(user, compact) -> bool:
    return is_public_officer(user) or is_coordinator(user, compact)


def can_decide(user, signature: Signature) -> bool:
    """Only the Compact's coordinator approves or rejects."""
    return is_coordinator(user, signature.edition.compact)


def can_withdraw(user, signature: Signature) -> bool:
    return is_organisation_admin(user, signature.organisation) or is_coordinator(user, signature.edition.compact)


def can_reaffirm(user, signature: Signature) -> bool:
    return is_organisation_admin(user, signature.organisation)


def can_view_signature(user, signature: Signature) -> bool:
    """The organisation's members, the coordinator, and whoever applied or recorded it."""
    if not user.is_authenticated:
        return False
    return (
        is_member(user, signature.organisation)
        or is_coordinator(user, signature.edition.compact)
        or signature.applied_by_id == user.pk
    )


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Only the organisation's own admins change it: an officer of one body cannot change another."""
    return is_organisation_admin(user, organisation)
