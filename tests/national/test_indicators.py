"""Every Compact's measures side by side: a chosen year, filters, sorting by a measure, the national
median row, the CSV, and a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from compact_portal.dates import financial_year_label, financial_year_of
from national import services
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory

pytestmark = pytest.mark.django_db

URL = reverse("national:indicators")
CSV_URL = reverse("national:indicators_csv")
TYPES = ("council", "nhs", "police", "fire", "probation")


@pytest.fixture
def national_client(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(email="national@example.org")
    services.national_role_grant(email=user.email, by=root)
    client.force_login(user)
    return client


def _compact(name, nation, statutory: int, vcs: int):
    """A Compact whose current edition was signed this year by ``statutory`` statutory partners
    (coverage 20% each) and ``vcs`` voluntary groups."""
    today = timezone.localdate()
    compact = CompactFactory(name=name, nation=nation)
    edition = PublishedEditionFactory(compact=compact, published_on=today - datetime.timedelta(days=30))
    for kind in TYPES[:statutory]:
        SignatureFactory(organisation=PublicBodyFactory(organisation_type=kind), edition=edition, status="signed")
    for _ in range(vcs):
        SignatureFactory(organisation=OrganisationFactory(), edition=edition, status="signed")
    return compact


@pytest.fixture
def compacts():
    return [
        _compact("Aber Compact", "wales", statutory=1, vcs=5),
        _compact("Barton Compact", "england", statutory=4, vcs=1),
        _compact("Cole Compact", "wales", statutory=2, vcs=3),
        CompactFactory(name="Dale Compact"),  # no edition: no figures
    ]


def _names(response):
    return [row.row.compact.name for row in response.context["rows"]]


def _coverage(response):
    return [row.values[6].display() for row in response.context["rows"]]  # statutory_coverage


def test_refused_to_anyone_outside_the_national_body(client, stranger, coordinator, compact):
    assert client.get(URL).status_code == 302
    for user in (stranger, coordinator):
        client.force_login(user)
        assert client.get(URL).status_code == 403 and client.get(CSV_URL).status_code == 403


def test_every_compact_and_every_measure_with_the_national_median(national_client, compacts):
    response = national_client.get(URL)
    assert response.status_code == 200
    assert _names(response) == ["Aber Compact", "Barton Compact", "Cole Compact", "Dale Compact"]
    assert all(len(row.values) == 10 for row in response.context["rows"])
    assert _coverage(response) == ["20%", "80%", "40%", "No data"]
    medians = {value.indicator.key: value for value in response.context["medians"]}
    assert medians["statutory_coverage"].value == 40  # of 20, 80 and 40: Dale has no figure
    assert medians["vcs_signatories"].value == 3
    page = response.text
    assert 'id="national-median"' in page and "Statutory partners signed up" in page
    assert financial_year_label(financial_year_of(timezone.localdate())) in page


def test_sorted_by_a_measure_with_no_figure_last(national_client, compacts):
    response = national_client.get(URL, {"sort": "statutory_coverage", "order": "desc"})
    assert _names(response) == ["Barton Compact", "Cole Compact", "Aber Compact", "Dale Compact"]
    assert response.text.count('aria-sort="descending"') == 1
    response = national_client.get(URL, {"sort": "vcs_signatories", "order": "asc"})
    assert _names(response) == ["Barton Compact", "Cole Compact", "Aber Compact", "Dale Compact"]


def test_filtered_by_nation_and_status_the_median_stays_national(national_client, compacts):
    response = national_client.get(URL, {"nation": "wales", "sort": "statutory_coverage"})
    assert _names(response) == ["Aber Compact", "Cole Compact"]
    medians = {value.indicator.key: value for value in response.context["medians"]}
    assert medians["statutory_coverage"].value == 40
    assert _names(national_client.get(URL, {"status": "no_edition"})) == ["Dale Compact"]


def test_an_earlier_year_has_no_figures_for_editions_published_since(national_client, compacts):
    last_year = financial_year_of(timezone.localdate()) - 1
    response = national_client.get(URL, {"year": last_year})
    assert _coverage(response) == ["No data"] * 4
    assert financial_year_label(last_year) in response.text
    response = national_client.get(URL, {"year": 1990})  # not offered: an error, no rows
    assert response.context["form"].errors and response.context["rows"] == []


def test_csv_of_the_table_with_the_median_last(national_client, compacts):
    response = national_client.get(CSV_URL, {"nation": "wales", "sort": "statutory_coverage", "order": "desc"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    heading = rows[0]
    assert heading[:4] == ["Compact", "Nation", "Status", "Financial year"] and len(heading) == 14
    assert [row[0] for row in rows[1:]] == ["Cole Compact", "Aber Compact", "National median"]
    column = heading.index("Statutory partners signed up")
    assert [row[column] for row in rows[1:]] == ["40", "20", "40"]


@pytest.mark.parametrize("count", [3, 60])
def test_queries_do_not_grow_with_the_compacts(national_client, django_assert_max_num_queries, count):
    for n in range(count):
        _compact(f"Compact {n}", "wales" if n % 2 else "england", statutory=n % 3, vcs=1)
    # 12 when every Compact's figures are computed: the session, the user, the role, the signatories
    # counted, the directory, the Compacts' version, the six sets of figures; fewer once they are kept.
    with django_assert_max_num_queries(12):
        response = national_client.get(URL, {"sort": "champions", "order": "desc"})
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(12):
        assert national_client.get(CSV_URL).status_code == 200


def test_the_table_links_to_the_same_figures_in_the_open_data_api(national_client, compacts, client):
    last_year = financial_year_of(timezone.localdate()) - 1
    page = national_client.get(URL, {"year": last_year}).text
    link = f'href="/api/v1/indicators/?year={last_year}"'
    assert link in page
    assert client.get(f"/api/v1/indicators/?year={last_year}").json()["count"] == 4
    assert "/api/v1/indicators/?year=" in client.get("/open-data/").text
