"""The annual review's PDF, made by the one document engine (eager Celery in tests)."""

import io
import subprocess
import time

import pytest
from django.urls import reverse

from reviews import pdf
from reviews.models import ReviewDocument
from tests.conftest import require_executable
from tests.reviews.data import COMPLAINANT, EVIDENCE, ISSUER, LESSONS, RECIPIENT, YEAR, review_world

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    pdftotext = require_executable("pdftotext")
    result = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def download(client, compact, **headers):
    url = reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": YEAR})
    first = client.get(url, **headers)
    # The render is queued on commit; in tests the worker runs eagerly, so the row is ready now.
    if first.status_code == 303:
        assert first["Location"] == reverse("reviews:pdf_progress", kwargs={"slug": compact.slug, "year": YEAR})
        first = client.get(url, **headers)
    assert first.status_code == 200, first
    return first


def test_the_pdf_renders_with_its_figures_and_no_names(django_capture_on_commit_callbacks, client):
    compact = review_world()
    url = reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": YEAR})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 303
    document = ReviewDocument.objects.get(compact=compact, year=YEAR, language="en")
    assert document.is_ready, document.error
    response = client.get(url)
    assert response.status_code == 200
    assert f'filename="{compact.slug}-annual-review-2025-26-en.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Consultations long enough" in text
    assert "50%" in text
    assert ISSUER in text and LESSONS[0] in text
    words = " ".join(text.split())
    assert "Run a sign-up" in words and EVIDENCE in words
    assert RECIPIENT not in text and COMPLAINANT not in text and "Secret summary" not in text
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document_pdf:
        assert "/StructTreeRoot" in document_pdf.Root  # tagged
        assert str(document_pdf.Root.Lang) == "en-GB"
    # The same figures asked for again: the same stored document, not rendered again.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert ReviewDocument.objects.filter(compact=compact, year=YEAR).count() == 1


def test_the_pdf_is_in_the_readers_language(django_capture_on_commit_callbacks, client):
    compact = review_world()
    url = reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": YEAR})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    document = ReviewDocument.objects.get(compact=compact, year=YEAR)
    assert document.language == "cy" and document.is_ready, document.error
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    assert f'filename="{compact.slug}-annual-review-2025-26-cy.pdf"' in response["Content-Disposition"]
    html = pdf.review_pdf_html(compact, YEAR, language="cy")
    assert '<html lang="cy">' in html and "Cyngor" in html


def test_the_progress_page_waits_for_a_pending_pdf(client, monkeypatch):
    compact = review_world()
    monkeypatch.setattr(pdf.ReviewPdf, "queue_render", lambda self, document_id: None)  # a worker that is busy
    url = reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": YEAR})
    progress = reverse("reviews:pdf_progress", kwargs={"slug": compact.slug, "year": YEAR})
    assert client.get(url)["Location"] == progress
    page = client.get(progress).content.decode()
    assert "Preparing the PDF" in page
    assert client.get(progress, {"format": "json"}).json() == {"status": "pending"}


def test_how_long_the_pdf_takes(capsys):
    """Not a limit (the machine varies): the time is printed for the report."""
    compact = review_world(scale=6)
    html = pdf.review_pdf_html(compact, YEAR, language="en")
    from compact_portal.documents import render_pdf

    render_pdf("<html><body>warm</body></html>", stylesheet=pdf.STYLESHEET)
    started = time.monotonic()
    data = render_pdf(html, stylesheet=pdf.STYLESHEET)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\nreview PDF: {len(data)} bytes in {seconds:.2f}s")
    assert "Signatories who re-affirmed" in pdf_text(data)
