"""Reads of action plans and evidence. Pages of one action or one piece of evidence that are not
public go through the ``*_for_user`` functions here, which answer 404 to whoever may not see them."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Min, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actionplans import permissions, rules
from actionplans.models import Action, ActionStatusChange, Evidence, ProgressNote, Strand
from commitments.models import Compact, Sector
from commitments.selectors import edition_current
from compact_portal.dates import financial_year_bounds
from consultations.models import Consultation
from signatories.models import Organisation, Signature

# How each status is shown: its meaning for {% status_tag %}.
STATUS_MEANINGS = {
    Action.Status.NOT_STARTED: "neutral",
    Action.Status.UNDER_WAY: "information",
    Action.Status.DONE: "positive",
    Action.Status.DROPPED: "negative",
}
EVIDENCE_MEANINGS = {
    Evidence.Status.SUBMITTED: "waiting",
    Evidence.Status.ACCEPTED: "positive",
    Evidence.Status.RETURNED: "negative",
}


@dataclass
class TargetData:
    """What the targets are counted from, for one Compact, read in three queries."""

    vcs_first_signed: list = field(default_factory=list)  # per VCS signatory: the day it first signed
    champions: list = field(default_factory=list)  # per signed organisation: names a champion
    consultations: list = field(default_factory=list)  # rules.ConsultationFacts


def target_data(compact: Compact) -> TargetData:
    signed = Signature.objects.filter(edition__compact=compact, status=Signature.Status.SIGNED)
    vcs = (
        signed.filter(organisation__sector=Sector.VCS)
        .values("organisation_id")
        .annotate(first=Min("signed_on"))
        .values_list("first", flat=True)
    )
    champions = (
        Organisation.objects.filter(pk__in=signed.values("organisation_id"))
        .values_list("champion_id", flat=True)
        .order_by()
    )
    consultations = Consultation.objects.filter(compact=compact, kind=Consultation.Kind.FORMAL).values_list(
        "opens_on", "closes_on", "shorter_rationale", "edition__consultation_min_weeks"
    )
    return TargetData(
        vcs_first_signed=list(vcs),
        champions=[champion is not None for champion in champions],
        consultations=[
            rules.ConsultationFacts(opens_on=o, closes_on=c, formal=True, rationale=r, min_weeks=w)
            for o, c, r, w in consultations
        ],
    )


def action_progress(action: Action, data: TargetData, today: datetime.date) -> rules.Progress | None:
    """The action's progress towards its target, or None when it has none."""
    kind = action.target_kind
    if kind == Action.Target.VCS_SIGNATORIES:
        return rules.vcs_signatories_progress(
            signed_on=data.vcs_first_signed, starts_on=action.starts_on, today=today, number=action.target_number or 0
        )
    goal = 100 if action.target_number is None else min(action.target_number, 100)
    if kind == Action.Target.CHAMPIONS:
        return rules.champions_progress(champions=data.champions, goal_percent=goal)
    if kind == Action.Target.CONSULTATION_LENGTH:
        return rules.consultation_length_progress(
            consultations=data.consultations, starts_on=action.starts_on, today=today, goal_percent=goal
        )
    return None


@dataclass
class ActionRow:
    action: Action
    progress: rules.Progress | None
    meaning: str
    overdue: bool


@dataclass
class StrandRow:
    strand: Strand
    actions: list[ActionRow]


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("lead_organisation", "outcome", "undertaking", "strand", "compact")


def plan(compact: Compact, *, today: datetime.date | None = None) -> list[StrandRow]:
    """Every strand of the plan with its actions and their computed progress (no notes): what the
    public page shows. A fixed number of queries, whatever the number of actions."""
    today = today or timezone.localdate()
    strands = list(
        compact.plan_strands.prefetch_related(
            Prefetch("actions", queryset=_actions().order_by("due_on", "pk"), to_attr="plan_actions")
        )
    )
    needs_targets = any(a.target_kind for s in strands for a in s.plan_actions)
    data = target_data(compact) if needs_targets else TargetData()
    return [
        StrandRow(
            strand=strand,
            actions=[
                ActionRow(
                    action=a,
                    progress=action_progress(a, data, today),
                    meaning=STATUS_MEANINGS[a.status],
                    overdue=rules.is_overdue(status=a.status, due_on=a.due_on, today=today),
                )
                for a in strand.plan_actions
            ],
        )
        for strand in strands
    ]


