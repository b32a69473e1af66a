"""The mediation issue's proof: a concern goes to independent mediation, the coordinator appoints a
mediator from the pool, the mediator records an agreement, and both organisations confirm it. Each
page of mediation is checked with axe-core."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from disputes import services as dispute_services
from mediation import services
from tests.browser.conftest import assert_accessible
from tests.disputes.factories import open_case
from tests.mediation.factories import accredit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_concern_mediated_to_a_confirmed_agreement(page, sign_in, compact, edition, vcs_member, officer, coordinator):
    food_bank, council = vcs_member.memberships.get().organisation, officer.memberships.get().organisation
    mediator = accredit(compact=compact, by=coordinator, username="morag", first_name="Morag", last_name="Campbell")
    conflicted = accredit(
        compact=compact, by=coordinator, username="conflicted", first_name="Colin", last_name="Conflict"
    )
    services.conflict_declare(mediator=conflicted, organisation=council, note="I sit on its board", by=conflicted.user)
    today = timezone.localdate()
    case = open_case(
        complainant=food_bank,
        respondent=council,
        edition=edition,
        by=vcs_member,
        withhold_name=True,
        today=today,
        happened_on=today - datetime.timedelta(days=10),
    )
    dispute_services.case_move(case=case, to="formal", by=vcs_member, today=today)
    case_url = reverse("disputes:detail", kwargs={"pk": case.pk})

    # The coordinator sees the pool: both mediators, and the conflict declared.
    sign_in(coordinator)
    page.goto(reverse("accounts:dashboard"))
    page.get_by_role("link", name="Mediators").click()
    expect(page.locator("#pool")).to_contain_text("Morag Campbell")
    expect(page.locator("#pool")).to_contain_text("Riverside Borough Council")
    assert_accessible(page)

    # The complainant asks for mediation; the mediators proposed have no conflict; it is told the
    # mediator learns its name.
    sign_in(vcs_member)
    page.goto(case_url)
    page.get_by_role("button", name="Ask for independent mediation").click()
    page.get_by_label("Note").fill("We would like a mediator.")
    page.get_by_role("button", name="Move the concern on").click()
    page.get_by_role("link", name="Mediation", exact=True).click()
    expect(page.locator("#proposals")).to_contain_text("Morag Campbell")
    expect(page.locator("#proposals")).not_to_contain_text("Colin Conflict")
    expect(page.locator("#name-withheld")).to_contain_text("The mediator is told your organisation’s name")
    assert_accessible(page)
    mediation_url = page.url

    # The coordinator appoints the mediator.
    sign_in(coordinator)
    page.goto(mediation_url)
    page.get_by_role("button", name="Appoint the mediator").click()
    page.get_by_label("Morag Campbell").check()
    assert_accessible(page)
    page.get_by_role("button", name="Appoint the mediator").click()
    expect(page.locator("#mediator")).to_have_text("Morag Campbell")

    # The mediator finds the concern, and records the agreement with an action.
    sign_in(mediator.user)
    page.goto(reverse("accounts:dashboard"))
    page.get_by_role("link", name="Your mediations").click()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference, exact=False).click()
    expect(page.locator("#complainant")).to_have_text(food_bank.name)
    assert_accessible(page)
    page.get_by_role("button", name="Record an agreement").click()
    page.get_by_label("What was agreed?").fill("The council will give three months' notice of any change.")
    page.get_by_label("Action 1: what is to be done").fill("Restore the grant until the end of the quarter")
    page.locator("input[name=owner_1][value=respondent]").check()
    due = today + datetime.timedelta(days=60)
    boxes = page.locator("input[name^=due_1]")
    boxes.nth(0).fill(str(due.day))
    boxes.nth(1).fill(str(due.month))
    boxes.nth(2).fill(str(due.year))
    assert_accessible(page)
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.locator("#actions")).to_contain_text("Restore the grant")

    # Both organisations confirm it; the respondent never sees the complainant's name.
    for person in (officer, vcs_member):
        sign_in(person)
        page.goto(mediation_url)
        if person == officer:
            expect(page.locator("main")).not_to_contain_text(food_bank.name)
        page.get_by_role("button", name="Confirm the agreement").click()
        assert_accessible(page)
        page.get_by_role("button", name="Confirm the agreement").click()
    expect(page.locator("#confirmations")).to_have_text("Both organisations have confirmed the agreement.")
    assert_accessible(page)

    # The concern's own page shows the outcome on its shared timeline, to the respondent too, without the name.
    sign_in(officer)
    page.goto(case_url)
    expect(page.locator("main")).to_contain_text("Agreement recorded")
    expect(page.locator("main")).to_contain_text("Agreement confirmed by both parties")
    expect(page.locator("main")).not_to_contain_text(food_bank.name)
    assert_accessible(page)
