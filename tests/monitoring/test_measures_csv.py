"""The measures page's table as CSV, linked from the page with the same year, and the page's link
to the same figures in the open data API."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from compact_portal.dates import financial_year_of
from tests.consultations.factories import ConsultationFactory
from tests.monitoring.factories import edition
from tests.monitoring.test_views import busy, page

D = datetime.date
pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_each_measure_this_year_last_year_and_the_median(client):
    first = edition(published_on=D(2024, 4, 1))
    this_year = financial_year_of(timezone.localdate())
    start = D(this_year, 4, 1)
    ConsultationFactory(
        edition=first,
        early_notice_on=start,
        opens_on=start + datetime.timedelta(days=1),
        closes_on=start + datetime.timedelta(weeks=13),
    )
    url = reverse("monitoring:measures_csv", kwargs={"slug": first.compact.slug})
    rows = rows_of(client.get(url, {"year": this_year}))
    heading = rows[0]
    assert heading[:3] == ["measure", "key", "unit"] and len(heading) == 8
    by_key = {row[1]: row for row in rows[1:]}
    assert len(by_key) == 10
    assert by_key["consultation_length"][3:6] == ["100", "1", "1"]
    assert by_key["consultation_length"][6] == ""  # nothing to count last year
    assert by_key["consultation_length"][7] == "100"  # the only Compact with a figure
    html = page(client, first.compact, year=this_year)
    assert f'href="{url}?year={this_year}"' in html
    assert f'href="/api/v1/compacts/{first.compact.slug}/indicators/?year={this_year}"' in html


def test_a_welsh_reader_gets_welsh_headings(client):
    first = edition()
    client.cookies["django_language"] = "cy"
    response = client.get(reverse("monitoring:measures_csv", kwargs={"slug": first.compact.slug}))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    first = edition()
    busy(first, size)
    with django_assert_max_num_queries(25):
        rows_of(client.get(reverse("monitoring:measures_csv", kwargs={"slug": first.compact.slug}), {"year": 2026}))
