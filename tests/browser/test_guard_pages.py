"""The guard against retaliation in a browser (decision 0025): the council's officer stops a
consultation's alerts to a group with an open concern against the council; the coordinator finds the
flag from the Compact's manage page, opens it and records a review. axe-core (WCAG 2.2 AA) checks
each page, the forms with their errors too, at a desktop's width and at a phone's (320 px)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from disputes.models import GuardFlag
from tests.browser.conftest import assert_accessible
from tests.consultations.factories import ConsultationFactory
from tests.disputes.factories import open_case
from tests.signatories.factories import signed_signature

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_stops_alerts_and_the_coordinator_reviews_the_flag(
    page, sign_in, edition, officer, vcs_member, coordinator
):
    council, food_bank = officer.organisations.get(), vcs_member.organisations.get()
    food_bank.wants_consultation_alerts = True
    food_bank.save()
    signed_signature(organisation=food_bank, edition=edition)
    case = open_case(complainant=food_bank, respondent=council, edition=edition, by=vcs_member)
    consultation = ConsultationFactory(edition=edition, organisation=council, title="Library opening hours")

    # The officer stops the consultation's alerts to the food bank, from the consultation's page.
    sign_in(officer)
    page.goto(consultation.get_absolute_url())
    page.get_by_role("link", name="Stop this consultation’s alerts to an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop this consultation’s alerts to an organisation")
    assert_accessible(page)
    stop_url = page.url
    page.get_by_role("button", name="Stop the alerts").click()
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Choose the organisation whose alerts are stopped")
    expect(errors).to_contain_text("Enter why the alerts to this organisation are stopped")
    assert_accessible(page)
    page.get_by_label("Which organisation should no longer be alerted about this consultation?").select_option(
        label="Riverside Food Bank"
    )
    page.get_by_label("Why are its alerts stopped?").fill("They told us they no longer run a library service.")
    page.get_by_role("button", name="Stop the alerts").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Alerts about this consultation are no longer sent to Riverside Food Bank."
    )
    expect(page.locator("#stopped + dl")).to_contain_text("They told us they no longer run a library service.")
    expect(page.locator("main")).not_to_contain_text(case.reference)  # the body learns nothing of a flag
    assert_accessible(page)
    flag = GuardFlag.objects.get()

    # The coordinator finds the flag from the Compact's manage page.
    sign_in(coordinator)
    page.goto(reverse("commitments:manage", kwargs={"slug": edition.compact.slug}))
    page.get_by_role("link", name="Flags to review: a body acted against an organisation with a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flags to review")
    table = page.locator("#flags")
    expect(table).to_contain_text("Riverside Food Bank")
    expect(table).to_contain_text(case.reference)
    expect(table).to_contain_text("To review")
    assert_accessible(page)
    list_url = page.url

    page.locator("#flags").get_by_role("link", name="review this flag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review a flag")
    expect(page.locator("main")).to_contain_text("They told us they no longer run a library service.")
    expect(page.locator("#review")).to_have_text("Not reviewed yet")
    assert_accessible(page)
    flag_url = page.url
    assert flag_url.endswith(flag.get_absolute_url())

    page.get_by_role("button", name="Save the review").click()
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Choose what your review found")
    expect(errors).to_contain_text("Enter a note on your review")
    assert_accessible(page)
    page.get_by_role("group", name="What did your review find?").get_by_label(
        "Needs an explanation from the body"
    ).check()
    page.get_by_label("Note").fill("Ask the council why the alerts stopped while the concern is open.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your review is saved.")
    expect(page.locator("#review")).to_contain_text("Needs an explanation from the body")
    expect(page.locator("#review")).to_contain_text("Ask the council why the alerts stopped")
    assert_accessible(page)
    flag.refresh_from_db()
    assert (flag.review, flag.reviewed_by) == ("needs_explanation", coordinator)

    # Each page again at a phone's width: nothing wider than the screen, axe-core clean.
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (list_url, flag_url):
        page.goto(url)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    expect(page.locator("#review")).to_contain_text("Needs an explanation from the body")
    sign_in(officer)
    page.goto(stop_url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
