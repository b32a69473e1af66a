"""The right of reply (issue 16): a voluntary group replies to a short funding notice and proposes an
improvement timetable; the council records its decision; both see the timeline and the Compact part by
part. axe-core (WCAG 2.2 AA) checks every page on the way, the forms with their errors too."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from funding.models import NoticeStep
from tests.browser.conftest import assert_accessible
from tests.browser.test_funding_pages import fill_date
from tests.funding.factories import FundingNoticeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_food_bank_replies_with_a_timetable_and_the_council_decides(
    page, sign_in, edition, officer, vcs_member, coordinator
):
    today = timezone.localdate()
    notice = FundingNoticeFactory(
        compact=edition.compact,
        edition=edition,
        issuer=officer.organisations.get(),
        recipient=vcs_member.organisations.get(),
        change="ended",
        notice_given_on=today - datetime.timedelta(days=2),
        effective_on=today + datetime.timedelta(weeks=6),  # short of three months
        ended_for_performance=True,
    )
    detail = reverse("funding:detail", kwargs={"pk": notice.pk})

    # The food bank's member reads the notice: short, and a timetable still to be offered.
    sign_in(vcs_member)
    page.goto(detail)
    parts = page.locator("#parts + dl")
    expect(parts).to_contain_text(re.compile(r"Minimum notice given \(or exceptional circumstances\)\s*Not met"))
    expect(parts).to_contain_text(re.compile(r"Improvement timetable offered.*\s*Not yet known"))
    expect(page.locator("main")).to_contain_text("Nothing has been added yet.")
    assert_accessible(page)

    # Replies with a timetable; first without its steps, which the page asks for.
    page.get_by_role("button", name="Reply to the notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to the notice")
    assert_accessible(page)
    page.get_by_role("group", name="What are you recording?").get_by_label("Improvement timetable proposed").check()
    page.get_by_label("What do you want to say?").fill("We can get our numbers back up by the spring.")
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least one step of the timetable")
    assert_accessible(page)
    page.get_by_label("Step 1: what will be done").fill("Recruit two volunteer drivers")
    fill_date(page, "Step 1: by when", today + datetime.timedelta(weeks=3))
    page.get_by_label("Step 2: what will be done").fill("Open on Saturday mornings")
    fill_date(page, "Step 2: by when", today + datetime.timedelta(weeks=5))
    page.get_by_role("button", name="Add to the timeline").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Improvement timetable proposed has been added to the timeline."
    )
    timeline = page.locator("#timeline + ol")
    expect(timeline).to_contain_text("Recruit two volunteer drivers")
    # The organisation's proposal is its reply: the Compact asks the body to offer a timetable.
    expect(parts).to_contain_text(re.compile(r"Improvement timetable offered.*\s*Not yet known"))
    expect(parts).to_contain_text(re.compile(r"Chance to respond before the change took effect\s*Not yet known"))
    assert_accessible(page)

    # The council's officer records the decision, having considered the reply.
    sign_in(officer)
    page.goto(detail)
    expect(page.locator("#timeline + ol")).to_contain_text("We can get our numbers back up by the spring.")
    page.get_by_role("button", name="Record the body’s consideration or decision").click()
    assert_accessible(page)
    page.get_by_role("group", name="What are you recording?").get_by_label("Decision recorded").check()
    page.get_by_label("What do you want to say?").fill(
        "We accept the timetable: funding continues until the end of May, and we will review it then."
    )
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator("#timeline + ol")).to_contain_text("We accept the timetable")
    expect(parts).to_contain_text(re.compile(r"Chance to respond before the change took effect\s*Met"))
    assert_accessible(page)

    # ...and offers the food bank's timetable as its own: the part is met.
    page.get_by_role("button", name="Record the body’s consideration or decision").click()
    page.get_by_role("group", name="What are you recording?").get_by_label("Improvement timetable proposed").check()
    page.get_by_label("What do you want to say?").fill("We offer the timetable the food bank proposed.")
    page.get_by_label("Step 1: what will be done").fill("Recruit two volunteer drivers")
    fill_date(page, "Step 1: by when", today + datetime.timedelta(weeks=3))
    page.get_by_role("button", name="Add to the timeline").click()
    expect(parts).to_contain_text(re.compile(r"Improvement timetable offered.*\s*Met"))

    # The coordinator reads the same timeline, in order, and is not offered a reply.
    sign_in(coordinator)
    page.goto(detail)
    steps = page.locator("#timeline + ol > li h3")
    expect(steps).to_have_text(
        ["Improvement timetable proposed", "Decision recorded", "Improvement timetable proposed"]
    )
    expect(page.get_by_role("button", name="Reply to the notice")).to_have_count(0)
    assert_accessible(page)
    assert list(NoticeStep.objects.values_list("side", flat=True)) == ["recipient", "issuer", "issuer"]
