from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commitments import selectors as commitments_selectors
from compact_portal.dates import financial_year_label, financial_year_of
from disputes.rules import MINIMUM_CASES_FOR_A_FIGURE
from monitoring import selectors
from monitoring.indicators import (
    PERCENT,
    compact_values,
    every_compact_values,
    national_medians,
    standing,
    standing_label,
)


@require_GET
def measures(request: HttpRequest, slug: str) -> HttpResponse:
    """How the Compact is doing: each standard measure for a chosen financial year and the one
    before, for anyone. Nothing confidential: concern figures from fewer than 3 cases are withheld."""
    compact = commitments_selectors.compact_get(slug=slug)
    today = timezone.localdate()
    years = selectors.years_offered(compact=compact, today=today)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = financial_year_of(today)
    if year not in years:
        year = years[0]
    this_year = compact_values(compact, year, today=today)
    last_year = compact_values(compact, year - 1, today=today)
    # Where it stands against every Compact's median this year (a fixed number of queries).
    medians = national_medians(every_compact_values(year, today=today), year)
    rows = [
        {
            "indicator": now.indicator,
            "values": [now, before],
            "percent": now.indicator.unit == PERCENT,
            "median": median,
            "standing": standing_label(standing(now, median)),
        }
        for now, before, median in zip(this_year, last_year, medians, strict=True)
    ]
    return render(
        request,
        "monitoring/measures.html",
        {
            "compact": compact,
            "rows": rows,
            "year": year,
            "year_label": financial_year_label(year),
            "last_year_label": financial_year_label(year - 1),
            "years": [(choice, financial_year_label(choice)) for choice in years],
            "minimum": MINIMUM_CASES_FOR_A_FIGURE,
        },
    )
