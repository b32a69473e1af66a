"""Reads of breach concerns, checked per user. Anyone who may not see a case gets 404."""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Compact, Sector, UndertakingSector
from commitments.rules import working_days_between
from commitments.selectors import undertaking_number_key
from compact_portal.dates import financial_year_bounds, financial_year_of
from disputes import rules
from disputes.models import Case, CaseView, Check, GuardFlag, StageChange, TimelineEntry
from disputes.permissions import can_see_internal, can_view, sees_complainant_name
from signatories.selectors import reach_of


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
    if user.is_superuser:
        visible = Q()
    else:
        # The ids first (one small query), then literal lists: with subqueries in an OR, PostgreSQL
        # reads every case instead of the indexes. Not a join: a join repeats a case per
        # coordinator and needs DISTINCT, which makes the database sort every visible case before it
        # can page through them.
        reach = reach_of(user)
        if not reach:
            return Case.objects.none()
        organisations = reach.organisation_ids
        visible = (
            Q(complainant__in=organisations)
            | (Q(respondent__in=organisations) & Q(check_status__in=[Check.NOT_NEEDED, Check.RELEASED]))
            | Q(compact__in=reach.compact_ids)
        )
    return (
        Case.objects.filter(visible)
        .select_related("compact", "complainant", "respondent")
        .order_by("-created_at", "-pk")
    )


def case_page(cases: QuerySet[Case], *, page_number=None, per_page: int = 50) -> tuple[Page, list[Case]]:
    """One page of ``cases`` in their order (two queries: the count, and the page): the database
    sorts bare ids (a subquery for the page's ids) and only the page's rows are joined to their
    Compact and organisations; joining every case's wide rows before sorting took a quarter of a
    second at national scale."""
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(page_number)
    return page, list(cases.filter(pk__in=page.object_list))


def complainant_label(case: Case, user) -> str:
    """The complainant's name, or a description that does not identify it for the other party."""
    if sees_complainant_name(user, case):
        return case.complainant.name
    return str(rules.WITHHELD_NAME)


def timeline_for_user(case: Case, user) -> QuerySet[TimelineEntry]:
    entries = case.timeline.select_related("author", "author_organisation")
    if not can_see_internal(user, case):
        entries = entries.filter(visibility=TimelineEntry.Visibility.SHARED)
    if not sees_complainant_name(user, case):
        # What a withheld complainant shares reaches the other party once the coordinator released it.
        entries = entries.filter(check_status__in=[Check.NOT_NEEDED, Check.RELEASED])
    return entries


def entries_to_check(case: Case) -> QuerySet[TimelineEntry]:
    return case.timeline.filter(check_status=Check.PENDING).order_by("created_at", "pk")


def named_sides(case: Case, user) -> set[int | None]:
    """The sides whose files this user is offered under their own names: their own side's, and
    for the coordinator every side's (``None`` stands for the coordinator's and the portal's)."""
    from disputes.permissions import is_case_coordinator, is_complainant, is_respondent

    if is_case_coordinator(user, case):
        return {case.complainant_id, case.respondent_id, None}
    sides: set[int | None] = set()
    if is_complainant(user, case):
        sides.add(case.complainant_id)
    if is_respondent(user, case):
        sides.add(case.respondent_id)
    return sides


def files_for_user(case: Case, user) -> dict[int, str]:
    """The name each file the user may download is offered under, by entry: its own name to the
    side that uploaded it and the coordinator, a neutral one ("evidence-1.pdf", numbered in the
    order the user sees them) to anyone else. The challenge letter keeps its neutral name."""
    import os

    named = named_sides(case, user)
    labels: dict[int, str] = {}
    for number, entry in enumerate(timeline_for_user(case, user).exclude(file=""), start=1):
        letter = entry.kind == TimelineEntry.Kind.LETTER and entry.file_name.startswith(case.reference)
        if entry.file_name and (letter or entry.author_organisation_id in named):
            labels[entry.pk] = entry.file_name
        else:
            labels[entry.pk] = f"evidence-{number}{os.path.splitext(entry.file.name)[1].lower()}"
    return labels


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


