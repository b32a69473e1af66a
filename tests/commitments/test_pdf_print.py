"""Print all of it: the PDF holds what the edition's page shows, a cover with logos and a foreword,
its metadata, undertakings aligned, and a variant with signature blocks."""

import io
import os
import re
import subprocess
from html.parser import HTMLParser

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from commitments import pdf, services
from commitments.models import CodeOfPractice, CompactLogo, Edition, EditionDocument
from compact_portal import documents
from tests.commitments.factories import UndertakingFactory, build_edition
from tests.commitments.test_pdf import fetched_urls, pdf_text, render  # noqa: F401 - a fixture
from tests.conftest import require_executable

pytestmark = pytest.mark.django_db

CONTACTS = (
    "Write to the Compact team:\n"
    "Riverside Partnership Office\n"
    "12 Quay Street\n"
    "Riverside RV1 2AB\n"
    "compact@riverside.example.org\n"
    "https://www.riverside.example.org/compact"
)
LONG_TEXT = (
    "We will tell every group we fund, in plain words and in writing, what we expect of it, how we will "
    "measure it and when we will look again at the money, long before any change is decided."
)


def squash(text: str) -> str:
    return "".join(text.split())


class VisibleText(HTMLParser):
    """The lines of text a reader sees in the page's element of class ``app-edition__text``,
    less the web page's own links to each undertaking and visually hidden text."""

    SKIP = ("app-undertaking__self-link", "govuk-visually-hidden")
    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the text column when > 0
        self.skipping = 0
        self.lines: list[str] = []
        self.headings: list[str] = []
        self.in_heading = 0
        self.heading = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            if self.skipping or any(name in classes for name in self.SKIP):
                self.skipping += 1
            if tag in ("h2", "h3"):
                self.in_heading, self.heading = self.depth, ""
        elif "app-edition__text" in classes:
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        if self.in_heading == self.depth:
            self.headings.append(" ".join(self.heading.split()))
            self.in_heading = 0
        if self.skipping:
            self.skipping -= 1
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.lines.extend(line.strip() for line in data.splitlines() if line.strip())
            if self.in_heading:
                self.heading += data


@pytest.fixture
def full_edition(compact):
    edition = build_edition(
        compact=compact,
        name="Second edition",
        foreword="Ten years on, we renew our promises to each other.",
        introduction="Why we agree.\nHow we keep to it.",
        making_it_work=CONTACTS,
        dispute_resolution="Talk first; then write to the chief executive.",
        consultation_min_weeks=10,
        feedback_due_weeks=8,
        funding_notice_min_months=4,
        dispute_informal_days=15,
        dispute_formal_days=25,
        dispute_mediation_days=45,
    )
    edition.principles.filter(title="Respect").update(description="We listen before we decide.")
    CodeOfPractice.objects.create(
        edition=edition, position=1, title="Consulting groups", body="Give groups time to ask their members."
    )
    return edition


def test_the_pdf_holds_every_heading_and_text_the_edition_page_shows(client, full_edition):
    page = client.get(full_edition.get_absolute_url(), follow=True)
    visible = VisibleText()
    visible.feed(page.content.decode())
    assert "Time limits this edition sets" in visible.headings  # the parser found the text column
    assert "Codes of practice" in visible.headings
    assert "Foreword" in visible.headings

    text = pdf_text(render(pdf.edition_pdf_html(full_edition)))
    printed = squash(text)
    for heading in visible.headings:
        assert squash(heading) in printed, heading
    sector_headings = {"What the public sector undertakes", "What the voluntary and community sector undertakes"}
    for line in visible.lines:
        if line not in sector_headings:  # the PDF words these "Undertakings for the …"
            assert squash(line) in printed, line
    # Among them: the time limits this edition sets, its principles, codes and sections.
    for expected in (
        "At least 10 weeks",
        "Within 8 weeks",
        "At least 4 months",
        "Within 15 working days",
        "Within 25 working days",
        "Completed within 45 working days",
        "We listen before we decide.",
        "Give groups time to ask their members.",
        "Riverside RV1 2AB",
    ):
        assert squash(expected) in printed, expected


def test_a_contact_is_an_address_block_with_working_links(full_edition):
    data = render(pdf.edition_pdf_html(full_edition))
    text = pdf_text(data)
    # One line each, as written: an address block, not a run-on paragraph.
    assert re.search(r"^\s*12 Quay Street\s*$", text, flags=re.MULTILINE)
    assert re.search(r"^\s*Riverside RV1 2AB\s*$", text, flags=re.MULTILINE)
    document = pikepdf.open(io.BytesIO(data))
    uris = {
        str(annotation.A.URI)
        for page in document.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation and "/URI" in annotation.A
    }
    assert "mailto:compact@riverside.example.org" in uris
    assert "https://www.riverside.example.org/compact" in uris


