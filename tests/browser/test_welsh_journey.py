"""Issue 14's proof, in Welsh: a VCS member switches to Cymraeg, signs their group up, raises a
concern and downloads the challenge letter in Welsh; a coordinator imports a bilingual Compact,
publishes it and downloads the side-by-side PDF, whose text holds both languages and whose
language tags say which is which."""

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from commitments.models import Edition
from tests.browser.conftest import assert_accessible
from tests.conftest import require_executable

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def cy(message: str, **values) -> str:
    """The Welsh the pages show for an English message of the catalogue."""
    with translation.override("cy"):
        text = translation.gettext(message)
    return text % values if values else text


def pdf_text(path: Path) -> str:
    pdftotext = require_executable("pdftotext")
    out = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def lang_of_structure(path: Path) -> set[str]:
    """Every /Lang in the PDF's structure tree (the document's own is separate)."""
    found: set[str] = set()
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        stack = [root] if root is not None else []
        seen = 0
        while stack and seen < 50_000:
            node = stack.pop()
            seen += 1
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node:
                    found.add(str(node.Lang))
                kids = node.get("/K")
                if kids is not None:
                    stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
            elif isinstance(node, pikepdf.Array):
                stack.extend(node)
    return found


def test_a_vcs_member_works_in_welsh_from_sign_up_to_the_challenge_letter(
    page, sign_in, edition, vcs_member, officer, tmp_path
):
    compact = edition.compact
    sign_in(vcs_member)
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    vcs_member.refresh_from_db()
    assert vcs_member.language == "cy"
    assert_accessible(page)

    # Signs the food bank up to the Compact.
    page.get_by_role("link", name=cy("Sign your organisation up")).click()
    page.get_by_label("Riverside Food Bank").check()
    page.get_by_role("button", name=cy("Continue")).click()
    page.get_by_label(cy("Name of the person signing")).fill("Morgan Ellis")
    page.get_by_label(cy("Their role in the organisation")).fill("Cadeirydd yr ymddiriedolwyr")
    page.get_by_label(cy("Day"), exact=True).fill("2")
    page.get_by_label(cy("Month"), exact=True).fill("3")
    page.get_by_label(cy("Year"), exact=True).fill("2026")
    confirm = cy("I confirm that I may sign on behalf of {organisation} and that it agrees to this statement")
    page.get_by_label(confirm.format(organisation="Riverside Food Bank")).check()
    page.get_by_role("button", name=cy("Send the application")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Signature of %(name)s", name="Riverside Food Bank"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)

    # Raises a concern, in Welsh.
    page.goto(reverse("disputes:create"))
    page.get_by_label(cy("Name of the organisation")).fill("borough council")
    page.get_by_role("button", name=cy("Search")).click()
    page.get_by_role("main").get_by_role("link", name="Riverside Borough Council").click()
    page.get_by_label(cy("The concern in a sentence")).fill("Cafodd ein grant ei dorri gyda phythefnos o rybudd")
    # The undertaking has no Welsh yet: it is offered in English, marked as such.
    page.get_by_label("1.1 Public sector promise 1.1.").check()
    page.get_by_label(cy("What happened?")).fill(
        "Dywedodd llythyr ar 1 Mawrth fod ein grant yn dod i ben ar 15 Mawrth."
    )
    page.get_by_label(cy("Day"), exact=True).fill("1")
    page.get_by_label(cy("Month"), exact=True).fill("3")
    page.get_by_label(cy("Year"), exact=True).fill("2026")
    page.get_by_label(cy("What would you like to happen?")).fill("Tri mis o rybudd, fel y mae'r Compact yn ei ddweud.")
    page.get_by_role("button", name=cy("Raise the concern")).click()
    expect(page.locator("main")).to_contain_text(cy("Informal dialogue"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    case_url = page.url

    # Moves it to a formal written challenge and prepares the letter, in Welsh by default.
    page.get_by_role("button", name=cy("Make a formal written challenge")).click()
    page.get_by_label(cy("Note")).fill("Ni newidiodd y sgwrs anffurfiol y penderfyniad.")
    page.get_by_role("button", name=cy("Move the concern on")).click()
    expect(page.locator("main")).to_contain_text(cy("Formal written challenge"))
    page.get_by_role("button", name=cy("Prepare the formal challenge letter")).click()
    expect(page.get_by_label(cy("Welsh"), exact=True)).to_be_checked()
    page.get_by_label(cy("Who is the letter to?")).fill("Cyfarwyddwr Cymunedau, Cyngor Bwrdeistref Riverside")
    page.get_by_role("button", name=cy("Prepare the letter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Your letter is ready"), timeout=20_000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=cy("Download the letter (PDF)")).click()
    letter = tmp_path / "llythyr.pdf"
    download_info.value.save_as(letter)
    text = pdf_text(letter)
    assert cy("Our reference") in text
    assert "Our reference" not in text
    assert "Cafodd ein grant ei dorri" in text or "Dywedodd llythyr" in text
    with pikepdf.open(letter) as pdf:
        assert str(pdf.Root.Lang).lower().startswith("cy")
    assert case_url


def test_a_coordinator_publishes_a_bilingual_edition_and_prints_it_side_by_side(
    page, sign_in, compact, coordinator, tmp_path
):
    welsh = (FIXTURES / "sample_compact_cy.txt").read_text(encoding="utf-8")
    english = (FIXTURES / "sample_compact.txt").read_text(encoding="utf-8")
    document = tmp_path / "compact-dwyieithog.txt"
    document.write_text(welsh + "\n\n" + english, encoding="utf-8")

    sign_in(coordinator)
    page.goto(reverse("commitments:import_upload", kwargs={"slug": compact.slug}) + "?lang=cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label(cy("Name of the new edition")).fill("Compact Fernbrook 2027")
    page.get_by_label(cy("The Compact as a file")).set_input_files(str(document))
    page.get_by_role("button", name=cy("Check the text")).click()
    expect(page.locator("#import-language")).to_have_text(cy("Welsh and English"))
    assert_accessible(page)
    page.get_by_role("button", name=cy("Create the draft edition")).click()
    draft = Edition.objects.get(name="Compact Fernbrook 2027")
    assert not draft.undertakings.filter(text_cy="").exists()

    page.get_by_role("button", name=cy("Check and publish")).click()
    assert_accessible(page)
    page.get_by_role("button", name=cy("Publish this edition")).click()
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED

    page.goto(draft.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Cyllid teg a rhagweladwy")  # the Welsh of outcome 3
    # The side-by-side PDF is made on request: a page waits for it, then offers the download.
    page.get_by_role("link", name=cy("Download the Compact in Welsh and English side by side (PDF)")).click()
    download = page.get_by_role("button", name=cy("Download the PDF"))
    expect(download).to_be_visible(timeout=60_000)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    with page.expect_download(timeout=30_000) as download_info:
        download.click()
    pdf = tmp_path / "compact.pdf"
    download_info.value.save_as(pdf)
    assert re.search(r"dwyieithog|bilingual", download_info.value.suggested_filename)
    text = pdf_text(pdf)
    assert "Rhoi o leiaf deuddeg wythnos" in text  # undertaking 2.2 in Welsh
    assert "Allow at least twelve weeks" in text  # and in English
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang).lower().startswith("cy")
    languages = {language.lower() for language in lang_of_structure(pdf)}
    assert any(language.startswith("en") for language in languages), languages
