"""The disputes issue's proof: a VCS member logs a concern with evidence, the officer answers, the
concern goes to a formal challenge (letter checked), then mediation, and the coordinator closes it."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import require_executable
from tests.consultations.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = PDF_BYTES  # a PDF the portal can open to remove the details saved inside it


def test_a_concern_from_first_report_to_closure(page, sign_in, edition, vcs_member, officer, coordinator, tmp_path):
    pdftotext = require_executable("pdftotext")
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(EVIDENCE)

    # The VCS member logs the concern, with evidence.
    sign_in(vcs_member)
    page.goto(reverse("disputes:create"))
    page.get_by_label("Name of the organisation").fill("borough council")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("main").get_by_role("link", name="Riverside Borough Council").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Riverside Borough Council")
    page.get_by_label("The concern in a sentence").fill("Our grant was cut with two weeks' notice")
    page.get_by_label("1.1 Public sector promise 1.1.").check()
    page.get_by_label("What happened?").fill("A letter on 1 March said our grant ends on 15 March.")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What would you like to happen?").fill("Three months' notice, as the Compact says.")
    page.get_by_label("Evidence (optional)", exact=True).set_input_files(str(evidence))
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.locator("main")).to_contain_text("Informal dialogue")
    expect(page.locator("main")).to_contain_text("minutes.pdf")
    assert_accessible(page)
    case_url = page.url

    # The officer answers on the timeline.
    sign_in(officer)
    page.goto(case_url)
    page.get_by_role("button", name="Add to the timeline").click()
    page.get_by_label("Details").fill("We will look at the decision again at our next meeting.")
    page.get_by_role("button", name="Add to the timeline").click()
    expect(page.locator("main")).to_contain_text("We will look at the decision again")

    # Not settled: the VCS member makes a formal written challenge and prepares the letter.
    sign_in(vcs_member)
    page.goto(case_url)
    page.get_by_role("button", name="Make a formal written challenge").click()
    page.get_by_label("Note").fill("The informal talk did not change the decision.")
    page.get_by_role("button", name="Move the concern on").click()
    expect(page.locator("main")).to_contain_text("Formal written challenge")
    page.get_by_role("button", name="Prepare the formal challenge letter").click()
    page.get_by_label("Who is the letter to?").fill("Director of Communities, Riverside Borough Council")
    page.get_by_role("button", name="Prepare the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is ready", timeout=15_000)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the letter (PDF)").click()
    letter = tmp_path / "letter.pdf"
    download_info.value.save_as(letter)
    text = subprocess.run([pdftotext, str(letter), "-"], capture_output=True, text=True, check=True).stdout
    assert "1.1" in text
    assert "Public sector promise 1.1." in text
    assert "investigate" in text

    # Still not settled: mediation.
    page.goto(case_url)
    page.get_by_role("button", name="Ask for independent mediation").click()
    page.get_by_label("Note").fill("We would like the coordinator to arrange mediation.")
    page.get_by_role("button", name="Move the concern on").click()
    expect(page.locator("main")).to_contain_text("Independent mediation")

    # The coordinator closes it as resolved, with the lessons learned.
    sign_in(coordinator)
    page.goto(case_url)
    page.get_by_role("button", name="Close it as resolved").click()
    page.get_by_label("How was the concern settled?").fill("The council agreed to fund the group until June.")
    page.get_by_label("Lessons learned (optional)").fill("Check the notice period before writing to groups.")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.locator("main")).to_contain_text("Resolved")
    assert_accessible(page)
