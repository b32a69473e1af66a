"""The notifications issue's proof in a browser: a VCS member subscribes to their calendar and
finds a consultation's closing date in it; axe-core on every new page."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar
from playwright.sync_api import expect

from consultations.models import Consultation, PolicyArea
from notifications.models import Notification
from signatories.models import Membership, Signature
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLOSES = datetime.date(2027, 5, 23)


@pytest.fixture
def signed_up_member(compact, vcs_member):
    """A member of the food bank, which signed the current edition and asked for consultation alerts."""
    edition = PublishedEditionFactory(compact=compact)
    membership = vcs_member.memberships.get()
    membership.role = Membership.Role.ADMIN
    membership.save()
    food_bank = membership.organisation
    food_bank.wants_consultation_alerts = True
    food_bank.save()
    Signature.objects.create(organisation=food_bank, edition=edition, status=Signature.Status.SIGNED)
    council = PublicBodyFactory(name="Riverside Borough Council")
    MembershipFactory(organisation=council)
    Consultation.objects.create(
        compact=compact,
        edition=edition,
        organisation=council,
        title="Library opening hours",
        summary="How long should our libraries open?",
        policy_area=PolicyArea.CULTURE_LEISURE,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=CLOSES,
        contact_name="Jo Officer",
        contact_email="jo@riverside.gov.example",
    )
    return vcs_member


def test_a_vcs_member_finds_the_consultations_closing_date_in_their_calendar_feed(
    page, sign_in, signed_up_member, live_server, settings
):
    settings.PORTAL_BASE_URL = live_server.url  # the address on the page is the portal's own
    food_bank = signed_up_member.memberships.get().organisation
    sign_in(signed_up_member)

    page.goto(reverse("notifications:organisation_calendar_page", kwargs={"pk": food_bank.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar of Compact deadlines")
    assert_accessible(page)
    address = page.get_by_label("Your organisation’s calendar address").input_value()
    assert address.startswith(live_server.url + "/calendars/organisations/")

    response = page.request.get(address)
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.body())
    closing = [e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Consultation closes: Library opening hours"]
    assert [e.decoded("dtstart") for e in closing] == [CLOSES]

    # An admin makes a new address: the old one stops working.
    page.get_by_role("button", name="Make a new address").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The calendar has a new address")
    assert_accessible(page)
    assert page.request.get(address).status == 404
    new_address = page.get_by_label("Your organisation’s calendar address").input_value()
    assert new_address != address
    assert page.request.get(new_address).ok


def test_the_notifications_page_and_the_email_choices_are_accessible(page, sign_in, vcs_member):
    for n in range(30):
        Notification.objects.create(
            recipient=vcs_member,
            email=vcs_member.email,
            kind="consultation_closing_1_week",
            subject=f"1 week left to respond: Consultation {n}",
            body="Hello,\n\nRead about it: http://127.0.0.1:8000/consultations/1/",
            link="/consultations/1/",
        )
    sign_in(vcs_member)

    page.goto(reverse("notifications:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your notifications")
    expect(page.get_by_text("New", exact=True).first).to_be_visible()
    page.get_by_text("Read the message").first.click()
    expect(page.get_by_text("Read about it:").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose which notifications we email you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose which notifications we email you")
    assert_accessible(page)
    page.get_by_label("a consultation closes in 1 week").uncheck()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choices have been saved")
    expect(page.get_by_label("a consultation closes in 1 week")).not_to_be_checked()
    expect(page.get_by_label("a consultation closes in 4 weeks")).to_be_checked()
    assert_accessible(page)

    # An error is reported in the summary, accessibly too.
    page.goto(reverse("notifications:preferences"))
    page.evaluate(
        "() => { const box = document.querySelector('input[value=consultation_opened]'); box.value = 'nonsense'; }"
    )
    page.get_by_role("button", name="Save your choices").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
