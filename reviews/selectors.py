"""What the annual review of a Compact holds for a financial year: reads only, nothing confidential.

Every figure comes from the app that owns the records (the measures of ``monitoring.indicators``,
the rules of consultations and funding, the public concern figures of disputes, the action plan's
progress and accepted evidence of actionplans). Public bodies are
named (they are accountable for keeping the Compact); a voluntary organisation that received a
funding notice never is, and neither is anyone who raised a concern. A fixed number of queries
whatever the Compact holds.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from actionplans import selectors as plan_selectors
from actionplans.models import Action
from actionplans.selectors import PlanProgress
from commitments.models import Edition, Sector
from compact_portal.dates import financial_year_bounds, financial_year_label
from consultations import rules as consultation_rules
from consultations.models import Consultation
from disputes import selectors as dispute_selectors
from funding import rules as funding_rules
from funding import selectors as funding_selectors
from funding.models import FundingNotice
from monitoring.indicators import INDICATORS, Indicator, Value, values_for_compacts
from signatories import rules as signatory_rules
from signatories.models import PUBLIC_TYPES, OrganisationType, Signature

# How many years the trend charts show, the chosen one included.
TREND_YEARS = 5

# A consultation's feedback falls due some weeks after it closes: those closing this long before the
# year may have feedback due in it (as consultations.selectors.year_counts reaches back).
FEEDBACK_REACH = datetime.timedelta(weeks=52 + 3)

# What a consultation can fail, as the review says it.
SHORT = "short"
NO_EARLY_NOTICE = "early_notice"
LATE_FEEDBACK = "feedback"
CONSULTATION_FAILURES = {
    SHORT: _("Shorter than the Compact’s minimum, with no reason given"),
    NO_EARLY_NOTICE: _("No early notice before it opened"),
    LATE_FEEDBACK: _("Feedback not published by the due date"),
}


@dataclass(frozen=True)
class TypeCount:
    organisation_type: str
    label: str
    sector: str
    count: int


@dataclass(frozen=True)
class Coverage:
    has_edition: bool
    signed_up_in_year: int  # signatures made in the year, any edition of the Compact
    by_type: list[TypeCount]  # signed to the edition in force at the year's end, every type
    public_total: int
    vcs_total: int


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    this_year: Value
    last_year: Value
    trend: list[Value]  # oldest first, TREND_YEARS of them, the chosen year last


@dataclass(frozen=True)
class MissedConsultation:
    consultation: Consultation  # for its title, Welsh or English ({% localised %})
    body: str  # the public body that ran it
    closes_on: datetime.date
    failures: list[str]  # keys of CONSULTATION_FAILURES

    @property
    def failure_labels(self) -> list[str]:
        """What it missed, in the active language."""
        return [str(CONSULTATION_FAILURES[key]) for key in self.failures]


@dataclass(frozen=True)
class MissedNotice:
    body: str  # the public body that gave it (never the organisation that received it)
    change: str  # FundingNotice.Change value
    change_label: str
    notice_given_on: datetime.date
    effective_on: datetime.date


@dataclass
class Review:
    compact: object
    year: int
    label: str
    last_label: str
    trend_labels: list[str]
    coverage: Coverage
    indicators: list[IndicatorRow]
    consultations: list[MissedConsultation]
    notices: list[MissedNotice]
    concerns: dict
    plan: PlanProgress  # the action plan's actions under way in the year, with their progress
    evidence: list = field(default_factory=list)  # actionplans.models.Evidence accepted for the year
    # The notices given in the year, counted per part of the Compact (funding.selectors.part_counts,
    # decision 0022); ``notices`` above stays those short of the minimum notice.
    notice_parts: list = field(default_factory=list)

    @property
    def plan_statuses(self) -> list[tuple[str, int]]:
        """(status in words, how many actions), every status in the plan's order."""
        return [(str(label), self.plan.by_status.get(value, 0)) for value, label in Action.Status.choices]


def coverage(*, compact, year: int) -> Coverage:
    """Sign-ups in the year, and who is signed to the edition in force at its end by type. Two queries."""
    start, end = financial_year_bounds(year)
    published = list(
        Edition.objects.filter(
            compact=compact, status__in=[Edition.Status.PUBLISHED, Edition.Status.SUPERSEDED], published_on__lt=end
        ).values_list("pk", "published_on")
    )
    current, _previous = signatory_rules.editions_in_force(published, end)
    rows = Signature.objects.filter(
        edition__compact=compact, status=Signature.Status.SIGNED, signed_on__lt=end
    ).values_list("edition_id", "signed_on", "organisation__organisation_type")
    counts: dict[str, int] = {}
    in_year = 0
    for edition_id, signed_on, kind in rows:
        if signed_on is not None and signed_on >= start:
            in_year += 1
        if edition_id == current:
            counts[kind] = counts.get(kind, 0) + 1
    public = {value.value for value in PUBLIC_TYPES}
    by_type = [
        TypeCount(value, str(label), Sector.PUBLIC if value in public else Sector.VCS, counts.get(value, 0))
        for value, label in OrganisationType.choices
    ]
    return Coverage(
        has_edition=current is not None,
        signed_up_in_year=in_year,
        by_type=by_type,
        public_total=sum(row.count for row in by_type if row.sector == Sector.PUBLIC),
        vcs_total=sum(row.count for row in by_type if row.sector == Sector.VCS),
    )


