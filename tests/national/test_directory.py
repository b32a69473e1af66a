"""The directory of Compacts: status from the data, filters, sorting, pages, CSV, constant queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Compact, Edition
from disputes.models import Case
from national import services
from signatories.models import Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, EditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory

pytestmark = pytest.mark.django_db

URL = reverse("national:directory")
CSV_URL = reverse("national:directory_csv")


@pytest.fixture
def national_user():
    root = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(email="national@example.org")
    services.national_role_grant(email=user.email, by=root)
    return user


@pytest.fixture
def national_client(client, national_user):
    client.force_login(national_user)
    return client


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _published(compact, *, days_ago: int, created_days_ago: int | None = None) -> Edition:
    edition = EditionFactory(compact=compact, status=Edition.Status.PUBLISHED, published_on=_days_ago(days_ago))
    created = timezone.now() - datetime.timedelta(days=created_days_ago if created_days_ago is not None else days_ago)
    Edition.objects.filter(pk=edition.pk).update(created_at=created)
    return edition


def _world():
    """Four Compacts, one of each status, and a fifth active one in Wales."""
    active = CompactFactory(name="Aber Compact", area="Aber", nation="wales", ons_code="W06000001",
                            contact_email="compact@aber.example", contact_phone="01234 567890")  # fmt: skip
    current = _published(active, days_ago=200)
    SignatureFactory(organisation=PublicBodyFactory(), edition=current, status=Signature.Status.SIGNED)
    SignatureFactory(organisation=OrganisationFactory(), edition=current, status=Signature.Status.SIGNED)
    SignatureFactory(organisation=OrganisationFactory(), edition=current, status=Signature.Status.SIGNED)
    SignatureFactory(organisation=OrganisationFactory(), edition=current, status=Signature.Status.PENDING)

    due = CompactFactory(name="Barton Compact", area="Barton", review_period_years=2, ons_code="E06000002")
    _published(due, days_ago=800, created_days_ago=900)
    # Activity this year: a concern (confidential: it counts as activity, it is never shown).
    due_edition = due.editions.get()
    case = Case.objects.create(
        compact=due, edition=due_edition, complainant=OrganisationFactory(), respondent=PublicBodyFactory(),
        summary="s", what_happened="w", happened_on=_days_ago(20), outcome_sought="o", stage="informal",
        stage_started_on=_days_ago(20),
    )  # fmt: skip
    assert case.pk

    lapsed = CompactFactory(name="Cole Compact", area="Cole", nation="wales")
    _published(lapsed, days_ago=400)

    CompactFactory(name="Dale Compact", area="Dale")  # no edition
    return active, due, lapsed


def test_anonymous_sent_to_sign_in_and_others_refused(client, stranger, coordinator, compact):
    assert client.get(URL).status_code == 302
    for user in (stranger, coordinator):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(CSV_URL).status_code == 403


def test_each_compact_with_its_status_contact_and_counts(national_client):
    _world()
    response = national_client.get(URL)
    assert response.status_code == 200
    rows = {row.compact.name: row for row in response.context["rows"]}
    assert {name: row.status for name, row in rows.items()} == {
        "Aber Compact": "active",
        "Barton Compact": "refresh_due",
        "Cole Compact": "lapsed",
        "Dale Compact": "no_edition",
    }
    aber = rows["Aber Compact"]
    assert (aber.public_signatories, aber.vcs_signatories) == (1, 2)  # the pending one does not count
    page = response.text
    assert "compact@aber.example" in page and "01234 567890" in page and "W06000001" in page
    assert "govuk-tag--orange" in page  # refresh due, through {% status_tag %}
    assert "Refresh due" in page and "Lapsed" in page and "No edition" in page


def test_filtered_by_nation_and_status(national_client):
    _world()
    names = lambda response: [row.compact.name for row in response.context["rows"]]  # noqa: E731
    assert names(national_client.get(URL, {"nation": "wales"})) == ["Aber Compact", "Cole Compact"]
    assert names(national_client.get(URL, {"nation": "wales", "status": "lapsed"})) == ["Cole Compact"]
    assert names(national_client.get(URL, {"status": "no_edition"})) == ["Dale Compact"]
    response = national_client.get(URL, {"status": "bogus"})
    assert names(response) == [] and response.context["form"].errors


def test_sorted_by_a_column_with_aria_sort_and_links_that_keep_the_filters(national_client):
    _world()
    response = national_client.get(URL, {"sort": "vcs", "order": "desc"})
    assert [row.compact.name for row in response.context["rows"]][0] == "Aber Compact"
    page = response.text
    assert page.count('aria-sort="descending"') == 1 and page.count('aria-sort="none"') == 7
    response = national_client.get(URL, {"nation": "wales", "sort": "name", "order": "desc"})
    assert [row.compact.name for row in response.context["rows"]] == ["Cole Compact", "Aber Compact"]
    assert 'aria-sort="descending"' in response.text
    assert 'href="?nation=wales&amp;sort=name&amp;order=asc"' in response.text  # asked again: the other way
    # No ONS code sorts last whichever way round.
    response = national_client.get(URL, {"sort": "ons", "order": "desc"})
    assert [row.compact.name for row in response.context["rows"]][-2:] == ["Cole Compact", "Dale Compact"]


def test_paginated_keeping_filters_and_sort(national_client):
    for n in range(55):
        CompactFactory(name=f"Compact {n:02}", area=f"Area {n}")
    response = national_client.get(URL, {"status": "no_edition", "sort": "name", "order": "desc"})
    assert len(response.context["rows"]) == 50
    assert "?status=no_edition&amp;sort=name&amp;order=desc&amp;page=2" in response.text
    second = national_client.get(URL, {"status": "no_edition", "sort": "name", "order": "desc", "page": 2})
    assert [row.compact.name for row in second.context["rows"]] == [f"Compact {n:02}" for n in range(4, -1, -1)]


def test_csv_of_the_filtered_table(national_client):
    _world()
    Compact.objects.filter(name="Cole Compact").update(area="=HYPERLINK()")
    response = national_client.get(CSV_URL, {"nation": "wales", "sort": "name"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Compact", "Area", "Nation", "ONS code"]
    assert [row[0] for row in rows[1:]] == ["Aber Compact", "Cole Compact"]
    aber = dict(zip(rows[0], rows[1], strict=True))
    assert (
        aber["Status"] == "Active"
        and aber["Public bodies signed"] == "1"
        and aber["Voluntary organisations signed"] == "2"
    )
    assert aber["Contact email"] == "compact@aber.example"
    assert rows[2][1] == "'=HYPERLINK()"  # never a formula


def _many(count: int) -> None:
    for n in range(count):
        compact = CompactFactory(nation="wales" if n % 2 else "england")
        if n % 3:
            edition = _published(compact, days_ago=100 + n)
            SignatureFactory(organisation=OrganisationFactory(), edition=edition, status=Signature.Status.SIGNED)


@pytest.mark.parametrize("count", [3, 60])
def test_queries_do_not_grow_with_the_compacts(national_client, django_assert_max_num_queries, count):
    _many(count)
    with django_assert_max_num_queries(6):
        response = national_client.get(URL, {"sort": "public", "order": "desc"})
    assert response.context["page"].paginator.count == count
    with django_assert_max_num_queries(6):
        assert national_client.get(CSV_URL).status_code == 200


def test_superuser_sees_it_and_the_link_to_the_people(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200 and reverse("national:roles") in response.text
