"""Who may do what with funding-change notices. Every view of this app asks here.

A notice is confidential to the public body that gave it, the organisation that received it, and
the coordinators of its Compact: to anyone else it does not exist (404).
"""

from commitments.permissions import is_coordinator
from funding.models import FundingNotice
from signatories.models import Membership
from signatories.permissions import is_public_officer


def can_record(user) -> bool:
    """A public officer (a member of any public-sector body) records notices given by their bodies."""
    return is_public_officer(user)


def _is_member_of_either(user, notice: FundingNotice) -> bool:
    return Membership.objects.filter(user=user, organisation_id__in=[notice.issuer_id, notice.recipient_id]).exists()


def can_view(user, notice: FundingNotice) -> bool:
    """The issuing body's members, the receiving organisation's members, the Compact's coordinators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return _is_member_of_either(user, notice) or is_coordinator(user, notice.compact)


def can_edit(user, notice: FundingNotice) -> bool:
    """The issuing body's members correct what they recorded; the coordinator may too."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation_id=notice.issuer_id).exists() or is_coordinator(
        user, notice.compact
    )


def can_raise_concern(user, notice: FundingNotice, *, compliant: bool) -> bool:
    """The recipient organisation's members are offered "raise a concern" when a notice falls short."""
    if compliant or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation_id=notice.recipient_id).exists()


def can_reply(user, notice: FundingNotice) -> bool:
    """The receiving organisation's members reply, ask for a meeting or propose a timetable."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation_id=notice.recipient_id).exists()


def can_respond(user, notice: FundingNotice) -> bool:
    """The issuing body's members record its consideration and decision (and may offer a timetable)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation_id=notice.issuer_id).exists()
