"""What the open data API and the CSV downloads read: public data only, each list in a fixed
number of queries whatever its length. Draft editions never appear; funding notices only as counts."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from commitments.models import Compact, Edition, Undertaking
from compact_portal.dates import financial_year_label, financial_year_of
from consultations import selectors as consultation_selectors
from consultations.models import Consultation
from disputes import rules as dispute_rules
from disputes import selectors as dispute_selectors
from disputes.models import Case
from funding import rules as funding_rules
from funding import selectors as funding_selectors
from funding.models import FundingNotice
from monitoring import indicators as monitoring_indicators
from monitoring import selectors as monitoring_selectors
from signatories import register_selectors
from signatories.models import Signature

PUBLIC_EDITION_STATUSES = (Edition.Status.PUBLISHED, Edition.Status.SUPERSEDED)


def compacts() -> QuerySet[Compact]:
    current = Edition.objects.filter(compact=OuterRef("pk"), status=Edition.Status.PUBLISHED).values("pk")[:1]
    return Compact.objects.annotate(current_edition_id=Subquery(current)).order_by("name", "pk")


def compact_get(*, slug: str) -> Compact:
    return get_object_or_404(compacts(), slug=slug)


def editions(*, compact: Compact) -> QuerySet[Edition]:
    """The Compact's published and superseded editions, newest first; never a draft."""
    return compact.editions.filter(status__in=PUBLIC_EDITION_STATUSES).order_by("-published_on", "-pk")


def edition_get(*, compact: Compact, pk: int) -> Edition:
    """A public edition with every part, in six queries; a draft is a 404."""
    undertakings = Undertaking.objects.select_related("outcome").order_by("outcome__number", "position", "pk")
    return get_object_or_404(
        editions(compact=compact).prefetch_related(
            "principles",
            "codes_of_practice",
            Prefetch("outcomes__undertakings", queryset=undertakings),
        ),
        pk=pk,
    )


def undertakings_current(*, compact: Compact) -> QuerySet[Undertaking]:
    """The current edition's undertakings (none when nothing is published)."""
    return (
        Undertaking.objects.filter(edition__compact=compact, edition__status=Edition.Status.PUBLISHED)
        .select_related("outcome", "edition")
        .order_by("outcome__number", "position", "pk")
    )


def undertaking_history(*, compact: Compact, key) -> list[Undertaking]:
    """The undertaking with this key in each public edition, newest edition first; 404 when no public
    edition has it (a key only a draft has is not public)."""
    rows = list(
        Undertaking.objects.filter(edition__compact=compact, edition__status__in=PUBLIC_EDITION_STATUSES, key=key)
        .select_related("edition", "outcome")
        .order_by("-edition__published_on", "-edition_id")
    )
    if not rows:
        raise Http404
    return rows


def signatories(*, compact: Compact) -> QuerySet[Signature]:
    """The register as its page shows it: one row per organisation, the edition it signed last."""
    current = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
    return register_selectors.latest_only(register_selectors.register_signatures(compact=compact, current=current))


def consultations(*, today: datetime.date, compact: Compact | None = None) -> QuerySet[Consultation]:
    queryset = consultation_selectors.consultations_public(today=today)
    if compact is not None:
        queryset = queryset.filter(compact=compact)
    return queryset


# --- Concerns: the public figures ----------------------------------------------------------------

BELOW_MINIMUM = "below_minimum"  # 1 or 2: too few to publish
DERIVABLE = "derivable"  # would give a suppressed count away through the published total
STILL_OPEN = "still_open"


def figure(value) -> dict:
    """A published count (``count``, or None with ``suppressed`` saying why)."""
    if value is None:
        return {"count": None, "suppressed": BELOW_MINIMUM}
    if value == dispute_rules.HIDDEN:
        return {"count": None, "suppressed": DERIVABLE}
    return {"count": value, "suppressed": ""}


def concern_figures(*, compact: Compact) -> dict:
    """The public figures page's numbers (disputes.selectors.compact_figures), keyed by the values
    of the choices rather than their labels, so that they read the same in either language."""
    figures = dispute_selectors.compact_figures(compact=compact)

    def group(values, shown) -> list[dict]:
        return [{"value": value, **figure(count)} for value, (_label, count) in zip(values, shown, strict=True)]

    from commitments.models import Sector

    outcome_values = [STILL_OPEN, *Case.Outcome.values]
    total = figures["total"]
    return {
        "compact": compact.slug,
        "minimum": figures["minimum"],
        "total": figure(total),
        "by_stage": group(Case.Stage.values, figures["by_stage"]),
        "by_outcome": group(Case.Outcome.values, figures["by_outcome"]),
        "by_sector": group(Sector.values, figures["by_sector"]),
        "by_undertaking": [
            {
                "number": number,
                "joint": joint,
                "by_outcome": [
                    {"value": value, **figure(count)} for value, count in zip(outcome_values, counts, strict=True)
                ],
            }
            for number, joint, counts in figures["by_undertaking"]
        ],
        "median_working_days_to_close": figures["median_days"],
        # The guard against retaliation (decision 0025): notices and stopped alerts flagged for the
        # coordinators, only as counts, withheld below the minimum as the figures page withholds them.
        "flagged": figure(figures["flagged"]),
        "flagged_by_year": [
            {"financial_year": year, "label": financial_year_label(year), **figure(count)}
            for year, count in dispute_selectors.flagged_by_year(compact=compact)
        ],
    }


