"""The public register of signatories: who is listed, its filters, pages, CSV and query count."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from commitments.models import Edition, Sector
from signatories.models import Organisation, OrganisationType, Signature, SignatureEvent
from signatories.rules import normalise_name
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, signed_signature

pytestmark = pytest.mark.django_db

S = Signature.Status
FIRST_SIGNED = datetime.date(2025, 5, 6)
CURRENT_SIGNED = datetime.date(2026, 5, 7)


@pytest.fixture
def editions(compact):
    first = PublishedEditionFactory(
        compact=compact, name="First edition", status=Edition.Status.SUPERSEDED, published_on=datetime.date(2025, 4, 1)
    )
    current = PublishedEditionFactory(compact=compact, name="Second edition", published_on=datetime.date(2026, 4, 1))
    return first, current


@pytest.fixture
def world(compact, editions):
    """Organisations in every state the register must show, or must not."""
    first, current = editions
    council = PublicBodyFactory(name="Aldergate Borough Council")
    signed_signature(organisation=council, edition=first, signed_on=FIRST_SIGNED)
    signed_signature(organisation=council, edition=current, signed_on=CURRENT_SIGNED, signatory_name="Ann Leader")

    nhs = PublicBodyFactory(name="Birchfield NHS Trust", organisation_type=OrganisationType.NHS)
    signed_signature(organisation=nhs, edition=first, signed_on=FIRST_SIGNED)
    SignatureFactory(organisation=nhs, edition=current, status=S.REAFFIRMATION_REQUESTED)

    food_bank = OrganisationFactory(
        name="The Cedar Food Bank Ltd", organisation_type=OrganisationType.CHARITY, charity_number="1100001"
    )
    signed_signature(organisation=food_bank, edition=current, signed_on=CURRENT_SIGNED)

    youth_club = OrganisationFactory(name="Damson Youth Club")
    signed_signature(organisation=youth_club, edition=first, signed_on=FIRST_SIGNED)
    SignatureFactory(organisation=youth_club, edition=current, status=S.WITHDRAWN)  # did not re-affirm

    enterprise = OrganisationFactory(
        name="elm tree repairs", organisation_type=OrganisationType.SOCIAL_ENTERPRISE, company_number="01234567"
    )
    signed_signature(organisation=enterprise, edition=current, status=S.WITHDRAWN, signed_on=CURRENT_SIGNED)

    # Never public: an application waiting, one not approved, one withdrawn before approval.
    SignatureFactory(organisation=OrganisationFactory(name="Fir Pending Group"), edition=current, status=S.PENDING)
    SignatureFactory(organisation=OrganisationFactory(name="Gorse Rejected Trust"), edition=current, status=S.REJECTED)
    SignatureFactory(
        organisation=OrganisationFactory(name="Hazel Second Thoughts"), edition=current, status=S.WITHDRAWN
    )
    # Another Compact's signatory.
    other = PublishedEditionFactory(compact=CompactFactory())
    signed_signature(organisation=OrganisationFactory(name="Ivy Elsewhere"), edition=other)
    return {"first": first, "current": current}


def register_url(compact, **params) -> str:
    url = reverse("signatories:register", kwargs={"slug": compact.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def csv_url(compact, **params) -> str:
    url = reverse("signatories:register_csv", kwargs={"slug": compact.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def listed(response) -> list[str]:
    """The organisations in the register's table, in order."""
    # Each name links to the organisation's public page.
    return re.findall(
        r'<th scope="row" class="govuk-table__header">'
        r'<a class="govuk-link" href="/organisations/\d+/about/">([^<]+)</a></th>',
        response.content.decode(),
    )


def table_rows(response) -> list[str]:
    page = response.content.decode()
    body = page.split('id="register-table"')[1].split("</table>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", "<tr" + row).split()) for row in body.split("<tr")[2:]]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_register_lists_every_organisation_that_signed_once_with_its_standing(client, compact, world):
    response = client.get(register_url(compact))
    assert response.status_code == 200
    assert listed(response) == [
        "Aldergate Borough Council",
        "Birchfield NHS Trust",
        "Damson Youth Club",
        "elm tree repairs",
        "The Cedar Food Bank Ltd",
    ]
    rows = {row.split(" Public sector")[0].split(" Voluntary")[0]: row for row in table_rows(response)}
    assert rows["Aldergate Borough Council"] == (
        "Aldergate Borough Council Public sector Council Second edition signed 7 May 2026 Signed the current edition"
    )
    assert rows["Birchfield NHS Trust"] == (
        "Birchfield NHS Trust Public sector NHS body First edition signed 6 May 2025 "
        "Signed an earlier edition: asked to re-affirm"
    )
    assert rows["Damson Youth Club"].endswith("First edition signed 6 May 2025 Withdrawn")
    assert rows["elm tree repairs"].endswith("Social enterprise Second edition signed 7 May 2026 Withdrawn")
    assert rows["The Cedar Food Bank Ltd"].endswith(
        "Charity Second edition signed 7 May 2026 Signed the current edition"
    )
    page = response.content.decode()
    assert "5 organisations" in page
    for hidden in ("Fir Pending Group", "Gorse Rejected Trust", "Hazel Second Thoughts", "Ivy Elsewhere"):
        assert hidden not in page
    assert "govuk-error-summary" not in page
    assert "Import signatories from a spreadsheet" not in page  # not for the public
    assert "govuk-pagination" not in page


