"""Who may do what with consultations. Every view and service of this app asks here.

A consultation itself is public. Changing it, preparing and publishing its feedback, and reading
the responses are for the members of the public body that runs it and the coordinators of its
Compact. A response (and its file) is also seen by the members of the organisation that sent it.
"""

from commitments.models import Sector
from commitments.permissions import is_coordinator
from consultations.models import Consultation, Response
from signatories.models import Organisation
from signatories.permissions import is_member, is_officer_of, is_public_officer


def can_register(user) -> bool:
    """Officers of public bodies register their bodies' consultations."""
    return is_public_officer(user)


def can_register_for(user, organisation: Organisation) -> bool:
    """Only for a public body the officer belongs to, once a coordinator has approved it."""
    return is_officer_of(user, organisation)


def can_manage(user, consultation: Consultation) -> bool:
    """Change it, prepare and publish its feedback, read its responses: the members of the body that
    runs it, and the coordinators of its Compact. An officer of another public body may not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_member(user, consultation.organisation) or is_coordinator(user, consultation.compact)


def can_respond_for(user, organisation: Organisation) -> bool:
    """A member of a voluntary or community organisation records that organisation's response."""
    return organisation.sector == Sector.VCS and is_member(user, organisation)


def can_view_response(user, response: Response) -> bool:
    """The responding organisation's members, and whoever manages the consultation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_member(user, response.organisation) or can_manage(user, response.consultation)


def can_raise_concern(user, consultation: Consultation, *, compliant: bool | None) -> bool:
    """When a consultation falls short, any signed-in member of an organisation other than the body
    that runs it is offered "raise a concern" (the body itself is not)."""
    if compliant is not False or not user.is_authenticated:
        return False
    return user.memberships.exclude(organisation_id=consultation.organisation_id).exists()
