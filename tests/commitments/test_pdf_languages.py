"""The Compact's PDF in Welsh, in English, and in both side by side: its text, its language tags,
its file names, and a stored document per language."""

import io
import re
from collections import Counter

import pikepdf
import pytest
from django.urls import reverse
from django.utils import translation

from commitments import pdf
from commitments.models import EditionDocument
from compact_portal import documents
from tests.commitments.test_pdf import pdf_text
from tests.support.catalogue import welsh_catalogue

WELSH_INTERFACE = {
    "Contents": "Cynnwys",
    "Introduction": "Cyflwyniad",
    "Principles": "Egwyddorion",
    "Outcome %(number)s: %(title)s": "Canlyniad %(number)s: %(title)s",
    "Published %(date)s": "Cyhoeddwyd %(date)s",
    "Annex: organisations that have signed this edition": "Atodiad: sefydliadau sydd wedi llofnodi’r argraffiad hwn",
}


@pytest.fixture
def welsh_interface(tmp_path):
    with welsh_catalogue(tmp_path, WELSH_INTERFACE):
        yield


@pytest.fixture
def bilingual_edition(edition):
    """The first edition with Welsh beside most of its English; Outcome 2's title has no Welsh yet."""
    compact = edition.compact
    compact.name_cy = "Compact Glan yr Afon"
    compact.save()
    edition.name_cy = "Argraffiad cyntaf"
    edition.introduction = "How we work together."
    edition.introduction_cy = "Sut rydym yn cydweithio."
    edition.save()
    for principle, welsh in zip(edition.principles.order_by("position"), ["Parch", "Gonestrwydd"], strict=True):
        principle.title_cy = welsh
        principle.save()
    first, second = edition.outcomes.order_by("number")
    first.title_cy = "Teitl canlyniad un"
    first.save()
    for undertaking in edition.undertakings.all():
        undertaking.text_cy = f"Ymgymeriad Cymraeg {undertaking.number}."
        undertaking.save()
    return edition


def render(edition, language: str) -> bytes:
    return documents.render_pdf(pdf.edition_pdf_html(edition, language=language), stylesheet=pdf.STYLESHEET)


def structure_languages(data: bytes) -> Counter:
    """How many structure elements carry each /Lang, and the catalogue's own under ``"catalogue"``."""
    found = Counter()
    with pikepdf.open(io.BytesIO(data)) as document:
        found["catalogue:" + str(document.Root.Lang)] += 1
        stack = [document.Root.StructTreeRoot]
        seen = set()
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen and node.objgen != (0, 0):
                continue
            seen.add(node.objgen)
            if "/Lang" in node:
                found[str(node.Lang)] += 1
            if "/K" in node:
                stack.append(node.K)
    return found


def squashed(text: str) -> str:
    return " ".join(text.split())


# --- What each language prints --------------------------------------------------------------------


def test_the_english_pdf_is_english_throughout(bilingual_edition, welsh_interface):
    data = render(bilingual_edition, "en")
    text = squashed(pdf_text(data))
    assert "Riverside Compact" in text and "How we work together." in text
    assert "Outcome 1: Outcome 1 title" in text and "Contents" in text
    assert "Compact Glan yr Afon" not in text and "Ymgymeriad Cymraeg" not in text and "Cynnwys" not in text
    languages = structure_languages(data)
    assert languages["catalogue:en-GB"] == 1
    assert "cy" not in languages and "en" not in languages


def test_the_welsh_pdf_prints_the_welsh_text_and_welsh_interface_words(bilingual_edition, welsh_interface):
    data = render(bilingual_edition, "cy")
    text = squashed(pdf_text(data))
    assert "Compact Glan yr Afon" in text and "Argraffiad cyntaf" in text
    assert "Sut rydym yn cydweithio." in text and "How we work together." not in text
    assert "Parch" in text and "Gonestrwydd" in text
    assert "Ymgymeriad Cymraeg 1.1." in text and "Ymgymeriad Cymraeg 2.4." in text
    assert "Canlyniad 1: Teitl canlyniad un" in text
    assert "Cyhoeddwyd 1 Ebrill 2026" in text  # the date in Welsh, from Django's cy locale
    assert "Cynnwys" in text and "Atodiad: sefydliadau" in text
    assert "Contents" not in text and "Published" not in text
    # Outcome 2 has no Welsh title: the English stands in, tagged as English.
    assert "Canlyniad 2: Outcome 2 title" in text
    html = pdf.edition_pdf_html(bilingual_edition, language="cy")
    assert '<html lang="cy">' in html
    assert '<span lang="en">Outcome 2 title</span>' in html
    languages = structure_languages(data)
    assert languages["catalogue:cy"] == 1
    assert languages["en"] >= 2  # Outcome 2's title, in the contents and as a heading
    with pikepdf.open(io.BytesIO(data)) as document:
        assert str(document.docinfo.Title) == "Compact Glan yr Afon: Argraffiad cyntaf"