def _group(counts: dict, choices) -> list[tuple[str, int | str | None]]:
    shown = rules.publishable_group([counts.get(value, 0) for value, _label in choices])
    return [(label, value) for (_value, label), value in zip(choices, shown, strict=True)]


def compact_figures(*, compact) -> dict:
    """The Compact's concerns counted for the public: five aggregate queries, no names.

    Every count of 1 or 2 (below ``rules.MINIMUM_CASES_FOR_A_FIGURE``) is None ("fewer than 3"),
    and so is the median when fewer closed cases than that; a count that would give such a count
    away through a published total is ``rules.HIDDEN``. An undertaking cited in fewer than 3
    concerns has no row at all: a row, even of blanks, would say that it was cited.
    """
    cases = Case.objects.filter(compact=compact)
    by_stage = dict(cases.values_list("stage").annotate(n=Count("pk")).order_by())
    by_outcome = dict(cases.filter(stage=Case.Stage.CLOSED).values_list("outcome").annotate(n=Count("pk")).order_by())
    by_sector = dict(cases.values_list("respondent__sector").annotate(n=Count("pk")).order_by())
    links = (
        Case.undertakings.through.objects.filter(case__compact=compact)
        .values_list("undertaking__number", "undertaking__sector", "case__outcome")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    # Keyed by number and whether both sectors made it: a joint 2.4 is not the public sector's 2.4.
    by_undertaking: dict[tuple[str, bool], dict[str, int]] = {}
    for number, sector, outcome, n in links:
        counts = by_undertaking.setdefault((number, sector == UndertakingSector.JOINT), {})
        counts[outcome] = counts.get(outcome, 0) + n
    closed = cases.filter(stage=Case.Stage.CLOSED, closed_on__isnull=False).values_list("created_at", "closed_on")
    pairs = [(timezone.localdate(created), closed_on) for created, closed_on in closed]
    outcomes = [("", _("Still open"))] + list(Case.Outcome.choices)
    return {
        "total": rules.publishable(sum(by_stage.values())),
        "by_stage": _group(by_stage, Case.Stage.choices),
        "by_outcome": _group(by_outcome, Case.Outcome.choices),
        "by_sector": _group(by_sector, Sector.choices),
        "outcome_labels": [label for _value, label in outcomes],
        "by_undertaking": [
            (number, joint, [rules.publishable(by_undertaking[number, joint].get(value, 0)) for value, _ in outcomes])
            for number, joint in sorted(by_undertaking, key=lambda key: (undertaking_number_key(key[0]), key[1]))
            if sum(by_undertaking[number, joint].values()) >= rules.MINIMUM_CASES_FOR_A_FIGURE
        ],
        "any_undertaking": bool(by_undertaking),
        "median_days": rules.median_working_days(pairs, compact.nation),
        "flagged": rules.publishable(GuardFlag.objects.filter(compact=compact).count()),
        "minimum": rules.MINIMUM_CASES_FOR_A_FIGURE,
    }


def year_counts(*, compacts, start: datetime.date, end: datetime.date) -> dict[int, tuple[int, int, list[int]]]:
    """For each Compact, (closed within the stage limits, closed, working days from raising to
    closing of each): concerns closed in [start, end). Two queries whatever the number of Compacts.

    Only counts leave here, never a case: the caller suppresses figures drawn from fewer than
    ``rules.MINIMUM_CASES_FOR_A_FIGURE`` cases.
    """
    nations = {compact.pk: compact.nation for compact in compacts}
    cases = list(
        Case.objects.filter(
            compact_id__in=list(nations), stage=Case.Stage.CLOSED, closed_on__gte=start, closed_on__lt=end
        ).values_list("pk", "compact_id", "created_at", "closed_on")
    )
    stages: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {pk: [] for pk, *_rest in cases}
    changes = StageChange.objects.filter(case_id__in=list(stages)).order_by("case_id", "at", "pk")
    for case_id, at, new_stage, due_on in changes.values_list("case_id", "at", "new_stage", "due_on"):
        if new_stage != Case.Stage.CLOSED:
            stages[case_id].append((timezone.localdate(at), due_on))
    counts = {pk: [0, 0, []] for pk in nations}
    for pk, compact_id, created_at, closed_on in cases:
        raised_on = timezone.localdate(created_at)
        counts[compact_id][0] += rules.closed_within_limits([*stages[pk], (closed_on, None)])
        counts[compact_id][1] += 1
        counts[compact_id][2].append(working_days_between(raised_on, closed_on, nations[compact_id]))
    return {pk: (in_time, closed, days) for pk, (in_time, closed, days) in counts.items()}


def year_figures(*, compact, start: datetime.date, end: datetime.date) -> dict:
    """The Compact's concerns of one year, counted for the public as ``compact_figures`` counts them:
    those raised in [start, end) by the stage they are at now, those closed in it by outcome, and the
    lessons learned recorded when they were closed. Two queries, no names and no case text.

    Counts of 1 or 2 are None and a count that would give one away is ``rules.HIDDEN``. The lessons
    are given only when at least ``rules.MINIMUM_CASES_FOR_A_FIGURE`` concerns closed in the year,
    in alphabetical order, so that none can be tied to a concern or an outcome.
    """
    raised = Case.objects.filter(compact=compact, created_at__date__gte=start, created_at__date__lt=end)
    by_stage = dict(raised.values_list("stage").annotate(n=Count("pk")).order_by())
    closed = list(
        Case.objects.filter(
            compact=compact, stage=Case.Stage.CLOSED, closed_on__gte=start, closed_on__lt=end
        ).values_list("outcome", "lessons_learned")
    )
    by_outcome: dict[str, int] = {}
    for outcome, _lessons in closed:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
    enough = len(closed) >= rules.MINIMUM_CASES_FOR_A_FIGURE
    return {
        "raised": rules.publishable(sum(by_stage.values())),
        "closed": rules.publishable(len(closed)),
        "by_stage": _group(by_stage, Case.Stage.choices),
        "by_outcome": _group(by_outcome, Case.Outcome.choices),
        "lessons": sorted((text.strip() for _o, text in closed if text.strip()), key=str.casefold) if enough else [],
        "lessons_withheld": not enough and any(text.strip() for _o, text in closed),
        "flagged": _flagged_between(compact, start, end),
        "minimum": rules.MINIMUM_CASES_FOR_A_FIGURE,
    }


def _flagged_between(compact, start: datetime.date, end: datetime.date) -> int | str | None:
    """The flags of [start, end) for the public. A financial year's count is the one
    ``flagged_by_year`` publishes, so a year's annual review never shows a count that, with the other
    years' and the published total, would give a withheld one away."""
    year = financial_year_of(start)
    if (start, end) == financial_year_bounds(year):
        return dict(flagged_by_year(compact=compact)).get(year, 0)
    return rules.publishable(GuardFlag.objects.filter(compact=compact, raised_on__gte=start, raised_on__lt=end).count())


def flagged_by_year(*, compact) -> list[tuple[int, int | str | None]]:
    """The guard's flags counted per financial year of the day each was raised, oldest first, for
    the public: (year, count), a count of 1 or 2 None and, since the total is published too
    (``compact_figures``), a count that would give one away ``rules.HIDDEN``. One query, no names."""
    counts: dict[int, int] = {}
    for raised_on in GuardFlag.objects.filter(compact=compact).values_list("raised_on", flat=True):
        year = financial_year_of(raised_on)
        counts[year] = counts.get(year, 0) + 1
    years = sorted(counts)
    return list(zip(years, rules.publishable_group([counts[year] for year in years]), strict=True))


# --- The guard against retaliation: the coordinator's flags ------------------------------------------


def guard_flags(*, compact: Compact) -> QuerySet[GuardFlag]:
    """The Compact's flags, newest first, each with what raised it and its concerns: a fixed
    number of queries whatever their number. For its coordinators only (the caller checks)."""
    return (
        GuardFlag.objects.filter(compact=compact)
        .select_related(
            "compact",
            "body",
            "organisation",
            "funding_notice",
            "alert_stop__consultation",
            "reviewed_by",
        )
        .prefetch_related("cases")
    )


def guard_flag_get(*, compact: Compact, pk: int) -> GuardFlag:
    return get_object_or_404(guard_flags(compact=compact), pk=pk)
