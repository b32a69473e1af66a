"""The funding issue's proof: an officer records a notice with six weeks' notice and sees that it does
not meet the Compact; the organisation receiving it finds it in its list. axe-core (WCAG 2.2 AA)
checks every page on the way, the form with its errors too."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from funding.models import FundingNotice
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_officer_records_a_short_notice_and_the_food_bank_sees_it(page, sign_in, edition, officer, vcs_member):
    given = datetime.date(2026, 9, 1)
    effective = given + datetime.timedelta(weeks=6)  # 13 October 2026

    # The officer starts from the list of notices: none yet.
    sign_in(officer)
    page.goto(reverse("funding:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding-change notices")
    expect(page.locator("main")).to_contain_text("There are no funding-change notices for you to see yet.")
    assert_accessible(page)

    # Finds the food bank.
    page.get_by_role("button", name="Record a funding-change notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which organisation was given notice?")
    assert_accessible(page)
    page.get_by_label("Name, charity number or company number").fill("food bank")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("1 organisation found")
    assert_accessible(page)
    page.get_by_role("link", name="Record a notice to Riverside Food Bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a notice to Riverside Food Bank")
    assert_accessible(page)

    # Sends it empty first: every question says what is missing.
    page.get_by_role("button", name="Record the notice").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say whether the impact was assessed before deciding")
    assert_accessible(page)

    # Answers: six weeks' notice, impact assessed, no exceptional circumstances.
    page.get_by_role("group", name="What changes?").get_by_label("Funding reduced").check()
    page.get_by_label("Which funding or support is concerned?", exact=True).fill(
        "The lunch club grant, £12,000 a year."
    )
    fill_date(page, "Date written notice was given", given)
    fill_date(page, "Date the change takes effect", effective)
    page.get_by_label("Why was the decision made?", exact=True).fill(
        "The budget for community grants was cut by a third."
    )
    page.get_by_role("group", name=re.compile("^Is the funding changed or ended because")).get_by_label("No").check()
    page.get_by_role("group", name=re.compile("^Was the impact on beneficiaries")).get_by_label("Yes").check()
    page.get_by_label("If it was assessed, what did the assessment find?").fill(
        "Forty older people would lose a hot meal twice a week."
    )
    page.get_by_role("group", name=re.compile("^Was the change discussed")).get_by_label("No").check()
    expect(page.get_by_label("Exceptional circumstances are claimed")).not_to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Record the notice").click()

    # The notice's page says it does not meet the Compact, and why.
    expect(page.get_by_role("heading", level=1)).to_have_text("Notice to Riverside Food Bank")
    main = page.locator("main")
    expect(main).to_contain_text("It does not meet the Compact: see why below.")
    expect(page.locator("#compliance")).to_contain_text(
        "Does not meet the Compact: 1 month and 12 days’ notice; the Compact asks for at least 3 months "
        "(no earlier than 1 December 2026)"
    )
    expect(main).to_contain_text("Forty older people would lose a hot meal twice a week.")
    assert_accessible(page)
    notice = FundingNotice.objects.get()

    # The officer corrects it.
    page.get_by_role("button", name="Change the notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the notice to Riverside Food Bank")
    expect(page.get_by_label("If it was assessed, what did the assessment find?")).to_have_value(
        "Forty older people would lose a hot meal twice a week."
    )
    assert_accessible(page)
    page.get_by_label("Why was the decision made?", exact=True).fill("")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    assert_accessible(page)
    page.get_by_label("Why was the decision made?", exact=True).fill("The council's grants budget was cut by a third.")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator("main")).to_contain_text("Your changes to the notice have been saved.")

    # A member of the food bank finds it in the list, marked as not meeting the Compact.
    sign_in(vcs_member)
    page.goto(reverse("funding:list"))
    row = page.get_by_role("row").filter(has_text="Riverside Borough Council to Riverside Food Bank")
    expect(row).to_contain_text("Does not meet the Compact")
    expect(page.get_by_role("button", name="Record a funding-change notice")).to_have_count(0)
    page.get_by_label("Meets the Compact or not").select_option("does_not_meet")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("main")).to_contain_text("1 notice matches these filters")
    assert_accessible(page)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/funding/{notice.pk}/$"))
    expect(page.locator("main")).to_contain_text("The council's grants budget was cut by a third.")
    expect(page.get_by_role("button", name="Change the notice")).to_have_count(0)
    assert_accessible(page)