def missed_consultations(*, compact, year: int, today: datetime.date) -> list[MissedConsultation]:
    """The consultations that did not meet the Compact in the year: formal ones closing in it that
    were too short (with no reason) or gave no early notice, and those whose feedback fell due in it
    and was not published by then. One query."""
    start, end = financial_year_bounds(year)
    rows = (
        Consultation.objects.filter(compact=compact, closes_on__lt=end, closes_on__gte=start - FEEDBACK_REACH)
        .select_related("organisation", "edition", "compact")
        .order_by("closes_on", "pk")
    )
    missed = []
    for consultation in rows:
        edition = consultation.edition
        judged = consultation_rules.compliance(
            today=today,
            opens_on=consultation.opens_on,
            closes_on=consultation.closes_on,
            formal=consultation.kind == Consultation.Kind.FORMAL,
            rationale=consultation.shorter_rationale,
            early_notice_on=consultation.early_notice_on,
            feedback_published_on=consultation.feedback_published_on,
            min_weeks=edition.consultation_min_weeks,
            feedback_weeks=edition.feedback_due_weeks,
            nation=consultation.compact.nation,
        )
        failures = []
        if consultation.kind == Consultation.Kind.FORMAL and start <= consultation.closes_on < end:
            if not judged.length_ok:
                failures.append(SHORT)
            if not judged.early_notice_ok:
                failures.append(NO_EARLY_NOTICE)
        if start <= judged.feedback_due_on < end and judged.feedback_ok is False:
            failures.append(LATE_FEEDBACK)
        if failures:
            missed.append(
                MissedConsultation(consultation, consultation.organisation.name, consultation.closes_on, failures)
            )
    return missed


def missed_notices(*, compact, year: int) -> list[MissedNotice]:
    """The funding-change notices given in the year that did not give the Compact's minimum notice
    (nor claimed exceptional circumstances with a reason). Only the issuing body and the kind of
    change leave here: the recipient is not even read. One query."""
    start, end = financial_year_bounds(year)
    rows = (
        FundingNotice.objects.filter(compact=compact, notice_given_on__gte=start, notice_given_on__lt=end)
        .order_by("notice_given_on", "pk")
        .values_list(
            "issuer__name",
            "change",
            "notice_given_on",
            "effective_on",
            "edition__funding_notice_min_months",
            "exceptional",
            "exceptional_reason",
        )
    )
    missed = []
    for body, change, given, effective, min_months, exceptional, reason in rows:
        met = funding_rules.is_compliant(
            notice_given_on=given,
            effective_on=effective,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=reason,
        )
        if not met:
            missed.append(MissedNotice(body, change, str(FundingNotice.Change(change).label), given, effective))
    return missed


def annual_review(*, compact, year: int, today: datetime.date) -> Review:
    """Everything the review of the Compact's financial year ``year`` shows."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    by_year = {each: values_for_compacts([compact], each, today=today)[compact.pk] for each in years}
    before = values_for_compacts([compact], year - 1, today=today)[compact.pk] if year - 1 not in by_year else None
    last = by_year.get(year - 1) or before
    rows = [
        IndicatorRow(
            indicator=item,
            this_year=by_year[year][index],
            last_year=last[index],
            trend=[by_year[each][index] for each in years],
        )
        for index, item in enumerate(INDICATORS)
    ]
    start, end = financial_year_bounds(year)
    return Review(
        compact=compact,
        year=year,
        label=financial_year_label(year),
        last_label=financial_year_label(year - 1),
        trend_labels=[financial_year_label(each) for each in years],
        coverage=coverage(compact=compact, year=year),
        indicators=rows,
        consultations=missed_consultations(compact=compact, year=year, today=today),
        notices=missed_notices(compact=compact, year=year),
        concerns=dispute_selectors.year_figures(compact=compact, start=start, end=end),
        plan=plan_selectors.plan_progress(compact, year, today=today),
        evidence=list(plan_selectors.accepted_evidence(compact, year)),
        notice_parts=funding_selectors.part_counts(
            FundingNotice.objects.filter(compact=compact, notice_given_on__gte=start, notice_given_on__lt=end),
            today=today,
        ),
    )
