"""Reads of breach concerns, checked per user. Anyone who may not see a case gets 404."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from disputes.models import Case, CaseView, TimelineEntry
from disputes.permissions import can_see_internal, can_view, sees_complainant_name


def case_get_for_user(*, user, pk: int, log_read: bool = True) -> Case:
    """The case if the user is a party or its coordinator (the read is logged); 404 otherwise."""
    case = get_object_or_404(
        Case.objects.select_related("compact", "edition", "complainant", "respondent", "raised_by"), pk=pk
    )
    if not can_view(user, case):
        raise Http404
    if log_read:
        CaseView.objects.create(case=case, user=user)
    return case


def cases_for_user(user) -> QuerySet[Case]:
    """The cases of the user's organisations and of the Compacts they coordinate."""
    if not user.is_authenticated:
        return Case.objects.none()
    organisations = user.memberships.values("organisation_id")
    visible = Q(complainant__in=organisations) | Q(respondent__in=organisations)
    if user.is_superuser:
        visible = Q()
    else:
        visible |= Q(compact__coordinators=user)
    return (
        Case.objects.filter(visible)
        .distinct()
        .select_related("compact", "complainant", "respondent")
        .order_by("-created_at", "-pk")
    )


def complainant_label(case: Case, user) -> str:
    """The complainant's name, or a description that does not identify it for the other party."""
    if sees_complainant_name(user, case):
        return case.complainant.name
    return _("A voluntary or community organisation (name withheld)")


def timeline_for_user(case: Case, user) -> QuerySet[TimelineEntry]:
    entries = case.timeline.select_related("author", "author_organisation")
    if not can_see_internal(user, case):
        entries = entries.filter(visibility=TimelineEntry.Visibility.SHARED)
    return entries


def entry_author_label(entry: TimelineEntry, case: Case, user) -> str:
    """Who wrote an entry, as this user may be told: a withheld complainant's people are "the complainant"."""
    if entry.author_organisation_id == case.complainant_id and not sees_complainant_name(user, case):
        return _("The complainant")
    if entry.author is None:
        return _("The portal")
    name = entry.author.get_full_name() or entry.author.get_username()
    if entry.author_organisation is not None:
        return f"{name} ({entry.author_organisation.name})"
    return name
