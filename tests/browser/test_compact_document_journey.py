"""Issue 13's journey, in a browser: a coordinator imports a Word document, corrects one heading
rule in the preview, publishes, compares with the last edition (a renumbered undertaking shows as
moved) and downloads the PDF, which holds the time limits, the principles and an annex with a
re-affirmation pending. axe-core runs on every page and state on the way."""

import datetime
import io

import docx
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Outcome, Undertaking
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import EditionFactory, PrincipleFactory
from tests.commitments.test_pdf import pdf_text
from tests.signatories.factories import OrganisationFactory, signed_signature

KEPT = "Keep the community hall open to local groups on weekday evenings."


def word_document() -> bytes:
    """A Compact in our own words, laid out as a council's Word file: headings, a table-free body."""
    document = docx.Document()
    document.add_heading("The Millbrook Compact", level=0)
    document.add_paragraph("How the council and local groups of Millbrook work together.")
    document.add_heading("Principles", level=1)
    document.add_paragraph("Openness: partners share what they know in good time.")
    document.add_heading("Pillar 1 – Open doors", level=1)
    document.add_paragraph("The Council will:")
    document.add_paragraph("1.1 Publish a yearly list of rooms groups may book for free.")
    document.add_paragraph(f"1.2 {KEPT}")
    document.add_paragraph("The VCS will:")
    document.add_paragraph("1.3 Tell the council when a room is no longer needed.")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def test_a_word_document_imported_corrected_published_compared_and_printed(
    page, sign_in, compact, coordinator, tmp_path
):
    current = EditionFactory(
        compact=compact, name="First Millbrook Compact", status="published", published_on=datetime.date(2026, 4, 1)
    )
    PrincipleFactory(edition=current, title="Respect", position=1)
    outcome = Outcome.objects.create(edition=current, number=1, title="Open doors")
    Undertaking.objects.create(edition=current, outcome=outcome, number="1.1", sector="public", text=KEPT)
    Undertaking.objects.create(
        edition=current, outcome=outcome, number="1.2", sector="vcs", text="Say when a room is free."
    )
    signed_signature(organisation=OrganisationFactory(name="Millbrook Tenants Forum"), edition=current)
    document = tmp_path / "millbrook.docx"
    document.write_bytes(word_document())

    sign_in(coordinator)
    page.goto(reverse("commitments:import_upload", kwargs={"slug": compact.slug}))
    page.get_by_label("Name of the new edition").fill("Refreshed Millbrook Compact")
    page.get_by_label("The Compact as a file").set_input_files(str(document))
    page.get_by_role("button", name="Check the text").click()
    expect(page.locator("#import-errors")).to_contain_text("outcome headings")
    expect(page.get_by_role("button", name="Create the draft edition")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Lines starting with this text are outcome headings").check()
    page.get_by_label("The text the lines start with").fill("Pillar")
    page.get_by_role("button", name="Add the rule and read the text again").click()
    expect(page.locator("#import-total-public")).to_have_text("2")
    expect(page.locator("#import-total-vcs")).to_have_text("1")
    assert_accessible(page)
    page.get_by_role("button", name="Create the draft edition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit draft: Refreshed Millbrook Compact")

    page.get_by_role("button", name="Check and publish").click()
    assert_accessible(page)
    without = page.get_by_label("Publish without them")
    if without.count():  # the draft lacks a part the current edition has: say so on purpose
        without.check()
    page.get_by_role("button", name="Publish this edition").click()
    expect(page.locator("main")).to_contain_text("Openness")

    draft = compact.editions.get(name="Refreshed Millbrook Compact")
    page.goto(reverse("commitments:edition_compare", kwargs={"slug": compact.slug, "pk": draft.pk}))
    expect(page.locator("main")).to_contain_text("moved from 1.1 to 1.2")
    assert_accessible(page)

    page.goto(draft.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Compact in English (PDF)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        text = " ".join(pdf_text(downloaded.read()).split())
    assert "Openness" in text
    assert "At least 12 weeks" in text  # the time limits this edition sets
    assert "Signed the previous edition, re-affirmation pending" in text
    assert "Millbrook Tenants Forum" in text.split("re-affirmation pending", 1)[1]
