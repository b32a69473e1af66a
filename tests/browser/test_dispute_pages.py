"""The breach-concern pages in a browser: a member raises a concern (with an error on the way), and
every page each party and the coordinator can reach is checked by axe-core (WCAG 2.2 AA)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from disputes.models import Case
from tests.browser.conftest import assert_accessible
from tests.disputes.factories import TODAY, World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger, monkeypatch):
    monkeypatch.setattr("disputes.views.cases.today", lambda: TODAY)
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def visit(page, path, expected_status=200):
    response = page.goto(path)
    assert response.status == expected_status, f"{path} answered {response.status}"
    assert page.title(), f"{path} has no title"
    assert_accessible(page)


def test_a_member_raises_a_concern_and_fixes_a_mistake(page, sign_in, world):
    sign_in(world.vcs_member)
    visit(page, reverse("disputes:list"))
    page.get_by_role("link", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which organisation is the concern about?")
    assert_accessible(page)

    # First find the organisation: an empty search is an error, then a search that finds nothing.
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the name of the organisation the concern is about")
    assert page.title().startswith("Error:")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Name of the organisation")).to_be_focused()
    page.get_by_label("Name of the organisation").fill("Nowhere Society")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 organisations found")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name of the organisation").fill("riverside")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 organisation found")).to_be_visible()  # not their own
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Riverside Borough Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a concern")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Riverside Borough Council")
    assert_accessible(page)

    # "Change" goes back to the search, with the name searched for.
    page.get_by_role("link", name="Change the organisation the concern is about").click()
    expect(page.get_by_label("Name of the organisation")).to_have_value("Riverside Borough Council")
    page.get_by_role("main").get_by_role("link", name="Riverside Borough Council").click()

    # The council's undertakings come first, by outcome; the voluntary sector's are one click away.
    expect(page.get_by_role("group", name="Outcome 1: Outcome 1 title").first).to_be_visible()
    vcs_box = page.get_by_label("1.3 Voluntary and community sector promise 1.3.")
    expect(vcs_box).to_be_hidden()
    # By keyboard: the details opens with Enter, the box is ticked with Space.
    page.locator("summary", has_text="Undertakings for the voluntary and community sector").focus()
    page.keyboard.press("Enter")
    expect(vcs_box).to_be_visible()
    vcs_box.focus()
    page.keyboard.press("Space")
    expect(vcs_box).to_be_checked()
    page.get_by_label("The concern in a sentence").fill("The grant was cut without notice")
    page.get_by_label("What happened?").fill("A letter ended the grant over a weekend.")
    page.get_by_label("What would you like to happen?").fill("Three months' notice.")
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date it happened")
    assert_accessible(page)

    group = page.get_by_role("group", name="When did it happen?")
    group.get_by_label("Day").fill("15")
    group.get_by_label("Month").fill("5")
    group.get_by_label("Year").fill("2026")
    page.get_by_label("Keep our organisation's name from the other party").check()
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The grant was cut without notice")
    expect(page.locator("#name-withheld")).to_be_visible()
    assert_accessible(page)


def test_every_case_page_is_accessible_for_each_party(page, sign_in, world):
    case = world.open(withhold_name=True)
    detail = reverse("disputes:detail", kwargs={"pk": case.pk})
    move = reverse("disputes:move", kwargs={"pk": case.pk})
    add = reverse("disputes:add_entry", kwargs={"pk": case.pk})

    sign_in(world.vcs_member)
    visit(page, detail)
    visit(page, move + "?to=formal")
    visit(page, move + "?to=closed:resolved")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how the concern was settled")
    assert_accessible(page)
    visit(page, add)
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write something or attach a file")
    assert_accessible(page)
    page.get_by_label("Details").fill("We tried to call.")
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator("#timeline ~ ol")).to_contain_text("We tried to call.")
    expect(page.locator("#timeline ~ ol")).to_contain_text("Waiting for the coordinator’s check")

    sign_in(world.officer)
    visit(page, reverse("disputes:list"))
    expect(page.locator("main")).not_to_contain_text("Riverside Food Bank")
    visit(page, detail)
    expect(page.locator("main")).not_to_contain_text("Riverside Food Bank")
    expect(page.locator("main")).not_to_contain_text("We tried to call.")  # not checked yet
    visit(page, add)

    sign_in(world.coordinator)
    visit(page, detail)
    page.get_by_role("link", name="Check it the note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before the other party sees it")
    assert_accessible(page)
    page.get_by_label("No, return it to the complainant with a reason").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason it goes back to the complainant")
    assert_accessible(page)
    page.get_by_label("Yes, release it to the other party").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-notification-banner, main").first).to_contain_text("released to the other party")
    visit(page, add)
    visit(page, move + "?to=closed:not_upheld")
    visit(page, reverse("disputes:read_log", kwargs={"pk": case.pk}))
    assert Case.objects.get().stage == Case.Stage.INFORMAL
