"""Issue 15's journey, "is the Compact working?", in a browser: a coordinator adds an action with a
target to the plan, a voluntary group's member gives evidence, the coordinator accepts it, opens the
annual review of this year and downloads its PDF (which holds the measures, the action and the
evidence); then the national body compares two Compacts' measures side by side. axe-core runs on
every page the journey opens."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from compact_portal.dates import financial_year_label, financial_year_of
from national import services as national_services
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_action_plan_pages import fill_date
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.commitments.test_pdf import pdf_text
from tests.signatories.factories import SignatureFactory

pytestmark = pytest.mark.django_db(transaction=True)

ACTION = "Sign up more groups"
EVIDENCE = "The youth club was asked first"


def test_a_plan_with_evidence_makes_the_annual_review_and_the_national_body_compares(
    page, sign_in, edition, coordinator, vcs_member
):
    compact = edition.compact
    today = timezone.localdate()
    year = financial_year_of(today)
    label = financial_year_label(year)
    food_bank = vcs_member.organisations.get()
    SignatureFactory(organisation=food_bank, edition=edition, status="signed", signed_on=today)

    # The coordinator adds an action with a measurable target.
    sign_in(coordinator)
    page.goto(reverse("commitments:manage", kwargs={"slug": compact.slug}))
    page.get_by_role("link", name="Manage the action plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("What is the action?", exact=True).fill(ACTION)
    page.get_by_role("group", name="Which strand of the plan is it in?").get_by_label("Sign-up").check()
    page.get_by_label("Which organisation leads it?").select_option(label=food_bank.name)
    page.get_by_label("Who leads it?").fill("Jo Lead")
    fill_date(page, "Start date", datetime.date(year, 4, 1))
    fill_date(page, "Due date", datetime.date(year + 1, 3, 31))
    page.get_by_role("group", name="Does it have a measurable target?").get_by_label(
        "More voluntary and community sector signatories"
    ).check()
    page.get_by_label("Target number").fill("10")
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is added to the plan")
    assert_accessible(page)

    # A member of a voluntary group gives evidence for this year.
    sign_in(vcs_member)
    page.goto(reverse("actionplans:evidence_new", kwargs={"slug": compact.slug}))
    assert_accessible(page)
    outcome = edition.outcomes.order_by("number").first()
    page.get_by_role("group", name="Which outcome does it show being met?").get_by_label(
        f"Outcome {outcome.number}: {outcome.title}"
    ).check()
    page.get_by_role("group", name="Which financial year is it about?").get_by_label(label).check()
    page.get_by_role("group", name="What kind of evidence is it?").get_by_label("A case study").check()
    page.get_by_label("Title", exact=True).fill(EVIDENCE)
    page.get_by_label("What happened?").fill("The council asked young people before it changed the opening hours.")
    page.get_by_role("button", name="Send the evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EVIDENCE)
    assert_accessible(page)

    # The coordinator accepts it, then opens this year's annual review and downloads its PDF.
    sign_in(coordinator)
    page.goto(reverse("actionplans:evidence_manage", kwargs={"slug": compact.slug}))
    assert_accessible(page)
    page.get_by_role("link", name=EVIDENCE).click()
    page.get_by_role("button", name="Accept or return it").click()
    assert_accessible(page)
    page.get_by_label("Accept it: it becomes public in the annual review").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("main")).to_contain_text("Accepted")
    assert_accessible(page)

    page.goto(reverse("commitments:manage", kwargs={"slug": compact.slug}))
    page.get_by_role("link", name="The annual review (to publish, as a page, a PDF and a spreadsheet)").click()
    page.get_by_label("Financial year", exact=True).select_option(label=label)
    page.get_by_role("button", name="Show this year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annual review {label}")
    expect(page.locator("main")).to_contain_text(ACTION)
    expect(page.locator("main")).to_contain_text(EVIDENCE)
    assert_accessible(page)
    # The PDF is made by the worker (in-process here) while the page that waits is shown.
    page.get_by_role("link", name=f"The annual review {label} as a PDF").click()
    pdf_url = reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": year})
    download = page.locator(f'a.govuk-button[href="{pdf_url}"]')
    expect(download).to_be_visible(timeout=30_000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        download.click()
    with open(download_info.value.path(), "rb") as downloaded:
        text = " ".join(pdf_text(downloaded.read()).split())
    assert f"Annual review {label}" in text or f"annual review {label}" in text
    for words in ("Consultations long enough", "Statutory partners signed up", "Progress on the action plan", EVIDENCE):
        assert words in text, words
    # The action, in its table: a narrow cell wraps its title around the cells beside it.
    plan = text[text.index("Progress on the action plan") :]
    assert re.search(r"Sign up more .{0,80}groups", plan), plan[:600]
    assert "1 of 10" in plan  # its progress towards the target, counted from the register

    # The national body compares two Compacts.
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    national = UserFactory(username="nat", email="nat@national.example")
    national_services.national_role_grant(email=national.email, by=root)
    harbour = CompactFactory(name="Harbour Compact", area="Harbour", slug="harbour", ons_code="E06000098")
    PublishedEditionFactory(compact=harbour, published_on=today - datetime.timedelta(days=200))
    sign_in(national)
    page.goto(reverse("national:directory"))
    assert_accessible(page)
    page.get_by_role("link", name="Every Compact's measures side by side").click()
    expect(page.get_by_role("heading", name="Measures side by side")).to_be_visible()
    table = page.locator("#indicators-table")
    expect(table).to_contain_text(compact.name)
    expect(table).to_contain_text("Harbour Compact")
    expect(table).to_contain_text("National median")
    assert_accessible(page)
    page.get_by_role("link", name="Statutory partners signed up").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Statutory partners signed up")
    assert_accessible(page)
    table.get_by_role("link", name="Harbour Compact").click()  # its measures against the national medians
    expect(page.get_by_role("heading", level=1)).to_have_text("How the Compact is doing")
    expect(page.locator("main")).to_contain_text("Harbour Compact")
    assert_accessible(page)
