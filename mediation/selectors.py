"""Reads of mediation, checked per user. Anyone a mediation is nothing to gets 404."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from disputes import rules as dispute_rules
from disputes.models import Check, TimelineEntry
from mediation import permissions
from mediation.models import Conflict, Mediation, Mediator, Proposal


def mediation_get_for_user(*, user, case_pk: int) -> Mediation:
    """The mediation of this concern, for its parties, its coordinator and its appointed mediator."""
    mediation = get_object_or_404(
        Mediation.objects.select_related(
            "case__compact", "case__edition", "case__complainant", "case__respondent", "mediator__user"
        ),
        case_id=case_pk,
    )
    if not user.is_authenticated or not permissions.can_view(user, mediation):
        raise Http404
    return mediation


def pool() -> QuerySet[Mediator]:
    """Every mediator, live first, with the Compacts they cover and the conflicts they declared."""
    return (
        Mediator.objects.select_related("user", "accredited_by")
        .prefetch_related(
            "compacts",
            Prefetch("conflicts", queryset=Conflict.objects.select_related("organisation").order_by("pk")),
        )
        .order_by("revoked_at", "user__last_name", "user__first_name", "pk")
    )


def mediations_for_mediator(mediator: Mediator) -> QuerySet[Mediation]:
    return Mediation.objects.filter(mediator=mediator).select_related("case__compact").order_by("-appointed_at", "-pk")


def proposals_of(mediation: Mediation) -> list[Proposal]:
    return list(mediation.proposals.select_related("mediator__user").order_by("pk"))


def shared_timeline(mediation: Mediation) -> QuerySet[TimelineEntry]:
    """What the mediator sees of the case's timeline: what has reached both parties (shared, and
    released when it needed the coordinator's check), never the coordinator's internal entries."""
    return mediation.case.timeline.filter(
        visibility=TimelineEntry.Visibility.SHARED, check_status__in=[Check.NOT_NEEDED, Check.RELEASED]
    ).select_related("author", "author_organisation")


def complainant_label(user, mediation: Mediation) -> str:
    if permissions.sees_complainant_name(user, mediation):
        return mediation.case.complainant.name
    return str(dispute_rules.WITHHELD_NAME)
