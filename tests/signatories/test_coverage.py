"""The coverage summary: how many of each kind signed the current edition, and who has lapsed."""

import datetime
import re

import pytest
from django.urls import reverse

from commitments.models import Edition
from signatories import register_selectors
from signatories.models import Organisation, OrganisationType, Signature
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, signed_signature
from tests.signatories.test_register import make_signatories

pytestmark = pytest.mark.django_db

S = Signature.Status


@pytest.fixture
def editions(compact):
    first = PublishedEditionFactory(
        compact=compact, name="First edition", status=Edition.Status.SUPERSEDED, published_on=datetime.date(2025, 4, 1)
    )
    current = PublishedEditionFactory(
        compact=compact, name="Second edition", published_on=datetime.date(2026, 4, 1), based_on=first
    )
    return first, current


def coverage_url(compact) -> str:
    return reverse("signatories:coverage", kwargs={"slug": compact.slug})


def cell(page: str, cell_id: str) -> str:
    match = re.search(rf'id="{cell_id}">(?:<strong>)?(\d+)<', page)
    assert match, cell_id
    return match.group(1)


@pytest.fixture
def world(editions):
    first, current = editions
    for n in range(3):
        signed_signature(organisation=PublicBodyFactory(name=f"Council {n}"), edition=current)
    signed_signature(
        organisation=PublicBodyFactory(name="NHS One", organisation_type=OrganisationType.NHS), edition=current
    )
    signed_signature(
        organisation=PublicBodyFactory(name="Police One", organisation_type=OrganisationType.POLICE), edition=current
    )
    for n in range(4):
        signed_signature(
            organisation=OrganisationFactory(name=f"Charity {n}", organisation_type=OrganisationType.CHARITY),
            edition=current,
        )
    signed_signature(organisation=OrganisationFactory(name="Group One"), edition=current)
    # Not counted: waiting, not approved, withdrawn after signing, asked to re-affirm.
    SignatureFactory(organisation=PublicBodyFactory(name="Council waiting"), edition=current, status=S.PENDING)
    SignatureFactory(organisation=OrganisationFactory(name="Group refused"), edition=current, status=S.REJECTED)
    signed_signature(organisation=OrganisationFactory(name="Group gone"), edition=current, status=S.WITHDRAWN)

    # Signed the first edition: one re-affirmed (counted above), three have not.
    signed_signature(organisation=Organisation.objects.get(name="Charity 0"), edition=first)
    reaffirm = PublicBodyFactory(name="Fire Service", organisation_type=OrganisationType.FIRE)
    signed_signature(organisation=reaffirm, edition=first, signed_on=datetime.date(2025, 6, 1))
    SignatureFactory(organisation=reaffirm, edition=current, status=S.REAFFIRMATION_REQUESTED)
    declined = OrganisationFactory(name="Aspen Youth Club")
    signed_signature(organisation=declined, edition=first, signed_on=datetime.date(2025, 7, 2))
    SignatureFactory(organisation=declined, edition=current, status=S.WITHDRAWN)
    silent = OrganisationFactory(name="Birch Befriending", organisation_type=OrganisationType.CHARITY)
    signed_signature(organisation=silent, edition=first, signed_on=datetime.date(2025, 8, 3))
    # Withdrew from the first edition itself: it did not "sign the previous edition" in the end.
    signed_signature(organisation=OrganisationFactory(name="Cherry Left Early"), edition=first, status=S.WITHDRAWN)
    # Another Compact's signatures count for nothing here.
    signed_signature(organisation=PublicBodyFactory(), edition=PublishedEditionFactory(compact=CompactFactory()))
    return first, current


def test_counts_by_type_are_exact(client, compact, world):
    response = client.get(coverage_url(compact))
    assert response.status_code == 200
    page = response.content.decode()
    expected = {
        "council": 3,
        "nhs": 1,
        "police": 1,
        "fire": 0,
        "probation": 0,
        "other_public": 0,
        "public-total": 5,
        "cvs": 0,
        "charity": 4,
        "community_group": 1,
        "social_enterprise": 0,
        "other_vcs": 0,
        "vcs-total": 5,
    }
    assert {key: int(cell(page, f"coverage-{key}")) for key in expected} == expected
    assert "Second edition" in page


def test_lists_who_signed_the_previous_edition_but_not_this_one(client, compact, world):
    page = client.get(coverage_url(compact)).content.decode()
    table = page.split('id="coverage-lapsed"')[1].split("</table>")[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", "<tr" + row).split()) for row in table.split("<tr")[2:]]
    assert rows == [
        "Aspen Youth Club Community group 2 July 2025 Withdrawn",
        "Birch Befriending Charity 3 August 2025 Not asked to sign this edition",
        "Fire Service Fire and rescue service 1 June 2025 Asked to re-affirm",
    ]
    assert "3 organisations signed First edition and have not yet signed the current edition." in page


def test_the_selector_gives_the_same_numbers(compact, world):
    _first, current = world
    result = register_selectors.coverage(compact=compact, current=current)
    assert (result.public_total, result.vcs_total) == (5, 5)
    assert [item.organisation for item in result.lapsed] == ["Aspen Youth Club", "Birch Befriending", "Fire Service"]
    assert [item.current_status for item in result.lapsed] == [S.WITHDRAWN, "", S.REAFFIRMATION_REQUESTED]


def test_a_first_edition_has_nobody_lapsed(client, compact):
    PublishedEditionFactory(compact=compact, name="Only edition")
    page = client.get(coverage_url(compact)).content.decode()
    assert "This is the first edition of the Compact." in page
    assert cell(page, "coverage-public-total") == "0"


def test_a_compact_with_no_published_edition(client, compact):
    PublishedEditionFactory(compact=compact, status=Edition.Status.DRAFT, published_on=None)
    page = client.get(coverage_url(compact)).content.decode()
    assert "No edition of this Compact has been published yet" in page


@pytest.mark.parametrize("count", [3, 300])
def test_the_summary_costs_the_same_queries_whatever_the_numbers(
    client, compact, editions, count, django_assert_max_num_queries
):
    first, current = editions
    make_signatories(current, count, prefix="Now")
    make_signatories(first, count, prefix="Before")
    with django_assert_max_num_queries(5):  # compact, current, previous edition, counts, lapsed list
        response = client.get(coverage_url(compact))
    assert cell(response.content.decode(), "coverage-vcs-total") == str(count)
    assert response.content.decode().count("Not asked to sign this edition") == count
