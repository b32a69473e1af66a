"""Tests of notifications and reminders. The helpers below are shared by the test modules."""

import datetime

from django.utils import timezone

from signatories.models import Membership, Signature
from tests.signatories.factories import MembershipFactory, OrganisationFactory


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """That day and time in Europe/London."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def asked_to_reaffirm(
    *, edition, on: datetime.date, admins: int = 1, members: int = 0, contact_email: str = "", hour: int = 10
) -> Signature:
    """An organisation asked on ``on`` to re-affirm its signature for ``edition``, not yet done."""
    organisation = OrganisationFactory(contact_email=contact_email)
    for _ in range(admins):
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    for _ in range(members):
        MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    return Signature.objects.create(
        organisation=organisation,
        edition=edition,
        status=Signature.Status.REAFFIRMATION_REQUESTED,
        applied_at=at(on, hour),
    )


def applied(*, edition, on: datetime.date, hour: int = 10) -> Signature:
    """An organisation that applied on ``on`` to sign ``edition``, waiting for approval."""
    return Signature.objects.create(
        organisation=OrganisationFactory(), edition=edition, status=Signature.Status.PENDING, applied_at=at(on, hour)
    )


def admin_emails(signature: Signature) -> list[str]:
    return sorted(
        signature.organisation.memberships.filter(role=Membership.Role.ADMIN).values_list("user__email", flat=True)
    )