@dataclass
class PlanProgress:
    """The plan in one financial year, for the annual review: the actions under way at some time in
    the year (started by its end, due after its start), each with its progress counted up to the
    end of the year (or today, if sooner), and how many there are of each status. Statuses are
    as they stand now."""

    year: int
    actions: list[ActionRow]
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.actions)


def plan_progress(compact: Compact, year: int, *, today: datetime.date | None = None) -> PlanProgress:
    first, end = financial_year_bounds(year)  # end: the day after the year's last
    today = min(today or timezone.localdate(), end)
    actions = list(
        _actions()
        .filter(compact=compact, starts_on__lt=end, due_on__gte=first)
        .order_by("strand__position", "due_on", "pk")
    )
    data = target_data(compact) if any(a.target_kind for a in actions) else TargetData()
    rows = [
        ActionRow(
            action=a,
            progress=action_progress(a, data, today),
            meaning=STATUS_MEANINGS[a.status],
            overdue=rules.is_overdue(status=a.status, due_on=a.due_on, today=today),
        )
        for a in actions
    ]
    by_status = dict.fromkeys(Action.Status.values, 0)
    for row in rows:
        by_status[row.action.status] += 1
    return PlanProgress(year=year, actions=rows, by_status=by_status)


def accepted_evidence(compact: Compact, year: int) -> QuerySet[Evidence]:
    """The evidence a coordinator accepted for the financial year ``year``: public, for the review."""
    return (
        Evidence.objects.filter(compact=compact, year=year, status=Evidence.Status.ACCEPTED)
        .select_related("outcome", "organisation", "compact")
        .order_by("outcome__number", "submitted_at", "pk")
    )


# --- One action -------------------------------------------------------------------------------------------


def action_get(*, compact: Compact, pk: int) -> Action:
    return get_object_or_404(_actions(), compact=compact, pk=pk)


def action_get_for_updater(*, user, compact: Compact, pk: int) -> Action:
    """The action, for the coordinators and the lead organisation's members; 404 for anyone else."""
    action = action_get(compact=compact, pk=pk)
    if not permissions.can_update_action(user, action):
        raise Http404
    return action


def action_notes(action: Action) -> QuerySet[ProgressNote]:
    return action.notes.select_related("by")


def action_history(action: Action) -> QuerySet[ActionStatusChange]:
    return action.status_changes.select_related("by")


def actions_led_by_user(*, user, compact: Compact) -> QuerySet[Action]:
    if not user.is_authenticated:
        return Action.objects.none()
    return _actions().filter(compact=compact, lead_organisation__memberships__user=user).distinct()


# --- Evidence ---------------------------------------------------------------------------------------------


def evidence_get_for_user(*, user, compact: Compact, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("outcome", "organisation", "compact", "submitted_by"), compact=compact, pk=pk
    )
    if not permissions.can_see_evidence(user, evidence):
        raise Http404
    return evidence


def evidence_get_for_download(*, user, compact: Compact, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("organisation", "compact"), compact=compact, pk=pk)
    if not permissions.can_download_evidence_file(user, evidence):
        raise Http404
    return evidence


def evidence_for_coordinator(compact: Compact) -> QuerySet[Evidence]:
    return (
        Evidence.objects.filter(compact=compact)
        .select_related("outcome", "organisation", "compact")
        .order_by("status", "-submitted_at", "-pk")
    )


def evidence_of_user(*, user, compact: Compact) -> QuerySet[Evidence]:
    if not user.is_authenticated:
        return Evidence.objects.none()
    return (
        Evidence.objects.filter(compact=compact, organisation__memberships__user=user)
        .select_related("outcome", "organisation", "compact")
        .distinct()
    )


def current_outcomes(compact: Compact):
    edition = edition_current(compact=compact)
    return edition.outcomes.order_by("number") if edition else []


def current_undertakings(compact: Compact):
    edition = edition_current(compact=compact)
    return edition.undertakings.select_related("outcome").order_by("position", "pk") if edition else []
