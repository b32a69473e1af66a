"""A coordinator adds an action with a target to the plan; the public plan shows its progress; the
lead records progress; a member gives evidence and the coordinator accepts it. axe-core checks every
page on the way, forms with their errors too."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.signatories.factories import SignatureFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_coordinator_adds_an_action_with_a_target(page, sign_in, edition, coordinator, vcs_member):

    compact = edition.compact
    food_bank = vcs_member.organisations.get()
    SignatureFactory(organisation=food_bank, edition=edition, status="signed", signed_on=datetime.date(2026, 5, 1))

    sign_in(coordinator)
    page.goto(reverse("commitments:manage", kwargs={"slug": compact.slug}))
    page.get_by_role("link", name="Manage the action plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the action plan")
    assert_accessible(page)

    page.get_by_role("button", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_accessible(page)
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the action")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    page.get_by_label("What is the action?", exact=True).fill("Sign up ten more community groups")
    page.get_by_role("group", name="Which strand of the plan is it in?").get_by_label("Sign-up").check()
    page.get_by_label("Which organisation leads it?").select_option(label="Riverside Food Bank")
    page.get_by_label("Who leads it?").fill("Jo Lead")
    fill_date(page, "Start date", datetime.date(2026, 4, 1))
    fill_date(page, "Due date", datetime.date(2027, 3, 31))
    page.get_by_role("group", name="Does it have a measurable target?").get_by_label(
        "More voluntary and community sector signatories"
    ).check()
    page.get_by_label("Target number").fill("10")
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is added to the plan")
    expect(page.locator("main")).to_contain_text("Sign up ten more community groups")
    assert_accessible(page)

    # The public plan: the progress counted from the register, in words first.
    page.get_by_role("link", name="The public action plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan")
    expect(page.locator("main")).to_contain_text("1 of 10")
    assert_accessible(page)

    # The lead records progress on the action's own page.
    sign_in(vcs_member)
    page.goto(reverse("actionplans:plan", kwargs={"slug": compact.slug}))
    action = compact.plan_actions.get()
    page.goto(action.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button", name="Add a progress note").click()
    page.get_by_label("What progress was made?").fill("Visited three groups")
    assert_accessible(page)
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("main")).to_contain_text("Visited three groups")

    # A member gives evidence; the coordinator accepts it.
    page.goto(reverse("actionplans:evidence_new", kwargs={"slug": compact.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Give evidence")
    assert_accessible(page)
    page.get_by_role("group", name="Which outcome does it show being met?").get_by_label(
        "Outcome 1: Outcome 1 title"
    ).check()
    page.get_by_role("group", name="What kind of evidence is it?").get_by_label("A case study").check()
    page.get_by_label("Title", exact=True).fill("The lunch club was asked first")
    page.get_by_label("What happened?").fill("The council consulted us for twelve weeks.")
    page.get_by_role("button", name="Send the evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The lunch club was asked first")
    assert_accessible(page)

    sign_in(coordinator)
    page.goto(reverse("actionplans:evidence_manage", kwargs={"slug": compact.slug}))
    assert_accessible(page)
    page.get_by_role("link", name="The lunch club was asked first").click()
    page.get_by_role("button", name="Accept or return it").click()
    assert_accessible(page)
    page.get_by_label("Accept it: it becomes public in the annual review").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("main")).to_contain_text("Accepted")
    assert_accessible(page)
