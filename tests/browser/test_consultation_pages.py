"""The consultations issue's proof: an officer registers a 6-week consultation and is made to give
a reason; every consultation page, for each kind of visitor and in its error states, is checked by
axe-core (WCAG 2.2 AA)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from consultations.models import Consultation, Response
from tests.browser.conftest import assert_accessible
from tests.consultations.factories import PDF_BYTES, ConsultationFactory, FeedbackItemFactory, ResponseFactory
from tests.signatories.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture
def today(monkeypatch):
    """The day the pages judge dates by (the live server runs in this process)."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr("consultations.views.today", lambda: day)

    set_today(D(2026, 12, 15))
    return set_today


def visit(page, path, expected_status=200):
    response = page.goto(path)
    assert response.status == expected_status, f"{path} answered {response.status}"
    assert page.title(), f"{path} has no title"
    assert_accessible(page)


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_an_officer_registers_a_six_week_consultation_and_is_made_to_give_a_reason(
    page, sign_in, today, edition, officer
):
    sign_in(officer)
    visit(page, reverse("consultations:list"))
    page.get_by_role("link", name="Register a consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a consultation")
    expect(page.locator("main")).to_contain_text("You are registering it for Riverside Borough Council.")
    assert_accessible(page)

    page.get_by_label("Which Compact does it fall under?").select_option(label="Riverside Compact")
    page.get_by_label("Title of the consultation", exact=True).fill("Closing the Riverside day centre")
    page.get_by_label("What is it about?", exact=True).fill("We propose to close the day centre and move its services.")
    page.get_by_label("Policy area").select_option(label="Adult social care")
    page.get_by_label("Formal written consultation").check()
    fill_date(page, "When was early notice given?", "1", "12", "2026")
    fill_date(page, "Opening date", "4", "1", "2027")
    fill_date(page, "Closing date", "14", "2", "2027")  # 6 weeks
    page.get_by_label("Link to the consultation").fill("https://www.example.gov.uk/day-centre")
    page.get_by_label("Contact name").fill("Adult Services")
    page.get_by_label("Contact email address").fill("adults@example.gov.uk")
    page.get_by_role("button", name="Register the consultation").click()

    message = (
        "This consultation is open for 6 weeks (42 days). The Compact asks for at least 12 weeks for a formal "
        "written consultation: explain why it is shorter."
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert not Consultation.objects.exists()
    assert_accessible(page)

    # The error summary's link leads to the reason's box; what was typed is kept.
    summary.get_by_role("link", name=message).click()
    reason = page.get_by_label("Why is it shorter than the Compact’s minimum, or informal?")
    expect(reason).to_be_focused()
    expect(page.get_by_label("Title of the consultation", exact=True)).to_have_value("Closing the Riverside day centre")
    reason.fill("The grant that pays for the centre ends in March: a decision is needed before then.")
    page.get_by_role("button", name="Register the consultation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Closing the Riverside day centre")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "‘Closing the Riverside day centre’ is registered. It is open for 6 weeks (42 days)."
    )
    expect(page.locator("#consultation-length")).to_have_text("6 weeks (42 days)")
    expect(page.locator("main")).to_contain_text("Open for 6 weeks (42 days), shorter than the Compact’s 12 weeks.")
    expect(page.locator("main")).to_contain_text("The grant that pays for the centre ends in March")
    consultation = Consultation.objects.get()
    assert consultation.shorter_rationale.startswith("The grant that pays")
    assert consultation.edition == edition
    assert_accessible(page)

    # It is on the public list, forthcoming, with its length.
    page.context.clear_cookies()
    page.goto(reverse("consultations:list"))
    row = page.get_by_role("row").filter(has_text="Closing the Riverside day centre")
    expect(row).to_contain_text("6 weeks (42 days)")
    expect(row).to_contain_text("Forthcoming")


@pytest.fixture
def world(edition, officer):
    council = officer.organisations.get()
    open_one = ConsultationFactory(
        edition=edition,
        organisation=council,
        title="Future of the Riverside library",
        opens_on=D(2026, 12, 1),
        closes_on=D(2027, 2, 22),
        early_notice_on=D(2026, 11, 1),
    )
    open_one.document.save("library-proposal.pdf", _pdf())
    short = ConsultationFactory(
        edition=edition,
        organisation=council,
        title="Bus shelter designs",
        kind=Consultation.Kind.INFORMAL,
        opens_on=D(2026, 12, 10),
        closes_on=D(2027, 1, 10),
        early_notice_on=None,
        shorter_rationale="Drop-in sessions at the market.",
    )
    published = ConsultationFactory(
        edition=edition,
        organisation=PublicBodyFactory(name="Riverside NHS Trust"),
        title="Health centre opening hours",
        opens_on=D(2026, 5, 4),
        closes_on=D(2026, 7, 26),
        early_notice_on=D(2026, 4, 1),
        feedback_summary="Forty people and six groups responded.",
        feedback_published_on=D(2026, 9, 1),
    )
    FeedbackItemFactory(consultation=published, theme="Evenings", you_said="Open later.", we_did="Open to 8pm.")
    for n in range(30):  # a second page
        ConsultationFactory(
            edition=edition,
            organisation=council,
            title=f"Older consultation {n}",
            opens_on=D(2025, 1, 6),
            closes_on=D(2025, 3, 30),
        )
    return {"open": open_one, "short": short, "published": published}


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(PDF_BYTES)


