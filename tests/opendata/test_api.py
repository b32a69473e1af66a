"""Every endpoint of the open data API, its answer validated against the generated schema, and
nothing confidential in any answer."""

import datetime
import json

import pytest
from django.urls import reverse

from commitments.models import Edition
from tests.opendata.conftest import SECRETS

pytestmark = pytest.mark.django_db


def all_answers(api, world) -> dict[str, dict]:
    slug = world.compact.slug
    key = world.edition.undertakings.get(number="1.1").key
    paths = [
        "/api/v1/compacts/",
        f"/api/v1/compacts/{slug}/",
        f"/api/v1/compacts/{slug}/editions/",
        f"/api/v1/compacts/{slug}/editions/{world.edition.pk}/",
        f"/api/v1/compacts/{slug}/undertakings/",
        f"/api/v1/compacts/{slug}/undertakings/{key}/",
        f"/api/v1/compacts/{slug}/signatories/",
        f"/api/v1/compacts/{slug}/consultations/",
        "/api/v1/consultations/",
        f"/api/v1/compacts/{slug}/concern-figures/",
        f"/api/v1/compacts/{slug}/funding-notices/",
        f"/api/v1/compacts/{slug}/indicators/",
        "/api/v1/indicators/",
    ]
    return {path: api(path) for path in paths}


def test_every_endpoint_answers_as_its_schema_says(api, world, openapi):
    answers = all_answers(api, world)
    # Every path of the schema was asked.
    assert len(answers) == len(openapi["paths"])


def test_schema_states_the_licence_and_is_served(client):
    response = client.get(reverse("opendata:schema"))
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["license"]["name"] == "Open Government Licence v3.0"
    assert "/api/v1/compacts/{slug}/undertakings/{key}/" in schema["paths"]


