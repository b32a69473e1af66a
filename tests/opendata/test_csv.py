"""The CSV downloads linked from the public pages: in the reader's language, safe in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_compact_page_links_its_undertakings_csv(client, world):
    page = client.get(reverse("commitments:compact_detail", kwargs={"slug": world.compact.slug})).content.decode()
    url = reverse("opendata:undertakings_csv", kwargs={"slug": world.compact.slug})
    assert f'href="{url}"' in page
    assert f'href="{reverse("opendata:docs")}"' in page


def test_undertakings_csv_has_the_current_edition_with_keys(client, world):
    rows = read_csv(client.get(reverse("opendata:undertakings_csv", kwargs={"slug": world.compact.slug})))
    assert rows[0][:3] == ["key", "number", "outcome"]
    by_number = {row[1]: row for row in rows[1:]}
    assert set(by_number) == set(world.edition.undertakings.values_list("number", flat=True))
    assert by_number["1.1"][0] == str(world.edition.undertakings.get(number="1.1").key)
    assert "DRAFT-ONLY PLEDGE to be kept." not in {row[4] for row in rows}


def test_undertakings_csv_is_formula_safe(client, world):
    world.edition.undertakings.filter(number="1.1").update(text='=HYPERLINK("http://evil.example")')
    rows = read_csv(client.get(reverse("opendata:undertakings_csv", kwargs={"slug": world.compact.slug})))
    assert {row[1]: row for row in rows[1:]}["1.1"][4] == '\'=HYPERLINK("http://evil.example")'


def test_undertakings_csv_headings_in_welsh_for_a_welsh_reader(client, world):
    client.cookies["django_language"] = "cy"
    rows = read_csv(client.get(reverse("opendata:undertakings_csv", kwargs={"slug": world.compact.slug})))
    assert rows[0][3] == "ar gyfer pwy y mae"  # "who it is for"


def test_consultations_list_links_its_csv_with_the_filters(client, world):
    page = client.get(reverse("consultations:list"), {"compact": world.compact.pk}).content.decode()
    assert reverse("opendata:consultations_csv") + f"?compact={world.compact.pk}" in page


def test_consultations_csv_has_compliance_and_follows_the_filters(client, world):
    ConsultationFactory(title="-1+1 budget", organisation=world.council)  # another Compact
    rows = read_csv(client.get(reverse("opendata:consultations_csv"), {"compact": world.compact.pk}))
    heading = rows[0]
    by_title = {row[0]: dict(zip(heading, row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"Library hours", "Bus routes"}
    assert by_title["Bus routes"]["meets the Compact"] == "no"
    assert by_title["Bus routes"]["length against the Compact"] == "not met"
    assert by_title["Library hours"]["meets the Compact"] == "not due yet"
    everything = read_csv(client.get(reverse("opendata:consultations_csv")))
    assert "'-1+1 budget" in {row[0] for row in everything}
    assert "consult-secret@example.gov.uk" not in str(everything)


def test_consultations_csv_costs_the_same_queries_for_more_rows(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as small:
        read_csv(client.get(reverse("opendata:consultations_csv")))
    for _ in range(10):
        ConsultationFactory(edition=world.edition, organisation=world.council)
    with django_assert_max_num_queries(len(small.captured_queries)):
        read_csv(client.get(reverse("opendata:consultations_csv")))


def test_open_data_page_lists_every_api_address_and_the_licence(client, openapi):
    page = client.get(reverse("opendata:docs")).content.decode()
    assert "Open Government Licence v3.0" in page
    assert 'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in page
    assert reverse("opendata:schema") in page
    for path in openapi["paths"]:
        if path != "/api/v1/schema/":
            assert f"<code>{path}" in page, path
