import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Edition, Undertaking
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db


def url(name, compact, **kwargs):
    return reverse(f"commitments:{name}", kwargs={"slug": compact.slug, **kwargs})


@pytest.fixture
def draft(edition, coordinator):
    return services.edition_start_from_current(compact=edition.compact, name="Draft 2027", by=coordinator)


def manage_urls(compact, draft):
    undertaking = draft.undertakings.first()
    return [
        url("manage", compact),
        url("edition_new", compact),
        url("edition_edit", compact, pk=draft.pk),
        url("edition_settings", compact, pk=draft.pk),
        url("edition_publish", compact, pk=draft.pk),
        url("edition_history", compact, pk=draft.pk),
        url("part_create", compact, pk=draft.pk, part="undertakings"),
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=undertaking.pk),
        url("part_delete", compact, pk=draft.pk, part="undertakings", part_pk=undertaking.pk),
    ]


def test_coordinator_pages_open_for_the_coordinator(client, compact, coordinator, draft):
    client.force_login(coordinator)
    for page in manage_urls(compact, draft):
        assert client.get(page).status_code == 200, page


def test_coordinator_pages_are_refused_to_everyone_else(client, compact, draft, stranger, officer, vcs_member):
    for page in manage_urls(compact, draft):
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), page
    for user in (stranger, officer, vcs_member):
        client.force_login(user)
        for page in manage_urls(compact, draft):
            assert client.get(page).status_code == 403, (user, page)
        for page in manage_urls(compact, draft):
            if page.endswith(("/manage/", "/history/")) or page == url("edition_edit", compact, pk=draft.pk):
                continue  # read-only pages answer POST with 405
            assert client.post(page, {"name": "x"}).status_code == 403, (user, page)
    assert Edition.objects.filter(compact=compact).count() == 2


def test_coordinator_of_another_compact_is_refused(client, compact, draft):
    other = build_edition()
    other_coordinator = other.compact.coordinators.create(username="elsewhere", email="elsewhere@example.org")
    client.force_login(other_coordinator)
    assert client.get(url("edition_edit", compact, pk=draft.pk)).status_code == 403


def test_start_new_edition_as_a_copy(client, compact, coordinator, edition):
    client.force_login(coordinator)
    response = client.post(url("edition_new", compact), {"name": "Refresh 2027", "start_from": "current"})
    draft = Edition.objects.get(name="Refresh 2027")
    assert response.status_code == 302 and response.url == url("edition_edit", compact, pk=draft.pk)
    assert draft.undertakings.count() == edition.undertakings.count()


