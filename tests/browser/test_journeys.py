"""A coordinator's journey in a real browser, done with the keyboard where a person would."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, mfa_code, mfa_device
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_signs_in_starts_a_draft_changes_an_undertaking_and_publishes(page, edition, coordinator):
    page.goto(reverse("accounts:login"))
    page.get_by_label("User name").fill(coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    # A coordinator then gives the code from their authenticator app.
    page.get_by_label("Code").fill(mfa_code(mfa_device(coordinator)))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/")

    page.goto(reverse("commitments:manage", kwargs={"slug": edition.compact.slug}))
    page.get_by_role("button", name="Start a new edition").click()
    page.get_by_label("Name of the new edition").fill("Refreshed 2027")
    page.get_by_label("A copy of the current edition, to change what needs changing").check()
    page.get_by_role("button", name="Start the draft").click()
    assert "The draft edition ‘Refreshed 2027’ has been started." in page.content()

    page.get_by_role("link", name="Change undertaking 2.1").click()
    page.get_by_label("Undertaking", exact=True).fill("Public sector promise 2.1, now with a deadline.")
    page.get_by_role("button", name="Save").click()
    assert page.url.endswith("#u-2-1")

    page.get_by_role("button", name="Check and publish").click()
    assert "1 added" not in page.content()
    assert "0 undertakings added, 0 removed, 1 changed, 0 moved" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Publish this edition").click()

    assert "‘Refreshed 2027’ is now the current edition." in page.content()
    assert page.locator("#u-2-1").inner_text().startswith("2.1 Public sector promise 2.1, now with a deadline.")
    page.get_by_role("link", name="What changed since First edition").click()
    assert "1 undertaking changed" in page.content()
    assert_accessible(page)


def test_undertaking_anchor_scrolls_into_view(page, edition):
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug}) + "#u-2-3")
    assert page.locator("#u-2-3").is_visible()
    assert page.evaluate("document.querySelector(':target').id") == "u-2-3"


def test_coordinator_imports_a_text_publishes_it_and_downloads_the_pdf(page, sign_in, edition, coordinator):
    from tests.conftest import ROOT

    sign_in(coordinator)
    page.goto(reverse("commitments:manage", kwargs={"slug": edition.compact.slug}))
    page.get_by_role("button", name="Import a Compact from a document").click()
    assert_accessible(page)
    page.get_by_label("Name of the new edition").fill("Fernbrook text")
    page.get_by_label("The Compact as a file").set_input_files(str(ROOT / "tests/fixtures/sample_compact.txt"))
    page.get_by_role("button", name="Check the text").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    assert_accessible(page)
    page.get_by_role("button", name="Create the draft edition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit draft: Fernbrook text")

    page.get_by_role("button", name="Check and publish").click()
    # The text has no principles; the current edition's are carried over.
    page.get_by_label("Copy the current edition’s 2 principles into this draft").check()
    page.get_by_role("button", name="Publish this edition").click()
    expect(page.locator("#u-2-5")).to_contain_text("Say who is being represented")
    expect(page.locator("main")).to_contain_text("Honesty")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Compact in English (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf_file:
        assert pdf_file.read(5) == b"%PDF-"


def test_coordinator_corrects_the_reading_with_a_rule(page, sign_in, edition, coordinator):
    """The check page with its problems, then the same page read again with a rule: both accessible."""
    sign_in(coordinator)
    page.goto(reverse("commitments:import_upload", kwargs={"slug": edition.compact.slug}))
    page.get_by_label("Name of the new edition").fill("Millbrook themes")
    page.get_by_label("Or paste the text of the Compact").fill(
        "The Millbrook Compact\nPillar 1 – Open doors\nThe Council will:\n1.1 Keep the hall open.\n"
        "The VCS will:\n1.2 Use the hall well.\n"
    )
    page.get_by_role("button", name="Check the text").click()
    expect(page.locator("#import-errors")).to_contain_text(
        "Did you mean line 2, ‘Pillar 1 – Open doors’, as Outcome 1?"
    )
    expect(page.get_by_role("button", name="Create the draft edition")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Lines starting with this text are outcome headings").check()
    page.get_by_label("The text the lines start with").fill("Pillar")
    page.get_by_role("button", name="Add the rule and read the text again").click()
    expect(page.locator("#import-rules")).to_contain_text("Lines starting with ‘Pillar’ are outcome headings")
    expect(page.locator("#import-total-public")).to_have_text("1")
    expect(page.locator("#import-structure")).to_contain_text("Outcome heading")
    assert_accessible(page)
    page.get_by_role("button", name="Create the draft edition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit draft: Millbrook themes")


def test_the_pdf_progress_page_offers_the_download_once_the_worker_is_done(page, edition):
    from commitments import pdf
    from commitments.models import EditionDocument

    with pytest.MonkeyPatch.context() as patch:  # nobody renders until this test says so
        patch.setattr(pdf.EDITION_PDF, "queue_render", lambda document_id: None)
        document = pdf.edition_document_request(edition)
    assert document.status == EditionDocument.Status.PENDING

    page.goto(reverse("commitments:edition_pdf_progress", kwargs={"slug": edition.compact.slug, "pk": edition.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing the PDF")
    assert_accessible(page)

    pdf.edition_document_render(document_id=document.pk)  # the worker finishes
    expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF is ready", timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("Your PDF is ready")
    expect(page.get_by_role("button", name="Download the PDF")).to_be_visible()
    assert_accessible(page)