def test_the_bilingual_pdf_prints_welsh_and_english_side_by_side(bilingual_edition, welsh_interface):
    data = render(bilingual_edition, "bilingual")
    layout = pdf_text(data)
    text = squashed(layout)
    for welsh, english in [
        ("Sut rydym yn cydweithio.", "How we work together."),
        ("Ymgymeriad Cymraeg 1.1.", "Public sector promise 1.1."),
        ("Canlyniad 1: Teitl canlyniad un", "Outcome 1: Outcome 1 title"),
        ("Cynnwys", "Contents"),
        ("Cyhoeddwyd 1 Ebrill 2026", "Published 1 April 2026"),
    ]:
        assert welsh in text and english in text
    # Side by side: the Welsh on the left of the same line as its English.
    assert re.search(r"^\s*Cyflwyniad\s{2,}Introduction\s*$", layout, flags=re.MULTILINE)
    assert re.search(r"^\s*Canlyniad 1: Teitl canlyniad un\s{2,}Outcome 1: Outcome 1 title\s*$", layout, re.MULTILINE)
    # (Within an outcome, the Welsh may wrap onto more lines than the English: its undertakings can
    # sit a line lower than theirs, so the check is on the row each outcome starts.)
    # Read Welsh first, then English, part by part.
    raw = pdf_text(data, "-raw")
    assert raw.index("Sut rydym yn cydweithio.") < raw.index("How we work together.") < raw.index("Ymgymeriad Cymraeg")
    languages = structure_languages(data)
    assert languages["catalogue:cy"] == 1
    assert languages["cy"] >= 10 and languages["en-GB"] >= 10  # every part's two columns
    with pikepdf.open(io.BytesIO(data)) as document:
        assert str(document.docinfo.Title) == "Compact Glan yr Afon: Argraffiad cyntaf"


def test_the_html_depends_on_the_pdfs_language_not_the_readers(bilingual_edition):
    welsh = pdf.edition_pdf_html(bilingual_edition, language="cy")
    with translation.override("en-gb"):
        assert pdf.edition_pdf_html(bilingual_edition, language="cy") == welsh
    with translation.override("cy"):
        english = pdf.edition_pdf_html(bilingual_edition, language="en")
    assert english == pdf.edition_pdf_html(bilingual_edition)
    assert '<html lang="en-GB">' in english


# --- Stored documents and downloads -----------------------------------------------------------------


def test_each_language_is_a_document_of_its_own(bilingual_edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            language: pdf.edition_document_request(bilingual_edition, language=language)
            for language in ("en", "cy", "bilingual")
        }
    assert len({document.pk for document in made.values()}) == 3
    assert len({document.content_hash for document in made.values()}) == 3
    for language, document in made.items():
        document.refresh_from_db()
        assert document.language == language and document.is_ready
        # Asked again: the same stored document, not another render.
        assert pdf.edition_document_request(bilingual_edition, language=language).pk == document.pk
    assert "Ymgymeriad Cymraeg 1.1." in pdf_text(made["cy"].file.read())
    assert "Ymgymeriad Cymraeg" not in pdf_text(made["en"].file.read())


def test_a_change_to_the_welsh_text_makes_a_new_welsh_pdf(bilingual_edition, django_capture_on_commit_callbacks):
    before = pdf.edition_content_hash(bilingual_edition, language="cy")
    english = pdf.edition_content_hash(bilingual_edition, language="en")
    undertaking = bilingual_edition.undertakings.order_by("position").first()
    undertaking.text_cy = "Ymgymeriad newydd."
    undertaking.save()
    assert pdf.edition_content_hash(bilingual_edition, language="cy") != before
    assert pdf.edition_content_hash(bilingual_edition, language="en") == english


@pytest.mark.parametrize(
    ("language", "filename"),
    [
        ("cy", "compact-glan-yr-afon-argraffiad-cyntaf-cy.pdf"),
        ("bilingual", "compact-glan-yr-afon-argraffiad-cyntaf-dwyieithog-bilingual.pdf"),
        ("en", "riverside-compact-first-edition-en.pdf"),
    ],
)
def test_each_download_says_its_language_in_its_name(
    client, bilingual_edition, django_capture_on_commit_callbacks, language, filename
):
    kwargs = {"slug": bilingual_edition.compact.slug, "pk": bilingual_edition.pk}
    url = (
        reverse("commitments:edition_pdf", kwargs=kwargs)
        if language == "en"
        else reverse("commitments:edition_pdf_language", kwargs={**kwargs, "language": language})
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 303
    assert response["Location"] == url + "progress/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert EditionDocument.objects.get(language=language).is_ready


def test_the_edition_page_offers_three_downloads_welsh_first_for_a_welsh_reader(client, bilingual_edition):
    url = reverse(
        "commitments:edition_detail", kwargs={"slug": bilingual_edition.compact.slug, "pk": bilingual_edition.pk}
    )
    base = f"/compacts/{bilingual_edition.compact.slug}/editions/{bilingual_edition.pk}/pdf/"

    def links(html: str) -> list[str]:
        return re.findall(rf'href="({re.escape(base)}(?:cy/|bilingual/)?)"', html)

    english_page = client.get(url, follow=True, headers={"accept-language": "en-GB"}).content.decode()
    assert links(english_page) == [base, base + "cy/", base + "bilingual/"]
    client.cookies["django_language"] = "cy"
    welsh_page = client.get(url, follow=True, headers={"accept-language": "cy"}).content.decode()
    assert links(welsh_page) == [base + "cy/", base, base + "bilingual/"]


def test_the_coordinator_can_download_the_signing_copy_in_each_language(client, coordinator, bilingual_edition):
    client.force_login(coordinator)
    page = client.get(reverse("commitments:manage", kwargs={"slug": bilingual_edition.compact.slug})).content.decode()
    base = f"/compacts/{bilingual_edition.compact.slug}/editions/{bilingual_edition.pk}/pdf/"
    for path in ("signing/", "cy/signing/", "bilingual/signing/"):
        assert f'href="{base}{path}"' in page