def test_new_edition_form_says_what_is_missing(client, compact, coordinator):
    client.force_login(coordinator)
    response = client.post(url("edition_new", compact), {"name": "", "start_from": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a name for the new edition" in html
    assert "Error:" in html  # in the page title


def test_add_change_and_delete_an_undertaking(client, compact, coordinator, draft):
    client.force_login(coordinator)
    outcome = draft.outcomes.get(number=2)
    response = client.post(
        url("part_create", compact, pk=draft.pk, part="undertakings"),
        {
            "outcome": outcome.pk,
            "number": "2.9",
            "sector": "vcs",
            "text": "Share what we learn.",
            "themes": ["equality"],
        },
    )
    assert response.status_code == 302 and response.url.endswith("#u-2-9")
    added = draft.undertakings.get(number="2.9")
    assert added.themes == ["equality"] and added.position == 9

    response = client.post(
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=added.pk),
        {"outcome": outcome.pk, "number": "2.9", "sector": "public", "text": "Share what we learn, twice a year."},
    )
    added.refresh_from_db()
    assert added.sector == "public" and added.text == "Share what we learn, twice a year."

    client.post(url("part_delete", compact, pk=draft.pk, part="undertakings", part_pk=added.pk))
    assert not draft.undertakings.filter(number="2.9").exists()


def test_a_coordinator_adds_and_changes_a_joint_undertaking(client, compact, coordinator, draft):
    client.force_login(coordinator)
    form = client.get(url("part_create", compact, pk=draft.pk, part="undertakings")).content.decode()
    assert 'value="joint"' in form and "Both sectors" in form
    outcome = draft.outcomes.get(number=1)
    response = client.post(
        url("part_create", compact, pk=draft.pk, part="undertakings"),
        {"outcome": outcome.pk, "number": "1.5", "sector": "joint", "text": "Agree one timetable for grant rounds."},
    )
    assert response.status_code == 302 and response.url.endswith("#u-1-5")
    joint = draft.undertakings.get(number="1.5")
    assert joint.sector == "joint" and joint.position == 5

    page = client.get(url("edition_edit", compact, pk=draft.pk)).content.decode()
    assert "1 joint undertaking (both sectors)" in page
    caption, table = page.split("Joint undertakings (both sectors)</caption>")
    assert "Agree one timetable for grant rounds." in table.split("</table>")[0]

    client.post(
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=joint.pk),
        {"outcome": outcome.pk, "number": "1.5", "sector": "vcs", "text": "Agree one timetable for grant rounds."},
    )
    joint.refresh_from_db()
    assert joint.sector == "vcs"
    publish = client.get(url("edition_publish", compact, pk=draft.pk)).content.decode()
    assert "Joint undertakings (both sectors)" in publish


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1.1", "Undertaking 1.1 already exists"),
        ("3.1", "The number must start with its outcome’s number, 1."),
        ("1.x", "Enter the number as the outcome number"),
        ("", "Enter the undertaking’s number"),
    ],
)
def test_undertaking_numbers_are_checked(client, compact, coordinator, draft, number, message):
    client.force_login(coordinator)
    outcome = draft.outcomes.get(number=1)
    before = draft.undertakings.count()
    response = client.post(
        url("part_create", compact, pk=draft.pk, part="undertakings"),
        {"outcome": outcome.pk, "number": number, "sector": "vcs", "text": "Something."},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.undertakings.count() == before


def test_outcome_numbers_are_unique_in_an_edition(client, compact, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(url("part_create", compact, pk=draft.pk, part="outcomes"), {"number": 1, "title": "Again"})
    assert "Outcome 1 already exists" in response.content.decode()


def test_another_editions_part_cannot_be_changed_through_this_draft(client, compact, coordinator, draft, edition):
    client.force_login(coordinator)
    published_undertaking = edition.undertakings.first()
    response = client.post(
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=published_undertaking.pk),
        {"outcome": draft.outcomes.first().pk, "number": "1.1", "sector": "public", "text": "Hijack"},
    )
    assert response.status_code == 404
    assert Undertaking.objects.get(pk=published_undertaking.pk).text != "Hijack"


def test_published_edition_cannot_be_edited(client, compact, coordinator, edition):
    client.force_login(coordinator)
    response = client.post(
        url("part_create", compact, pk=edition.pk, part="principles"), {"title": "Late addition", "position": 3}
    )
    assert response.status_code == 302
    assert not edition.principles.filter(title="Late addition").exists()


def test_publish_from_the_page(client, compact, coordinator, draft, edition):
    client.force_login(coordinator)
    page = client.get(url("edition_publish", compact, pk=draft.pk)).content.decode()
    assert "will be marked as replaced" in page
    response = client.post(url("edition_publish", compact, pk=draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    edition.refresh_from_db()
    assert draft.status == "published" and edition.status == "superseded"


def test_publish_page_explains_why_an_empty_draft_cannot_be_published(client, compact, coordinator):
    client.force_login(coordinator)
    empty = services.edition_create_draft(compact=compact, name="Empty", by=coordinator)
    response = client.post(url("edition_publish", compact, pk=empty.pk))
    assert response.status_code == 200
    assert "Add at least one outcome and one undertaking before publishing." in response.content.decode()


def test_unknown_part_is_404(client, compact, coordinator, draft):
    client.force_login(coordinator)
    assert client.get(url("part_create", compact, pk=draft.pk, part="secrets")).status_code == 404


def test_edition_settings_change_parameters(client, compact, coordinator, draft):
    client.force_login(coordinator)
    data = {
        "name": "Draft 2027",
        "introduction": "",
        "making_it_work": "",
        "dispute_resolution": "",
        "consultation_min_weeks": 8,
        "feedback_due_weeks": 12,
        "funding_notice_min_months": 3,
        "dispute_informal_days": 10,
        "dispute_formal_days": 20,
        "dispute_mediation_days": 40,
    }
    client.post(url("edition_settings", compact, pk=draft.pk), data)
    draft.refresh_from_db()
    assert draft.consultation_min_weeks == 8
    data["consultation_min_weeks"] = 0
    response = client.post(url("edition_settings", compact, pk=draft.pk), data)
    assert "There is a problem" in response.content.decode()