def test_the_register_is_sorted_by_name_whatever_the_case(client, compact, world):
    names = listed(client.get(register_url(compact)))
    assert names == sorted(names, key=str.lower)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "public"}, ["Aldergate Borough Council", "Birchfield NHS Trust"]),
        ({"sector": "vcs"}, ["Damson Youth Club", "elm tree repairs", "The Cedar Food Bank Ltd"]),
        ({"organisation_type": "charity"}, ["The Cedar Food Bank Ltd"]),
        ({"organisation_type": "nhs"}, ["Birchfield NHS Trust"]),
        ({"status": "current"}, ["Aldergate Borough Council", "The Cedar Food Bank Ltd"]),
        ({"status": "earlier"}, ["Birchfield NHS Trust"]),
        ({"status": "withdrawn"}, ["Damson Youth Club", "elm tree repairs"]),
        ({"q": "cedar"}, ["The Cedar Food Bank Ltd"]),
        ({"q": "Cedar+Food+Bank+Limited"}, ["The Cedar Food Bank Ltd"]),  # the normalised name
        ({"q": "1100001"}, ["The Cedar Food Bank Ltd"]),  # charity number
        ({"q": "0123+4567"}, ["elm tree repairs"]),  # company number, typed with a space
        ({"q": "nobody+at+all"}, []),
        ({"sector": "public", "status": "current"}, ["Aldergate Borough Council"]),
    ],
)
def test_each_filter(client, compact, world, params, expected):
    response = client.get(register_url(compact, **params))
    assert response.status_code == 200
    assert sorted(listed(response), key=str.lower) == expected
    page = response.content.decode()
    assert "Clear filters" in page
    if not expected:
        assert "No organisation matches these filters" in page


def test_filtering_by_edition_lists_who_signed_it_with_that_signature(client, compact, world):
    response = client.get(register_url(compact, edition=world["first"].pk))
    assert sorted(listed(response), key=str.lower) == [
        "Aldergate Borough Council",
        "Birchfield NHS Trust",
        "Damson Youth Club",
    ]
    rows = table_rows(response)
    assert all("First edition signed 6 May 2025" in row for row in rows)
    # Their standing is still against the current edition.
    assert any(row.startswith("Aldergate") and row.endswith("Signed the current edition") for row in rows)

    response = client.get(register_url(compact, edition=world["current"].pk))
    assert sorted(listed(response), key=str.lower) == [
        "Aldergate Borough Council",
        "elm tree repairs",
        "The Cedar Food Bank Ltd",
    ]


def test_the_edition_filter_offers_published_and_superseded_editions_only(client, compact, world):
    draft = PublishedEditionFactory(compact=compact, name="Draft in progress", status=Edition.Status.DRAFT)
    page = client.get(register_url(compact)).content.decode()
    select = page.split('name="edition"')[1].split("</select>")[0]
    assert "Second edition" in select
    assert "First edition" in select
    assert "Draft in progress" not in select
    assert f'value="{draft.pk}"' not in select


