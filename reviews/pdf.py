"""The annual review as a PDF, through the document engine (compact_portal.documents).

The PDF is in the reader's language (English or Welsh), never mixed with whoever asked next: the
language is part of the HTML and so of the content hash. The same figures asked for again are the
same stored row; new figures (a concern closed, a notice given) give a new hash and a new PDF.

Building the review's HTML takes some 45 queries, so its content hash is remembered (in the cache,
``review_content_hash``) for as long as nothing it is made from can have changed: the key holds the
day (the figures are worked out against today), a fingerprint of the code that makes the HTML
(templates, stylesheet, translations, renderer), and two change tokens: the Compact's, replaced
whenever a row of the Compact's own (one with its ``compact_id``: a consultation, a notice, a
concern, an action, evidence…) is saved or deleted, and the portal's, replaced when any other row of
the apps the review reads from is (an organisation renamed, a signature, an outcome). A download of
an up-to-date PDF is then a few queries; any change gives a new hash and a new PDF.
"""

import datetime
import hashlib
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
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
        # The figures changed after this PDF was asked for: the next request makes a row for them,
        # from the HTML as it is now (never a remembered hash: a change no token caught is caught here).
        review_sources_changed(compact_id=document.compact_id)
        document.delete()


REVIEW_PDF = documents.register(ReviewPdf())


# --- The remembered content hash ---------------------------------------------------------------------

# The apps whose rows the review is made from: a change to any of their rows may change a review.
SOURCE_APPS = frozenset(
    {"commitments", "signatories", "consultations", "funding", "disputes", "actionplans", "monitoring"}
)
# How long a hash is remembered: the day is in its key, so at most until the day ends.
HASH_CACHE_SECONDS = 24 * 60 * 60
_SOURCES_KEY = "reviews:sources:{}"
_PORTAL = "portal"


def _token(scope) -> str:
    """The change token of a Compact (its pk) or of the portal: a new one when none is kept (never
    empty, so a token lost from the cache can never bring an old hash back)."""
    key = _SOURCES_KEY.format(scope)
    token = django_cache.get(key)
    if token is None:
        django_cache.add(key, uuid.uuid4().hex, None)
        token = django_cache.get(key) or uuid.uuid4().hex
    return token


def review_sources_changed(*, compact_id: int | None = None) -> None:
    """Something a review is made from changed: of this Compact, or (None) of any.

    The token is replaced now and again once the transaction commits: a request that reads the new
    token before the commit builds the review from the old rows, and would otherwise keep that hash."""
    key = _SOURCES_KEY.format(_PORTAL if compact_id is None else compact_id)
    django_cache.set(key, uuid.uuid4().hex, None)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the row is committed already
    # One callback a transaction, however many rows it writes (an import writes hundreds): it renews
    # every token the transaction touched. A rolled-back savepoint drops the callback, so it is looked
    # for, not remembered.
    pending = getattr(connection, "_review_source_keys", None)
    if pending is None or not any(entry[1] is _renew_pending for entry in connection.run_on_commit):
        pending = connection._review_source_keys = set()
        transaction.on_commit(_renew_pending)
    pending.add(key)


def _renew_pending() -> None:
    connection = transaction.get_connection()
    for key in getattr(connection, "_review_source_keys", None) or ():
        django_cache.set(key, uuid.uuid4().hex, None)
    connection._review_source_keys = None


def _changed_row(sender, instance, **kwargs) -> None:
    """``post_save``, ``post_delete`` and ``m2m_changed`` of any model: a row of the review's apps."""
    action = kwargs.get("action")
    if action and action.startswith("pre_"):
        return  # m2m_changed's pre_add, pre_remove, pre_clear: the post_ one follows
    meta = getattr(instance, "_meta", None)
    if meta is None or meta.app_label not in SOURCE_APPS:
        return
    if meta.label == "commitments.Compact":
        review_sources_changed(compact_id=instance.pk)
    elif getattr(instance, "compact_id", None) is not None:
        review_sources_changed(compact_id=instance.compact_id)
    else:
        review_sources_changed()


def connect_signals() -> None:
    """Called by ReviewsConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed_row, dispatch_uid=f"reviews.sources.{id(signal)}")


@cache
def code_fingerprint() -> str:
    """What makes the HTML besides the data: the review's templates, the stylesheet, the Welsh
    translations, the renderer and its version (a deploy that changes one starts new hashes)."""
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, documents.weasyprint_version()):
        digest.update(part.encode())
    files = [documents.stylesheet_path(STYLESHEET)]
    for folder in (*settings.TEMPLATES[0]["DIRS"], *settings.LOCALE_PATHS):
        root = Path(folder)
        files += sorted(root.glob("reviews/**/*.html")) + sorted(root.glob("**/LC_MESSAGES/django.mo"))
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def review_content_hash(compact, year: int, *, language: str, today: datetime.date | None = None) -> str:
    """The content hash of the review's PDF as the figures stand now, remembered while nothing it is
    made from has changed (see the module's docstring)."""
    today = today or timezone.localdate()
    key = ":".join(
        (
            "reviews:pdf-hash",
            str(compact.pk),
            str(year),
            language,
            today.isoformat(),
            code_fingerprint(),
            _token(_PORTAL),
            _token(compact.pk),
        )
    )
    digest = django_cache.get(key)
    if digest is None:
        digest = documents.content_hash(
            review_pdf_html(compact, year, language=language, today=today),
            stylesheet=STYLESHEET,
            version=RENDERER_VERSION,
        )
        django_cache.set(key, digest, HASH_CACHE_SECONDS)
    return digest


def review_document_request(compact, year: int, *, language: str, retry_failed: bool = False) -> ReviewDocument:
    """The stored PDF of the review as the figures stand now, claimed and queued if not made yet."""
    digest = review_content_hash(compact, year, language=language)
    return documents.document_request(
        REVIEW_PDF, compact=compact, year=year, language=language, content_hash=digest, retry_failed=retry_failed
    )


def review_document_rerender(document: ReviewDocument) -> None:
    documents.document_rerender(REVIEW_PDF, document)


def review_document_render(*, document_id: int) -> ReviewDocument | None:
    """Render one claimed review PDF and store it (the worker's task)."""
    return documents.document_render(REVIEW_PDF, document_id=document_id)
