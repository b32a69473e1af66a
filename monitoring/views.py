import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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


def _measures(request: HttpRequest, slug: str) -> dict:
    """The Compact's measures for the chosen financial year (``?year=``, else the current one) and the
    year before, each beside the national median (a fixed number of queries)."""
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
    return {
        "compact": compact,
        "rows": rows,
        "year": year,
        "year_label": financial_year_label(year),
        "last_year_label": financial_year_label(year - 1),
        "years": [(choice, financial_year_label(choice)) for choice in years],
        "minimum": MINIMUM_CASES_FOR_A_FIGURE,
        "funding_parts": [
            part for part in selectors.funding_parts(compact=compact, year=year, today=today) if part.applies_to
        ],
    }


@require_GET
def measures(request: HttpRequest, slug: str) -> HttpResponse:
    """How the Compact is doing: each standard measure for a chosen financial year and the one
    before, for anyone. Nothing confidential: concern figures from fewer than 3 cases are withheld."""
    return render(request, "monitoring/measures.html", _measures(request, slug))


def _figure(value) -> str:
    """A value for the spreadsheet: the number (one decimal place at most), or why there is none."""
    if value.suppressed:
        return str(_("Fewer than 3"))
    if value.value is None:
        return ""
    return str(round(value.value, 1)).removesuffix(".0")


def _count(number) -> str:
    return "" if number is None else str(number)


@require_GET
def measures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The measures page's table as CSV: each measure this year (with what it counted), the year
    before and the national median. UTF-8 with a byte-order mark, headings in the reader's language."""
    data = _measures(request, slug)
    year, last = data["year_label"], data["last_year_label"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{data["compact"].slug}-measures-{data["year"]}-{(data["year"] + 1) % 100:02d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("measure"),
            _("key"),
            _("unit"),
            year,
            _("%(year)s: counted as met") % {"year": year},
            _("%(year)s: counted") % {"year": year},
            last,
            _("national median, %(year)s") % {"year": year},
        ]
    )
    for row in data["rows"]:
        now, before = row["values"]
        item = row["indicator"]
        writer.writerow(
            [
                item.title,
                item.key,
                item.unit,
                _figure(now),
                _count(now.numerator) if row["percent"] else "",
                _count(now.denominator) if row["percent"] else "",
                _figure(before),
                _figure(row["median"]),
            ]
        )
    return response