# --- Funding notices: counts only ------------------------------------------------------------------


@dataclass(frozen=True)
class FundingYear:
    financial_year: int
    label: str
    notices: int | None  # None: fewer than the minimum, not published
    meeting_compact_share: float | None  # None when ``notices`` is
    # Issue 16 (decision 0022): for each part of a notice's compliance, the share of the notices it
    # applied to that met it (those still open count as not met yet); None when ``notices`` is, or
    # when it applied to none. ``meeting_compact_share`` is the first part, as before.
    parts: dict[str, float | None]


def funding_years(*, compact: Compact) -> list[FundingYear]:
    """Per financial year of the notice date: how many notices of a funding change were recorded, and
    the share that met the Compact (enough notice, or exceptional circumstances with a reason).
    One query of dates and flags; a year with 1 or 2 notices shows neither figure, as the concern
    figures do, since a notice is between two named organisations."""
    rows = FundingNotice.objects.filter(compact=compact).values_list(
        "notice_given_on", "effective_on", "edition__funding_notice_min_months", "exceptional", "exceptional_reason"
    )
    totals: dict[int, list[int]] = {}
    for given, effective, min_months, exceptional, reason in rows:
        counts = totals.setdefault(financial_year_of(given), [0, 0])
        counts[0] += 1
        counts[1] += funding_rules.is_compliant(
            notice_given_on=given,
            effective_on=effective,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=reason,
        )
    parts_by_year = funding_selectors.part_counts_by_year(FundingNotice.objects.filter(compact=compact))
    years = []
    for year in sorted(totals):
        total, met = totals[year]
        shown = total >= dispute_rules.MINIMUM_CASES_FOR_A_FIGURE
        years.append(
            FundingYear(
                financial_year=year,
                label=financial_year_label(year),
                notices=total if shown else None,
                meeting_compact_share=round(met / total, 3) if shown else None,
                parts={
                    count.part: round(count.met / count.applies_to, 3) if shown and count.applies_to else None
                    for count in parts_by_year[year]
                },
            )
        )
    return years


# --- Outcome measures ------------------------------------------------------------------------------


def indicator_years(*, compact: Compact, today: datetime.date) -> list[int]:
    return monitoring_selectors.years_offered(compact=compact, today=today)


def indicator_values(*, compact: Compact, year: int, today: datetime.date) -> dict:
    """The standard measures for one financial year, as the measures page shows them; each title and
    definition in English and in Welsh, since the answer is the same for every reader."""
    from django.utils import translation

    rows = []
    for value in monitoring_indicators.compact_values(compact, year, today=today):
        item = value.indicator
        with translation.override("en"):
            title, definition = str(item.title), str(item.definition)
        with translation.override("cy"):
            title_cy, definition_cy = str(item.title), str(item.definition)
        rows.append(
            {
                "key": item.key,
                "title": title,
                "title_cy": title_cy,
                "definition": definition,
                "definition_cy": definition_cy,
                "theme": str(item.theme),
                "unit": item.unit,
                "higher_is_better": item.higher_is_better,
                "value": value.value,
                "numerator": value.numerator,
                "denominator": value.denominator,
                "suppressed": value.suppressed,
            }
        )
    return {
        "compact": compact.slug,
        "financial_year": year,
        "label": financial_year_label(year),
        "years": indicator_years(compact=compact, today=today),
        "indicators": rows,
    }


# The financial years the indicators of every Compact are given for: this one and the five before
# (as the national comparison offers them).
NATIONAL_INDICATOR_YEARS = 6


def national_indicator_years(*, today: datetime.date) -> list[int]:
    """The financial years ``national_indicators`` answers for, newest first."""
    current = financial_year_of(today)
    return list(range(current, current - NATIONAL_INDICATOR_YEARS, -1))


def national_indicators(*, year: int, today: datetime.date) -> list[dict]:
    """Every Compact's standard measures for the financial year, each beside the national median (of
    every Compact with a figure; see ``monitoring.indicators.national_medians``), by name. A fixed
    number of queries whatever the number of Compacts: their measures are computed together."""
    every = list(Compact.objects.order_by("name", "pk"))
    values = monitoring_indicators.values_for_compacts(every, year, today=today)
    medians = monitoring_indicators.national_medians(values, year)
    label = financial_year_label(year)
    return [
        {
            "compact": compact.slug,
            "name": compact.name,
            "name_cy": compact.name_cy,
            "nation": compact.nation,
            "financial_year": year,
            "label": label,
            "indicators": [
                {
                    "key": value.indicator.key,
                    "unit": value.indicator.unit,
                    "value": value.value,
                    "numerator": value.numerator,
                    "denominator": value.denominator,
                    "suppressed": value.suppressed,
                    "national_median": median.value,
                }
                for value, median in zip(values[compact.pk], medians, strict=True)
            ],
        }
        for compact in every
    ]