def test_an_unknown_choice_is_reported_and_ignored(client, compact, world):
    response = client.get(register_url(compact, sector="martian", edition="999999"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Select a valid choice" in page
    assert len(listed(response)) == 5


def test_the_filters_are_a_get_form_with_labels(client, compact, world):
    page = client.get(register_url(compact)).content.decode()
    form = page.split('class="app-register-filters"')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form
    for label in ("Name, charity number or company number", "Sector", "Type of organisation", "Status"):
        assert label in page
    assert "Edition signed" in page
    assert 'name="csrfmiddlewaretoken"' not in page.split("app-register-filters")[1].split("</form>")[0]


def test_coordinator_sees_links_to_import_and_to_pending_applications(client, compact, world, coordinator, stranger):
    client.force_login(stranger)
    assert "Import signatories from a spreadsheet" not in client.get(register_url(compact)).content.decode()
    client.force_login(coordinator)
    page = client.get(register_url(compact)).content.decode()
    assert reverse("signatories:import_upload", kwargs={"slug": compact.slug}) in page
    assert "Import signatories from a spreadsheet" in page
    assert reverse("signatories:pending_list", kwargs={"slug": compact.slug}) in page


def test_a_compact_without_signatories_or_editions(client):
    compact = CompactFactory(slug="empty")
    page = client.get(register_url(compact)).content.decode()
    assert "No organisation has signed this Compact yet." in page
    assert client.get(register_url(CompactFactory.build(slug="no-such-compact"))).status_code == 404


# --- Pages and the CSV ----------------------------------------------------------------------------


def make_signatories(edition, count: int, *, sector=Sector.VCS, prefix="Organisation") -> list[Organisation]:
    """Many signed organisations quickly (bulk_create skips save(), so normalised_name is set here)."""
    organisation_type = OrganisationType.CHARITY if sector == Sector.VCS else OrganisationType.COUNCIL
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix} {n:04d}",
            normalised_name=normalise_name(f"{prefix} {n:04d}"),
            sector=sector,
            organisation_type=organisation_type,
            charity_number=f"{2000000 + n}" if sector == Sector.VCS else "",
        )
        for n in range(count)
    )
    Signature.objects.bulk_create(
        Signature(
            organisation=organisation,
            edition=edition,
            status=S.SIGNED,
            signed_on=CURRENT_SIGNED,
            signatory_name="Pat Chair",
            signatory_role="Chair",
        )
        for organisation in organisations
    )
    return organisations


def test_pages_of_fifty_keep_the_filters(client, compact, editions):
    _first, current = editions
    make_signatories(current, 120)
    make_signatories(current, 3, sector=Sector.PUBLIC, prefix="Council")

    response = client.get(register_url(compact, sector="vcs"))
    names = listed(response)
    assert len(names) == 50
    assert names[0] == "Organisation 0000"
    page = response.content.decode()
    assert "120 organisations match these filters" in page
    assert 'aria-label="Page 1" aria-current="page"' in page
    assert 'href="?sector=vcs&amp;page=2"' in page
    assert 'rel="next"' in page
    assert 'rel="prev"' not in page
    assert 'aria-label="Pages of results"' in page

    response = client.get(register_url(compact, sector="vcs", page=3))
    names = listed(response)
    assert names == [f"Organisation {n:04d}" for n in range(100, 120)]
    page = response.content.decode()
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page
    assert "page 3 of 3" in page
    # The CSV link keeps the filters but not the page.
    assert f'href="{csv_url(compact)}?sector=vcs"' in page

    # A page past the end shows the last one.
    assert listed(client.get(register_url(compact, sector="vcs", page=99)))[0] == "Organisation 0100"