def test_nothing_confidential_in_any_answer(api, world):
    answers = all_answers(api, world)
    text = json.dumps(answers, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text
    # The draft edition is nowhere: not by its name, nor its id.
    assert world.draft.name not in text
    slug = world.compact.slug
    assert [e["id"] for e in answers[f"/api/v1/compacts/{slug}/editions/"]["results"]] == [world.edition.pk]
    undertakings = answers[f"/api/v1/compacts/{slug}/undertakings/"]["results"]
    assert {u["edition_id"] for u in undertakings} == {world.edition.pk}


def test_a_draft_edition_and_a_draft_only_undertaking_are_not_found(client, world):
    slug = world.compact.slug
    assert client.get(f"/api/v1/compacts/{slug}/editions/{world.draft.pk}/").status_code == 404
    draft_only = world.draft.undertakings.get(number="1.9")
    assert client.get(f"/api/v1/compacts/{slug}/undertakings/{draft_only.key}/").status_code == 404


def test_edition_has_its_parts_in_english_and_welsh(api, world):
    undertaking = world.edition.undertakings.get(number="2.3")
    undertaking.text_cy = "Addewid yn Gymraeg."
    undertaking.save()
    data = api(f"/api/v1/compacts/{world.compact.slug}/editions/{world.edition.pk}/")
    assert [p["title"] for p in data["principles"]] == ["Respect", "Honesty"]
    outcome = data["outcomes"][1]
    assert outcome["number"] == 2
    found = next(u for u in outcome["undertakings"] if u["number"] == "2.3")
    assert found["text_cy"] == "Addewid yn Gymraeg."
    assert found["key"] == str(undertaking.key)
    assert found["sector"] == "vcs"


def test_compacts_name_their_current_edition(api, world):
    data = api("/api/v1/compacts/")
    assert data["results"] == [
        {
            "slug": "riverside",
            "name": "Riverside Compact",
            "name_cy": "",
            "area": "Riverside",
            "nation": "england",
            "welsh_first": False,
            "current_edition_id": world.edition.pk,
        }
    ]


def test_signatories_are_the_public_register(api, world):
    data = api(f"/api/v1/compacts/{world.compact.slug}/signatories/")
    rows = {row["organisation"]: row for row in data["results"]}
    assert set(rows) == {"Riverside Borough Council", "Riverside Food Bank"}
    assert rows["Riverside Borough Council"]["signatory_name"] == "Jo Leader"
    assert rows["Riverside Borough Council"]["status"] == "current"


def test_consultations_carry_their_computed_compliance(api, world):
    data = api("/api/v1/consultations/")
    by_title = {row["title"]: row for row in data["results"]}
    library = by_title["Library hours"]  # 12 weeks, early notice; open on 1 February 2027
    assert library["status"] == "open"
    assert library["compliance"]["length"] == "met"
    assert library["compliance"]["compliant"] is None  # feedback still to come
    buses = by_title["Bus routes"]  # 30 days, no early notice, no feedback
    assert buses["compliance"]["length"] == "not_met"
    assert buses["compliance"]["early_notice_ok"] is False
    assert buses["compliance"]["compliant"] is False
    assert "contact_email" not in buses


def test_concern_figures_suppress_small_counts(api, world):
    data = api(f"/api/v1/compacts/{world.compact.slug}/concern-figures/")
    assert data["total"] == {"count": 3, "suppressed": ""}
    stages = {row["value"]: row for row in data["by_stage"]}
    assert stages["informal"]["count"] == 3
    assert data["by_undertaking"][0]["number"] == "1.1"


def test_concern_figures_under_three_are_withheld(api, compact):
    build_and_two_cases = compact  # no cases: a true 0 is published
    data = api(f"/api/v1/compacts/{build_and_two_cases.slug}/concern-figures/")
    assert data["total"] == {"count": 0, "suppressed": ""}


def test_funding_notices_only_as_yearly_aggregates(api, world):
    data = api(f"/api/v1/compacts/{world.compact.slug}/funding-notices/")
    assert data == [
        {
            "financial_year": 2025,
            "label": "2025–26",
            "notices": None,
            "meeting_compact_share": None,
            "parts": dict.fromkeys(["notice_length", "impact", "discussed", "response", "timetable"]),
        },
        {
            "financial_year": 2026,
            "label": "2026–27",
            "notices": 4,
            "meeting_compact_share": 0.25,
            # Every notice assessed, discussed and with time to respond; none about performance.
            "parts": {"notice_length": 0.25, "impact": 1.0, "discussed": 1.0, "response": 1.0, "timetable": None},
        },
    ]


def test_undertaking_history_follows_the_key_across_editions(api, world, coordinator):
    from commitments import services

    undertaking = world.draft.undertakings.get(number="1.2")
    # The draft renumbers 1.2 as 1.7 and publishes.
    undertaking.number = "1.7"
    undertaking.save()
    world.draft.undertakings.filter(number="1.9").delete()
    services.edition_publish(edition=world.draft, by=coordinator)
    old = world.edition.undertakings.get(number="1.2")
    data = api(f"/api/v1/compacts/{world.compact.slug}/undertakings/{old.key}/")
    assert [(row["edition_status"], row["number"]) for row in data["editions"]] == [
        ("published", "1.7"),
        ("superseded", "1.2"),
    ]
    assert Edition.objects.get(pk=world.draft.pk).status == "published"


def test_indicators_for_a_chosen_year_in_both_languages(api, client, world):
    slug = world.compact.slug
    current = api(f"/api/v1/compacts/{slug}/indicators/")
    assert current["financial_year"] == 2026  # 1 February 2027 is in 2026–27
    assert current["label"] == "2026–27"
    assert current["years"][0] == 2026
    by_key = {row["key"]: row for row in current["indicators"]}
    # 2026–27: four notices, one with enough notice (as the funding aggregate says).
    assert by_key["funding_notice"]["numerator"] == 1
    assert by_key["funding_notice"]["denominator"] == 4
    assert by_key["funding_notice"]["value"] == 25
    assert by_key["funding_notice"]["definition"]
    earlier = api(f"/api/v1/compacts/{slug}/indicators/", year=2025)
    assert earlier["financial_year"] == 2025
    assert client.get(f"/api/v1/compacts/{slug}/indicators/", {"year": 1999}).status_code == 404
    assert client.get(f"/api/v1/compacts/{slug}/indicators/", {"year": "soon"}).status_code == 404


def test_flagged_notices_are_counted_per_year_and_withheld_below_three(api, client, world):
    """The guard against retaliation in the open data: only counts, a year with 1 or 2 flags withheld
    as the public figures page withholds them, and one that would give it away through the total too."""
    from disputes import services as dispute_services
    from signatories.models import Organisation
    from tests.funding.factories import FundingNoticeFactory

    complainant = Organisation.objects.get(name="Withheld Charity Name")  # three open concerns against the council
    url = f"/api/v1/compacts/{world.compact.slug}/concern-figures/"
    figures = reverse("disputes:figures", kwargs={"slug": world.compact.slug})
    assert api(url)["flagged"] == {"count": 0, "suppressed": ""}
    assert api(url)["flagged_by_year"] == []

    def flag(given):
        notice = FundingNoticeFactory(
            compact=world.compact,
            edition=world.edition,
            issuer=world.council,
            recipient=complainant,
            notice_given_on=given,
        )
        dispute_services.guard_check(
            compact=world.compact, body=world.council, organisation=complainant, on=given, funding_notice=notice
        )

    def years(data):
        rows = data["flagged_by_year"]
        return [(row["financial_year"], row["label"], row["count"], row["suppressed"]) for row in rows]

    flag(datetime.date(2026, 3, 2))  # 2025–26
    data = api(url)
    assert data["flagged"] == {"count": None, "suppressed": "below_minimum"}
    assert years(data) == [(2025, "2025–26", None, "below_minimum")]
    page = client.get(figures).content.decode()
    assert page.split('id="figure-flagged">', 1)[1].split("<", 1)[0] == "fewer than 3"
    for day in (4, 5, 6):
        flag(datetime.date(2026, 5, day))  # 2026–27
    data = api(url)
    # The total (4) is published, so the year of 3 is withheld too: 4 - 3 would give the 1 away.
    assert data["flagged"] == {"count": 4, "suppressed": ""}
    assert years(data) == [(2025, "2025–26", None, "below_minimum"), (2026, "2026–27", None, "derivable")]
    for day in (3, 4):
        flag(datetime.date(2026, 3, day))
    data = api(url)
    assert data["flagged"] == {"count": 6, "suppressed": ""}
    assert years(data) == [(2025, "2025–26", 3, ""), (2026, "2026–27", 3, "")]
    page = client.get(figures).content.decode()
    assert page.split('id="figure-flagged">', 1)[1].split("<", 1)[0] == "6"
    assert "Withheld Charity Name" not in json.dumps(data, ensure_ascii=False)