def test_the_public_pages(page, today, world):
    visit(page, reverse("consultations:list"))
    visit(page, reverse("consultations:list") + "?page=2")
    visit(page, reverse("consultations:list") + "?status=open&q=library")
    expect(page.locator("#consultations-table")).to_contain_text("Future of the Riverside library")
    visit(page, reverse("consultations:list") + "?q=nothing+like+this")
    visit(page, reverse("consultations:list") + "?status=martian")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    for key in ("open", "short", "published"):
        visit(page, world[key].get_absolute_url())
    expect(page.locator("main")).to_contain_text("Forty people and six groups responded.")


def test_filtering_with_the_form(page, today, world):
    page.goto(reverse("consultations:list"))
    page.get_by_label("Status").select_option(label="Feedback published")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 consultation matches these filters")).to_be_visible()
    expect(page.locator("#consultations-table")).to_contain_text("Health centre opening hours")
    assert_accessible(page)


def test_filtering_by_the_public_bodys_name(page, today, world):
    """The public body is typed (part of its name), not chosen from a list of every body."""
    page.goto(reverse("consultations:list"))
    body = page.get_by_label("Public body", exact=True)
    expect(body).to_have_attribute("type", "text")
    body.fill("nhs trust")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 consultation matches these filters")).to_be_visible()
    expect(page.locator("#consultations-table")).to_contain_text("Health centre opening hours")
    expect(page.get_by_label("Public body", exact=True)).to_have_value("nhs trust")
    assert_accessible(page)
    page.goto(reverse("consultations:list") + "?body=" + "x" * 201)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The public body’s name must be 200 characters or fewer"
    )
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.get_by_label("Public body", exact=True)).to_be_focused()
    assert_accessible(page)


def test_the_pages_of_a_vcs_member(page, sign_in, today, world, vcs_member):
    sign_in(vcs_member)
    consultation = world["open"]
    visit(page, consultation.get_absolute_url())
    page.get_by_role("link", name="Record your organisation’s response").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record your organisation’s response")
    assert_accessible(page)
    page.get_by_role("button", name="Record the response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a summary of your organisation’s response")
    assert_accessible(page)
    page.get_by_label("Summary of your response").fill("We ask for the library to open on Saturdays.")
    page.set_input_files(
        "input[name=document]", files=[{"name": "our-response.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Record the response").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The response of Riverside Food Bank is recorded."
    )
    expect(page.locator("#your-response")).to_be_visible()
    assert Response.objects.get().document.name.endswith(".pdf")
    assert_accessible(page)


def test_the_pages_of_the_body_running_it(page, sign_in, today, world, officer, food_bank_response):
    consultation = world["open"]
    sign_in(officer)
    visit(page, consultation.get_absolute_url())
    expect(page.locator("main")).to_contain_text("We ask for Saturday opening.")
    visit(page, reverse("consultations:edit", kwargs={"pk": consultation.pk}))
    page.get_by_label("Title of the consultation", exact=True).fill("")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the title of the consultation")
    assert_accessible(page)

    # After it closes: the feedback, theme by theme, then publishing it.
    today(D(2027, 3, 1))
    visit(page, reverse("consultations:feedback", kwargs={"pk": consultation.pk}))
    page.get_by_role("button", name="Add the theme").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the theme")
    assert_accessible(page)
    page.get_by_label("Theme").fill("Saturday opening")
    page.get_by_label("You said: what respondents told you").fill("Open the library on Saturdays.")
    page.get_by_label("We did: what changed as a result, or why it did not").fill("It opens 9am to 1pm on Saturdays.")
    page.get_by_role("button", name="Add the theme").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The theme ‘Saturday opening’ is added."
    )
    assert_accessible(page)
    page.get_by_role("link", name="Change Saturday opening").click()
    assert_accessible(page)
    page.goto(reverse("consultations:feedback", kwargs={"pk": consultation.pk}))
    page.get_by_role("link", name="Remove Saturday opening").click()
    assert_accessible(page)
    page.goto(reverse("consultations:feedback", kwargs={"pk": consultation.pk}) + "?part=summary")
    assert_accessible(page)

    page.goto(reverse("consultations:feedback", kwargs={"pk": consultation.pk}))
    page.get_by_role("link", name="Check and publish the feedback").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the feedback").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The feedback is published.")
    expect(page.get_by_role("table", name="You said, we did")).to_contain_text("Saturday opening")
    assert_accessible(page)


@pytest.fixture
def food_bank_response(world, vcs_member):
    return ResponseFactory(
        consultation=world["open"],
        organisation=vcs_member.organisations.get(),
        summary="We ask for Saturday opening.",
    )


def test_pages_closed_to_others(page, sign_in, today, world, vcs_member, stranger):
    consultation = world["open"]
    sign_in(stranger)
    visit(page, reverse("consultations:create"), expected_status=403)
    visit(page, reverse("consultations:edit", kwargs={"pk": consultation.pk}), expected_status=403)
    sign_in(vcs_member)
    visit(page, reverse("consultations:feedback", kwargs={"pk": consultation.pk}), expected_status=403)