def test_the_csv_has_every_filtered_row_not_just_a_page(client, compact, world):
    make_signatories(world["current"], 60)
    response = client.get(csv_url(compact, sector="public"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="riverside-signatories.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "organisation",
        "sector",
        "type",
        "charity number",
        "company number",
        "edition signed",
        "date signed",
        "signatory name",
        "signatory role",
        "status",
    ]
    assert rows[1:] == [
        [
            "Aldergate Borough Council",
            "Public sector",
            "Council",
            "",
            "",
            "Second edition",
            "2026-05-07",
            "Ann Leader",
            "Chair of trustees",
            "Signed the current edition",
        ],
        [
            "Birchfield NHS Trust",
            "Public sector",
            "NHS body",
            "",
            "",
            "First edition",
            "2025-05-06",
            "Pat Chair",
            "Chair of trustees",
            "Signed an earlier edition: asked to re-affirm",
        ],
    ]
    everything = read_csv(client.get(csv_url(compact)))
    assert len(everything) == 1 + 5 + 60
    cedar = next(row for row in everything if row[0] == "The Cedar Food Bank Ltd")
    assert cedar[3] == "1100001"
    elm = next(row for row in everything if row[0] == "elm tree repairs")
    assert elm[4] == "01234567"
    assert elm[9] == "Withdrawn"


def test_the_csv_cannot_smuggle_a_formula_into_a_spreadsheet(client, compact, editions):
    _first, current = editions
    for name in ('=HYPERLINK("http://evil.example","Click")', "+44 Group", "-minus", "@SUM(A1)", "Plain = fine"):
        signed_signature(
            organisation=OrganisationFactory(name=name),
            edition=current,
            signatory_name="=1+2",
            signatory_role="@role",
        )
    rows = read_csv(client.get(csv_url(compact)))
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(
        ["'+44 Group", "'-minus", '\'=HYPERLINK("http://evil.example","Click")', "'@SUM(A1)", "Plain = fine"]
    )
    assert {row[7] for row in rows[1:]} == {"'=1+2"}
    assert {row[8] for row in rows[1:]} == {"'@role"}


def test_the_csv_round_trips_through_the_importer(client, compact, world):
    """The download's headings are ones the importer reads (its extra columns are ignored)."""
    from signatories import csv_import

    text = client.get(csv_url(compact)).content.decode("utf-8")
    parsed = csv_import.parse_signatory_csv(text[1:], today=datetime.date(2026, 11, 1))
    assert [row.name for row in parsed.rows][:2] == ["Aldergate Borough Council", "Birchfield NHS Trust"]
    assert sorted(parsed.ignored_columns) == ["edition signed", "status"]


def test_the_welsh_csv_round_trips_through_the_importer(client, compact, world, settings):
    """A download read in Welsh has Welsh headings, sectors and types; the importer reads them too."""
    from django.utils import translation

    from signatories import csv_import

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    text = client.get(csv_url(compact), HTTP_ACCEPT_LANGUAGE="cy").content.decode("utf-8")
    with translation.override("cy"):
        welsh_heading = str(csv_import.DOWNLOAD_HEADINGS["name"])
    assert text[1:].startswith(welsh_heading + ",")
    with translation.override("en-gb"):  # read by a person whose pages are in English
        parsed = csv_import.parse_signatory_csv(text[1:], today=datetime.date(2026, 11, 1))
    assert [row.name for row in parsed.rows][:2] == ["Aldergate Borough Council", "Birchfield NHS Trust"]
    assert {row.sector for row in parsed.rows} == {"public", "vcs"}


# --- Query count ----------------------------------------------------------------------------------


def many(editions, count: int) -> None:
    """``count`` organisations in every state, spread over both editions."""
    first, current = editions
    third = count // 3
    make_signatories(current, third, prefix="Current")
    earlier = make_signatories(first, third, prefix="Earlier", sector=Sector.PUBLIC)
    Signature.objects.bulk_create(
        Signature(organisation=o, edition=current, status=S.REAFFIRMATION_REQUESTED) for o in earlier
    )
    withdrawn = make_signatories(current, count - 2 * third, prefix="Withdrawn")
    Signature.objects.filter(organisation__in=withdrawn).update(status=S.WITHDRAWN)
    SignatureEvent.objects.bulk_create(
        SignatureEvent(signature=signature, old_status=S.PENDING, new_status=S.SIGNED)
        for signature in Signature.objects.filter(organisation__in=withdrawn)
    )


@pytest.mark.parametrize("count", [3, 300])
def test_the_page_costs_the_same_queries_for_3_or_300_organisations(
    client, compact, editions, count, django_assert_max_num_queries
):
    many(editions, count)
    with django_assert_max_num_queries(5):  # compact, current edition, count, page, editions
        response = client.get(register_url(compact))
    assert response.status_code == 200
    assert f"{count} organisations" in response.content.decode()
    with django_assert_max_num_queries(5):
        response = client.get(register_url(compact, q="o", status="withdrawn", edition=editions[1].pk, page=2))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 300])
def test_the_page_costs_the_same_queries_for_a_coordinator(
    client, compact, editions, coordinator, count, django_assert_max_num_queries
):
    many(editions, count)
    client.force_login(coordinator)
    # As above, plus the session, the user and the coordinator check.
    with django_assert_max_num_queries(8):
        assert client.get(register_url(compact)).status_code == 200


@pytest.mark.parametrize("count", [3, 300])
def test_the_csv_costs_the_same_queries_for_3_or_300_organisations(
    client, compact, editions, count, django_assert_max_num_queries
):
    many(editions, count)
    with django_assert_max_num_queries(3):  # compact, current edition, rows
        response = client.get(csv_url(compact))
    assert len(read_csv(response)) == count + 1
    statuses = {row[9] for row in read_csv(response)[1:]}
    assert statuses == {"Signed the current edition", "Signed an earlier edition: asked to re-affirm", "Withdrawn"}


def test_signing_a_later_edition_moves_the_row_to_it(client, compact, editions):
    first, current = editions
    organisation = OrganisationFactory(name="Juniper Trust")
    signed_signature(organisation=organisation, edition=first, signed_on=FIRST_SIGNED)
    reaffirm = SignatureFactory(organisation=organisation, edition=current, status=S.REAFFIRMATION_REQUESTED)
    assert table_rows(client.get(register_url(compact)))[0].endswith(
        "First edition signed 6 May 2025 Signed an earlier edition: asked to re-affirm"
    )
    reaffirm.status = S.SIGNED
    reaffirm.signed_on = CURRENT_SIGNED
    reaffirm.save()
    assert table_rows(client.get(register_url(compact)))[0].endswith(
        "Second edition signed 7 May 2026 Signed the current edition"
    )


def test_a_user_who_is_not_signed_in_reads_the_same_register(client, compact, world):
    signed_in = UserFactory()
    anonymous = listed(client.get(register_url(compact)))
    client.force_login(signed_in)
    assert listed(client.get(register_url(compact))) == anonymous
