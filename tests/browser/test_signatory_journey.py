"""The signatories issue's proof: apply → approve → on the register and in the PDF annex."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import require_executable

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_vcs_group_applies_the_coordinator_approves_and_it_appears_on_the_register_and_in_the_pdf(
    page, sign_in, edition, vcs_member, coordinator, tmp_path
):
    pdftotext = require_executable("pdftotext")
    compact = edition.compact

    # A member of the food bank applies for it to sign.
    sign_in(vcs_member)
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    page.get_by_role("link", name="Sign your organisation up").click()
    page.get_by_label("Riverside Food Bank").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name of the person signing").fill("Morgan Ellis")
    page.get_by_label("Their role in the organisation").fill("Chair of trustees")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("I confirm that I may sign on behalf of Riverside Food Bank").check()
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signature of Riverside Food Bank")
    expect(page.locator("body")).to_contain_text("Awaiting approval")
    assert_accessible(page)

    # Not public yet.
    page.context.clear_cookies()
    page.goto(reverse("signatories:register", kwargs={"slug": compact.slug}))
    expect(page.locator("main")).not_to_contain_text("Riverside Food Bank")

    # The coordinator finds it from their account page and approves it.
    sign_in(coordinator)
    page.goto(reverse("accounts:dashboard"))
    page.get_by_role("link", name="1 sign-up awaiting approval").click()
    page.get_by_role("link", name="Riverside Food Bank").click()
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_role("button", name="Approve the signature").click()
    expect(page.locator("body")).to_contain_text("Signed")

    # Anyone now sees it on the register and in the PDF's annex.
    page.context.clear_cookies()
    page.goto(reverse("signatories:register", kwargs={"slug": compact.slug}))
    row = page.get_by_role("row").filter(has_text="Riverside Food Bank")
    expect(row).to_contain_text("Signed the current edition")
    assert_accessible(page)

    page.goto(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Compact in English (PDF)").click()
    pdf_path = tmp_path / "compact.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run([pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    annex = text[text.rindex("Annex") :]
    assert "Riverside Food Bank" in annex
    assert "Morgan Ellis" in annex
