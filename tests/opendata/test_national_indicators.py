"""Every Compact's outcome measures in one list, with the national medians: paged, validated against
the schema, with validators, and in a fixed number of queries however many Compacts there are."""

import datetime

import pytest

from tests.commitments.factories import CompactFactory, build_edition
from tests.funding.factories import FundingNoticeFactory
from tests.opendata.conftest import SECRETS
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

PATH = "/api/v1/indicators/"


def _notices(compact, *, met: int, short: int) -> None:
    """Funding notices of 2026–27: ``met`` with enough notice, ``short`` with one month's."""
    edition = compact.editions.filter(status="published").get()
    council, group = PublicBodyFactory(), OrganisationFactory()
    for n in range(met + short):
        given = datetime.date(2026, 5, 1 + n)
        months = 4 if n < met else 1
        FundingNoticeFactory(
            compact=compact,
            edition=edition,
            issuer=council,
            recipient=group,
            notice_given_on=given,
            effective_on=given.replace(month=given.month + months),
        )


def _by_slug(answer) -> dict:
    return {row["compact"]: {i["key"]: i for i in row["indicators"]} for row in answer["results"]}


def test_every_compact_beside_the_national_median(api, world):
    other = build_edition(compact=CompactFactory(name="Hillside Compact", slug="hillside")).compact
    _notices(other, met=3, short=0)
    CompactFactory(name="Zed Compact", slug="zed")  # no edition, no figures
    answer = api(PATH)
    assert answer["count"] == 3
    assert [row["compact"] for row in answer["results"]] == ["hillside", "riverside", "zed"]
    first = answer["results"][0]
    assert (first["name"], first["financial_year"], first["label"]) == ("Hillside Compact", 2026, "2026–27")
    funding = {slug: row["funding_notice"] for slug, row in _by_slug(answer).items()}
    assert funding["riverside"]["value"] == 25  # one of four notices met the Compact
    assert funding["hillside"]["value"] == 100
    assert funding["zed"]["value"] is None
    # The median of the Compacts with a figure (25 and 100), the same beside each.
    assert {row["national_median"] for row in funding.values()} == {62.5}
    text = str(answer)
    assert not any(secret in text for secret in SECRETS)


def test_a_chosen_year_and_years_out_of_range(api, client, world):
    assert {row["financial_year"] for row in api(PATH, year=2025)["results"]} == {2025}
    assert client.get(PATH, {"year": 2021}).status_code == 200  # the fifth before 2026–27
    for wrong in (2020, 2027, "soon"):
        assert client.get(PATH, {"year": wrong}).status_code == 404


def test_pages_validators_and_licence(client, settings, world):
    CompactFactory.create_batch(4)
    settings.PORTAL_API_PAGE_SIZE = 2
    first = client.get(PATH)
    assert first.status_code == 200
    assert first["Link"].endswith('rel="license"')
    assert first["Last-Modified"]
    assert first.json()["count"] == 5
    assert first.json()["next"].endswith("/api/v1/indicators/?page=2")
    assert len(client.get(PATH, {"page": 3}).json()["results"]) == 1
    assert client.get(PATH, headers={"if-none-match": first["ETag"]}).status_code == 304
    _notices(world.compact, met=1, short=0)  # the data changes: a new answer
    changed = client.get(PATH, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_fixed_number_of_queries_whatever_the_number_of_compacts(client, world, django_assert_max_num_queries):
    build_edition(compact=CompactFactory())
    with django_assert_max_num_queries(16) as small:
        assert client.get(PATH).json()["count"] == 2
    for _ in range(12):
        _notices(build_edition(compact=CompactFactory()).compact, met=1, short=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(PATH).json()["count"] == 14
