"""The annual review as a PDF, through the document engine (compact_portal.documents).

The PDF is in the reader's language (English or Welsh), never mixed with whoever asked next: the
language is part of the HTML and so of the content hash. The same figures asked for again are the
same stored row; new figures (a concern closed, a notice given) give a new hash and a new PDF.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from commitments.pdf import english_code
from compact_portal import documents
from compact_portal.bilingual import WELSH, is_welsh, localised
from reviews import charts as review_charts
from reviews import selectors
from reviews.models import ReviewDocument

RENDERER_VERSION = "1"
STYLESHEET = "pdf/review.css"
TEMPLATE = "reviews/pdf/review.html"

Language = ReviewDocument.Language


def pdf_language(code: str | None = None) -> str:
    """The reader's language as a ``ReviewDocument.Language``: Welsh for Welsh, otherwise English."""
    return Language.WELSH if is_welsh(code or translation.get_language()) else Language.ENGLISH


def django_code(language: str) -> str:
    return WELSH if language == Language.WELSH else english_code()


def review_pdf_html(compact, year: int, *, language: str, today: datetime.date | None = None) -> str:
    """The review as one HTML document for WeasyPrint, in ``language``, charts inline as SVG."""
    today = today or timezone.localdate()
    code = django_code(language)
    with translation.override(code):
        review = selectors.annual_review(compact=compact, year=year, today=today)
        return render_to_string(
            TEMPLATE,
            {
                "review": review,
                "compact": compact,
                "charts": review_charts.review_charts(review, prefix="pdf-", print_css=True),
                "title": review_title(review),
                "language_tag": documents.language_tag(code),
                "stylesheet": STYLESHEET,
                "today": today,
            },
        )


def review_title(review) -> str:
    return gettext("%(compact)s: annual review %(year)s") % {
        "compact": localised(review.compact, "name").text,
        "year": review.label,
    }


def download_filename(compact, year: int, language: str) -> str:
    """``riverside-compact-annual-review-2026-27-en.pdf`` (``-cy.pdf`` in Welsh)."""
    return f"{compact.slug}-annual-review-{year}-{(year + 1) % 100:02d}-{language}.pdf"


class ReviewPdf(documents.DocumentKind):
    """The annual review's PDF, for the document engine."""

    model = ReviewDocument
    stylesheet = STYLESHEET
    renderer_version = RENDERER_VERSION

    def queryset(self):
        return ReviewDocument.objects.select_related("compact")

    def html(self, document: ReviewDocument) -> str:
        return review_pdf_html(document.compact, document.year, language=document.language)

    def filename(self, document: ReviewDocument) -> str:
        return f"{slugify(document.compact.slug)}-{document.year}-{document.language}-{document.content_hash[:12]}.pdf"

    def queue_render(self, document_id: int) -> None:
        from reviews.tasks import render_review_document

        render_review_document.delay(document_id)

    def changed(self, document: ReviewDocument) -> None:
        # The figures changed after this PDF was asked for: the next request makes a row for them.
        document.delete()


REVIEW_PDF = documents.register(ReviewPdf())


def review_document_request(compact, year: int, *, language: str, retry_failed: bool = False) -> ReviewDocument:
    """The stored PDF of the review as the figures stand now, claimed and queued if not made yet."""
    digest = documents.content_hash(
        review_pdf_html(compact, year, language=language), stylesheet=STYLESHEET, version=RENDERER_VERSION
    )
    return documents.document_request(
        REVIEW_PDF, compact=compact, year=year, language=language, content_hash=digest, retry_failed=retry_failed
    )


def review_document_rerender(document: ReviewDocument) -> None:
    documents.document_rerender(REVIEW_PDF, document)


def review_document_render(*, document_id: int) -> ReviewDocument | None:
    """Render one claimed review PDF and store it (the worker's task)."""
    return documents.document_render(REVIEW_PDF, document_id=document_id)