def test_the_cover_has_a_foreword_and_the_pdf_its_metadata(full_edition):
    Edition.objects.filter(pk=full_edition.pk).update(foreword="A word from the leader of the council.")
    full_edition.refresh_from_db()
    data = render(pdf.edition_pdf_html(full_edition))

    pages = pdf_text(data).split("\f")
    assert pages[0].count("1 April 2026") == 1  # the edition and its date, once
    assert "Foreword" in pages[1] and "A word from the leader of the council." in pages[1]
    assert "Contents" in pages[2]

    pdfinfo = require_executable("pdfinfo")
    info = subprocess.run([pdfinfo, "-isodates", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Title:\s+Riverside Compact: Second edition$", info, flags=re.MULTILINE)
    assert re.search(r"^Author:\s+Riverside Compact$", info, flags=re.MULTILINE)
    assert re.search(
        r"^Subject:\s+The agreement between public bodies and the voluntary and community sector in Riverside\.$",
        info,
        flags=re.MULTILINE,
    )
    assert re.search(r"^CreationDate:\s+2026-04-01", info, flags=re.MULTILINE)
    assert str(pikepdf.open(io.BytesIO(data)).Root.Lang) == "en-GB"


def test_a_wrapped_undertaking_hangs_from_its_number_with_every_line_aligned(compact):
    edition = build_edition(compact=compact, outcomes=1, per_sector=1)
    UndertakingFactory(edition=edition, outcome=edition.outcomes.get(), number="1.3", sector="vcs", text=LONG_TEXT)
    lines = pdf_text(render(pdf.edition_pdf_html(edition))).splitlines()
    first = next(i for i, line in enumerate(lines) if re.match(r"\s*1\.3\s", line))
    text_column = re.match(r"\s*1\.3\s+", lines[first]).end()
    following = lines[first + 1]
    assert following.strip() and not re.match(r"\s*\d+\.\d+", following)  # the text wrapped
    assert len(following) - len(following.lstrip()) == text_column


# --- Logos -----------------------------------------------------------------------------------------


def png_with_metadata(colour=(29, 112, 184)) -> bytes:
    image = Image.new("RGB", (120, 60), colour)
    exif = Image.Exif()
    exif[0x013B] = "Photographer Name"  # Artist
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def logo_url(compact):
    return reverse("commitments:logo_list", kwargs={"slug": compact.slug})


def test_a_coordinator_uploads_a_logo_that_reaches_the_pdf_without_any_outside_fetch(
    client,
    compact,
    coordinator,
    full_edition,
    fetched_urls,  # noqa: F811
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("council-logo.png", png_with_metadata(), content_type="image/png")
    response = client.post(logo_url(compact), {"organisation": "Riverside Borough Council", "image": upload})
    assert response.status_code == 302
    page = client.get(logo_url(compact))
    assert "Riverside Borough Council" in page.content.decode()
    assert "Printed on every edition" in page.content.decode()

    logo = CompactLogo.objects.get()
    assert logo.content_type == "image/png"
    assert b"Photographer Name" not in bytes(logo.image)  # its metadata was stripped

    html = pdf.edition_pdf_html(full_edition)
    assert 'alt="Riverside Borough Council"' in html
    document = pikepdf.open(io.BytesIO(render(html)))
    images = {
        obj.objgen for obj in document.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
    }
    assert len(images) == 1
    # Only the project's stylesheet was fetched from a file; the logo came from the HTML itself.
    assert [url for url, _allowed in fetched_urls] == [documents.stylesheet_path(pdf.STYLESHEET).resolve().as_uri()]


@pytest.mark.parametrize(
    "name, data",
    [
        ("logo.png", b"This is not a picture at all, only some words."),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"broken" * 20),  # a PNG's first bytes, then nothing a picture holds
        ("logo.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ],
)
def test_a_logo_that_is_not_a_picture_is_refused_with_a_message(client, compact, coordinator, name, data):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(name, data)
    response = client.post(logo_url(compact), {"organisation": "Riverside Borough Council", "image": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert re.search(r"not a type of file we accept|could not be opened as a picture", body)
    assert not CompactLogo.objects.exists()


def test_a_logo_that_is_too_large_is_refused(client, compact, coordinator):
    client.force_login(coordinator)
    noisy = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > 1024 * 1024
    upload = SimpleUploadedFile("big.png", out.getvalue())
    response = client.post(logo_url(compact), {"organisation": "Big Council", "image": upload})
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not CompactLogo.objects.exists()


def test_a_new_logo_or_foreword_makes_a_new_pdf(compact, full_edition):
    before = pdf.edition_content_hash(full_edition)
    services.compact_logo_add(compact=compact, organisation="Riverside CVS", kind="png", data=png_with_metadata())
    with_logo = pdf.edition_content_hash(full_edition)
    assert with_logo != before
    Edition.objects.filter(pk=full_edition.pk).update(foreword="New words.")
    full_edition.refresh_from_db()
    assert pdf.edition_content_hash(full_edition) != with_logo


def test_a_logo_for_one_edition_is_printed_on_that_edition_only(compact, full_edition):
    other = build_edition(compact=compact, status=Edition.Status.DRAFT, name="Next draft")
    services.compact_logo_add(
        compact=compact, organisation="Partner Trust", kind="png", data=png_with_metadata(), edition=other
    )
    assert 'alt="Partner Trust"' in pdf.edition_pdf_html(other)
    assert 'alt="Partner Trust"' not in pdf.edition_pdf_html(full_edition)


def test_the_coordinator_writes_the_foreword_on_a_draft(client, compact, coordinator):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT, name="Draft")
    client.force_login(coordinator)
    url = reverse("commitments:edition_settings", kwargs={"slug": compact.slug, "pk": draft.pk})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["foreword"] = "Ten years of working together."
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.foreword == "Ten years of working together."
    assert "Ten years of working together." in pdf_text(render(pdf.edition_pdf_html(draft)))


def test_the_fetcher_takes_an_embedded_picture_but_no_other_data():
    fetcher = documents.static_url_fetcher()
    picture = png_with_metadata()
    import base64

    response = fetcher.fetch("data:image/png;base64," + base64.b64encode(picture).decode())
    assert response.read() == picture
    response.close()
    for url in ("data:text/css,body{}", "data:image/svg+xml;base64,PHN2Zz4=", "data:image/png;base64,!!!"):
        with pytest.raises(documents.FetchRefused):
            fetcher.fetch(url)


# --- Signature blocks ------------------------------------------------------------------------------


def test_the_signing_variant_adds_signature_blocks_as_a_document_of_its_own(compact, full_edition):
    services.compact_logo_add(compact=compact, organisation="Riverside CVS", kind="png", data=png_with_metadata())
    reading = pdf.edition_document_request(full_edition)
    signing = pdf.edition_document_request(full_edition, variant=EditionDocument.Variant.SIGNING)
    assert signing.pk != reading.pk
    assert signing.content_hash != reading.content_hash

    text = pdf_text(render(pdf.edition_pdf_html(full_edition, variant=EditionDocument.Variant.SIGNING)))
    blocks = text.split("Signatures")[-1]
    assert "Riverside CVS" in blocks
    assert blocks.count("Signed for") == 5  # one for each logo's organisation, four blank
    assert "Signed for" not in pdf_text(render(pdf.edition_pdf_html(full_edition)))
    assert (
        pdf.download_filename(full_edition, variant="signing") == "riverside-compact-second-edition-for-signing-en.pdf"
    )


def test_the_signing_variant_is_served_at_its_own_address(client, full_edition, django_capture_on_commit_callbacks):
    url = reverse("commitments:edition_pdf_signing", kwargs={"slug": full_edition.compact.slug, "pk": full_edition.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 303
    assert response["Location"].endswith("/pdf/signing/progress/")
    document = EditionDocument.objects.get(variant=EditionDocument.Variant.SIGNING)
    assert document.is_ready
    response = client.get(url)
    assert response.status_code == 200
    assert "for-signing-en.pdf" in response["Content-Disposition"]
    assert "Signed for" in pdf_text(b"".join(response.streaming_content))


def test_the_edition_page_prints_without_its_header_footer_and_side_links(client, full_edition):
    page = client.get(full_edition.get_absolute_url(), follow=True).content.decode()
    assert "app-edition__aside" in page and "app-edition__text" in page
    assert "app-undertaking__self-link" in page
    # Contact links on the page work too (and print with their address).
    assert 'href="mailto:compact@riverside.example.org"' in page


def test_a_new_draft_starts_with_the_current_foreword_to_change(compact, coordinator, full_edition):
    draft = services.edition_start_from_current(compact=compact, name="Refreshed", by=coordinator)
    assert draft.foreword == "Ten years on, we renew our promises to each other."
