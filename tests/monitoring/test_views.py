"""The public page "How the Compact is doing"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from compact_portal.dates import financial_year_label, financial_year_of
from tests.consultations.factories import ConsultationFactory
from tests.monitoring.factories import concern, edition
from tests.signatories.factories import PublicBodyFactory, SignatureFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def page(client, compact, **params):
    response = client.get(reverse("monitoring:measures", kwargs={"slug": compact.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def cells(html, key):
    """The text of the cells of a measure's row: this year, last year, the national median."""
    row = re.search(rf'<tr class="govuk-table__row" id="measure-{key}">(.*?)</tr>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", td).split()) for td in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def cell(html, key):
    """The text of the year cells of a measure's row."""
    return cells(html, key)[:2]


def test_the_page_shows_each_measure_this_year_and_last(client):
    first = edition(published_on=D(2024, 4, 1))
    compact = first.compact
    this_year = financial_year_of(timezone.localdate())
    start = D(this_year, 4, 1)
    # Last year: one formal consultation, too short and with no reason; this year, one long enough.
    ConsultationFactory(
        edition=first,
        early_notice_on=None,
        opens_on=start - datetime.timedelta(days=40),
        closes_on=start - datetime.timedelta(days=10),
    )
    ConsultationFactory(
        edition=first,
        early_notice_on=start,
        opens_on=start + datetime.timedelta(days=1),
        closes_on=start + datetime.timedelta(weeks=13),
    )
    SignatureFactory(organisation=PublicBodyFactory(), edition=first, status="signed", signed_on=D(2024, 5, 1))
    html = page(client, compact, year=this_year)
    assert "How the Compact is doing" in html
    assert financial_year_label(this_year) in html and financial_year_label(this_year - 1) in html
    assert cell(html, "consultation_length") == ["100% 1 of 1", "0% 0 of 1"]
    assert cell(html, "statutory_coverage") == ["20% 1 of 5", "20% 1 of 5"]
    assert cell(html, "funding_notice") == ["No data", "No data"]
    assert "Of the formal consultations that closed in the year" in html  # the definition
    assert "Lower is better." in html  # the median days to settle a concern


def test_the_year_chooser_offers_the_years_with_data_and_the_current_one(client):
    first = edition(published_on=D(2023, 6, 1))
    html = page(client, first.compact)
    current = financial_year_of(timezone.localdate())
    options = re.findall(r'<option value="(\d+)"', html)
    assert options == [str(year) for year in range(current, 2022, -1)]
    assert re.search(rf'<option value="{current}" selected>', html)
    html = page(client, first.compact, year=2023)
    assert re.search(r'<option value="2023" selected>', html)
    assert "Measures for 2023–24 and the year before" in html
    # Out of range or not a year: the current year.
    for year in ("2019", "nonsense", str(current + 1)):
        assert re.search(rf'<option value="{current}" selected>', page(client, first.compact, year=year))


def test_a_compact_with_nothing_offers_only_the_current_year(client):
    first = edition(published_on=timezone.localdate())
    first.compact.editions.update(published_on=None, status="draft")
    html = page(client, first.compact)
    assert re.findall(r'<option value="(\d+)"', html) == [str(financial_year_of(timezone.localdate()))]
    assert cell(html, "vcs_signatories") == ["No data", "No data"]


def test_concern_figures_from_fewer_than_three_are_withheld_and_no_one_is_named(client):
    first = edition()
    case = concern(edition=first, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))], closed_on=D(2026, 6, 10))
    html = page(client, first.compact, year=2026)
    assert cell(html, "concerns_in_time")[0] == "Fewer than 3"
    assert cell(html, "concern_days")[0] == "Fewer than 3"
    for name in (case.complainant.name, case.respondent.name, case.summary):
        assert name not in html


def test_where_the_compact_stands_against_the_national_median(client):
    """The median of every Compact's figure for the year, and whether this one is better or worse."""
    this_year = financial_year_of(timezone.localdate())
    start = D(this_year, 4, 1)
    compacts = []
    for signed_bodies in (1, 2, 4):  # statutory coverage 20%, 40%, 80%: the median is 40%
        first = edition(published_on=D(2024, 4, 1))
        for n in range(signed_bodies):
            kind = ("council", "nhs", "police", "fire", "probation")[n]
            SignatureFactory(
                organisation=PublicBodyFactory(organisation_type=kind), edition=first, status="signed",
                signed_on=start,
            )  # fmt: skip
        compacts.append(first.compact)
    edition(published_on=None, status="draft")  # no published edition: no figure, left out of the median
    low, middle, high = (page(client, compact, year=this_year) for compact in compacts)
    assert cells(low, "statutory_coverage")[2] == "40% Worse than the national median"
    assert cells(middle, "statutory_coverage")[2] == "40% Level with the national median"
    assert cells(high, "statutory_coverage")[2] == "40% Better than the national median"
    assert cells(high, "funding_notice")[2] == "No data"  # no Compact has a figure
    assert f"National median, {financial_year_label(this_year)}" in high


def test_a_missing_compact_is_404(client):
    assert client.get(reverse("monitoring:measures", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_compact_page_links_here(client):
    first = edition()
    html = client.get(first.compact.get_absolute_url()).content.decode()
    assert reverse("monitoring:measures", kwargs={"slug": first.compact.slug}) in html


def busy(first, n):
    for i in range(n):
        ConsultationFactory(edition=first, opens_on=D(2026, 6, 1), closes_on=D(2026, 9, 1 + i), early_notice_on=None)
        concern(edition=first, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))], closed_on=D(2026, 6, 10))
        SignatureFactory(organisation=PublicBodyFactory(), edition=first, status="signed", signed_on=D(2025, 5, 1))


@pytest.mark.parametrize("size", [1, 15])
def test_the_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    first = edition()
    busy(first, size)
    with django_assert_max_num_queries(25):
        page(client, first.compact, year=2026)


def test_queries_do_not_grow_with_the_records(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (1, 12):
        first = edition()
        busy(first, size)
        with CaptureQueriesContext(connection) as captured:
            page(client, first.compact, year=2026)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_funding_notices_are_counted_part_by_part_in_a_fixed_number_of_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.funding.factories import FundingNoticeFactory

    counts = []
    for size in (1, 8):
        first = edition()
        for i in range(size):
            FundingNoticeFactory(
                compact=first.compact,
                edition=first,
                notice_given_on=D(2026, 5, 1),
                effective_on=D(2026, 9, 1),
                discussed_before=i != 0,  # the first was not discussed
                ended_for_performance=True,  # and no timetable was offered before 1 September 2026
            )
        with CaptureQueriesContext(connection) as captured:
            html = page(client, first.compact, year=2026)
        counts.append(len(captured))
        body = re.search(r'<table class="govuk-table" id="funding-parts">(.*?)</table>', html, re.S).group(1)
        rows = [
            " ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        ]
        assert f"Discussed with the organisation before the decision {size - 1} 1 0" in rows
        assert f"Improvement timetable offered (funding changed for performance) 0 {size} 0" in rows
    assert counts[0] == counts[1]
