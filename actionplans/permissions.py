"""Who may do what with a Compact's action plan and its evidence."""

from commitments.permissions import is_coordinator
from signatories.models import Organisation, Signature


def can_manage_plan(user, compact) -> bool:
    """The Compact's coordinators (and superusers) add and change strands and actions."""
    return is_coordinator(user, compact)


def is_lead_member(user, action) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return action.lead_organisation.memberships.filter(user=user).exists()


def can_update_action(user, action) -> bool:
    """The coordinators, and the lead organisation's members, add progress notes and set the status."""
    return can_manage_plan(user, action.compact) or is_lead_member(user, action)


def can_see_notes(user, action) -> bool:
    """Progress notes are internal: the coordinators and the lead organisation's members only."""
    return can_update_action(user, action)


def signed_organisations_of(user, compact):
    """The user's organisations that have signed this Compact (a signature of one of its editions)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            memberships__user=user,
            signatures__edition__compact=compact,
            signatures__status=Signature.Status.SIGNED,
        )
        .distinct()
        .order_by("name")
    )


def can_give_evidence(user, compact) -> bool:
    """Members of organisations that have signed the Compact give evidence."""
    return signed_organisations_of(user, compact).exists()


def can_decide_evidence(user, compact) -> bool:
    return is_coordinator(user, compact)


def can_see_evidence(user, evidence) -> bool:
    """Before it is accepted (and after it is returned), evidence is seen by the coordinators and the
    members of the organisation that gave it."""
    if is_coordinator(user, evidence.compact):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return evidence.organisation.memberships.filter(user=user).exists()


def can_download_evidence_file(user, evidence) -> bool:
    """An accepted file is public (the annual review shows it); before that, as ``can_see_evidence``."""
    return evidence.status == evidence.Status.ACCEPTED or can_see_evidence(user, evidence)
