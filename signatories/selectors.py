"""Reads of organisations and signatures, checked per user: what is not theirs is a 404."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from signatories.models import Membership, Organisation, Signature
from signatories.permissions import can_view_signature, is_member
from signatories.rules import normalise_name, normalise_number


def signature_get_for_user(*, user, pk: int) -> Signature:
    """A signature the user may see (its organisation's members, the coordinator, the applicant)."""
    signature = get_object_or_404(
        Signature.objects.select_related("organisation", "edition__compact", "applied_by", "decided_by"), pk=pk
    )
    if not can_view_signature(user, signature):
        raise Http404
    return signature


def organisation_get_for_member(*, user, pk: int) -> Organisation:
    """An organisation's own page is for its members (and superusers) only."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not (user.is_authenticated and (user.is_superuser or is_member(user, organisation))):
        raise Http404
    return organisation


def organisations_of(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def organisations_administered_by(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN).order_by("name")


def likely_duplicates(*, name: str, charity_number: str = "", company_number: str = "") -> QuerySet[Organisation]:
    """Organisations that are probably the one described: same charity or company number, or the
    same name once case, punctuation, "Ltd", "The" and "&"/"and" are set aside."""
    query = Q()
    if normalise_name(name):
        query |= Q(normalised_name=normalise_name(name))
    if normalise_number(charity_number):
        query |= Q(charity_number__iexact=normalise_number(charity_number))
    if normalise_number(company_number):
        query |= Q(company_number__iexact=normalise_number(company_number))
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.filter(query).order_by("name")
