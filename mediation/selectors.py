"""Reads of mediation, checked per user. Anyone a mediation is nothing to gets 404."""

import os

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


def shared_files(mediation: Mediation) -> dict[int, str]:
    """The files of the shared timeline, by entry, under the neutral names the mediator is offered
    ("evidence-1.pdf", numbered in the timeline's order; the challenge letter keeps its name): the
    names they were uploaded with stay with their side and the coordinator."""
    reference = mediation.case.reference
    names: dict[int, str] = {}
    for number, entry in enumerate(shared_timeline(mediation).exclude(file=""), start=1):
        if entry.kind == TimelineEntry.Kind.LETTER and entry.file_name.startswith(reference):
            names[entry.pk] = entry.file_name
        else:
            names[entry.pk] = f"evidence-{number}{os.path.splitext(entry.file.name)[1].lower()}"
    return names


def shared_file_get_for_user(*, user, case_pk: int, entry_pk: int) -> tuple[TimelineEntry, str]:
    """A file of the shared timeline and the name it is offered under, for the appointed mediator
    alone (the parties and the coordinator open it on the concern's page); 404 to anyone else, for
    an internal entry, one waiting for the coordinator's check, or one of another concern. Only the
    file as shared: the bytes as uploaded (``original_file``) are the coordinator's."""
    mediation = mediation_get_for_user(user=user, case_pk=case_pk)
    if not permissions.is_appointed(user, mediation):
        raise Http404
    names = shared_files(mediation)
    if entry_pk not in names:
        raise Http404
    return mediation.case.timeline.get(pk=entry_pk), names[entry_pk]


def complainant_label(user, mediation: Mediation) -> str:
    if permissions.sees_complainant_name(user, mediation):
        return mediation.case.complainant.name
    return str(dispute_rules.WITHHELD_NAME)
