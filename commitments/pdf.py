"""The printable PDF of an edition: its HTML, its content hash, and the WeasyPrint render.

A PDF is stored once per (edition, content hash) in an ``EditionDocument`` row. The web process
only computes the HTML and its hash and claims the row; a Celery worker renders the PDF. The
renderer may fetch nothing but the project's own static files (see ``StaticFilesURLFetcher``).

WeasyPrint is imported only where a PDF is rendered, so web processes that merely serve stored
PDFs do not load it.
"""

import datetime
import hashlib
import logging
import mimetypes
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as django_cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from commitments import selectors
from commitments.models import Edition, EditionDocument

logger = logging.getLogger(__name__)

# Bump when the PDF would change without its HTML changing (how the HTML is turned into a PDF).
# The stylesheet's text and WeasyPrint's version are hashed too, so neither needs a bump.
RENDERER_VERSION = "1"
STYLESHEET = "pdf/compact.css"
TEMPLATE = "commitments/pdf/edition.html"
PDF_VARIANT = "pdf/ua-1"
# Sets apart the organisation, name, role and date on a signatory's line in the annex: an em space.
ANNEX_GAP = "\u2003"
# A row still pending after this long lost its task (broker restarted, worker killed): queue it again.
PENDING_RETRY_AFTER = datetime.timedelta(minutes=10)
# How long a content hash is remembered for the data it was made from (see edition_content_hash).
HASH_CACHE_SECONDS = 24 * 60 * 60


class FetchRefused(ValueError):
    """The PDF renderer asked for something outside the project's static files."""


# --- Signatories (the signatories app will fill this in) -----------------------------------------


@dataclass(frozen=True)
class SignatoryRow:
    organisation: str
    signed_by: str
    role: str
    signed_on: datetime.date | None


@dataclass(frozen=True)
class SignatorySection:
    label: str  # a sector's name, e.g. "Voluntary and community sector"
    rows: list[SignatoryRow] = field(default_factory=list)


def edition_signatories_for_pdf(edition: Edition) -> list[SignatorySection]:
    """Who signed this edition, one section per sector (public bodies first), organisations by name.

    Only signatures that stand (SIGNED): a pending, rejected or withdrawn one is not printed.
    A sector nobody has signed for is left out; with none at all the annex says nobody has signed.
    """
    from commitments.models import Sector
    from signatories.register_selectors import edition_signed_signatures

    rows: dict[str, list[SignatoryRow]] = {Sector.PUBLIC.value: [], Sector.VCS.value: []}
    for signature in edition_signed_signatures(edition=edition):
        rows[signature.organisation.sector].append(
            SignatoryRow(
                organisation=signature.organisation.name,
                signed_by=signature.signatory_name,
                role=signature.signatory_role,
                signed_on=signature.signed_on,
            )
        )
    with translation.override(settings.LANGUAGE_CODE):  # like the rest of the PDF, whoever asks
        return [
            SignatorySection(label=str(Sector(sector).label), rows=sector_rows)
            for sector, sector_rows in rows.items()
            if sector_rows
        ]


# --- HTML and hash ---------------------------------------------------------------------------------


def _language_tag(code: str) -> str:
    """Django's ``en-gb`` as the BCP 47 tag a PDF reader expects, ``en-GB``."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def edition_pdf_html(edition: Edition, *, signatories: list[SignatorySection] | None = None) -> str:
    """The edition as one HTML document for WeasyPrint: title page, contents, text, annex.

    Always rendered in the site's default language, so the hash does not depend on who asked.
    """
    if signatories is None:
        signatories = edition_signatories_for_pdf(edition)
    signatories = [section for section in signatories if section.rows]
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "compact": edition.compact,
                "edition": edition,
                "contents": selectors.edition_contents(edition=edition),
                "signatories": signatories,
                "stylesheet": STYLESHEET,
                "language_tag": _language_tag(settings.LANGUAGE_CODE),
                "gap": ANNEX_GAP,
            },
        )


def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(f"The PDF stylesheet {STYLESHEET} is not in any static directory.")
    return Path(found)


def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def content_hash(html: str) -> str:
    """What the PDF depends on, hashed: the HTML, the stylesheet, the renderer and its version."""
    digest = hashlib.sha256()
    for part in (
        RENDERER_VERSION.encode(),
        _weasyprint_version().encode(),
        _stylesheet_path().read_bytes(),
        html.encode(),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


# --- Restricted URL fetcher ------------------------------------------------------------------------


def static_roots() -> list[Path]:
    """Every directory the staticfiles finders look in (STATICFILES_DIRS and apps' static/)."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


def static_file_for_url(url: str) -> Path:
    """The static file a ``file:`` URL points at, or ``FetchRefused``.

    Anything else is refused: other schemes (http, https, data…), other hosts, paths that leave
    a static directory (``..``, symbolic links), directories and missing files.
    """
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchRefused(f"Not a usable URL: {url!r}.") from error
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"Only the project's static files may be fetched, not {url!r}.")
    try:
        path = Path(url2pathname(parts.path)).resolve()
    except (ValueError, OSError) as error:  # a NUL byte, a symbolic link loop…
        raise FetchRefused(f"Not a usable file URL: {url!r}.") from error
    if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
        raise FetchRefused(f"{url!r} is not one of the project's static files.")
    return path


def _static_base_url() -> str:
    """The ``file:`` URL of the static directory holding the stylesheet, ending in a slash."""
    stylesheet = _stylesheet_path().resolve()
    root = stylesheet.parents[len(Path(STYLESHEET).parts) - 1]
    return root.as_uri() + "/"


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        """A WeasyPrint URL fetcher that reads the project's static files and nothing else.

        A refusal is logged and raised; WeasyPrint treats it as a failed fetch (the image or
        stylesheet is left out) and carries on.
        """

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            try:
                path = static_file_for_url(url)
            except FetchRefused:
                logger.warning("The PDF renderer was refused %s", url[:200])
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesURLFetcher


def static_url_fetcher():
    """A new restricted fetcher (a ``weasyprint.urls.URLFetcher``)."""
    return _fetcher_class()()


# --- Rendering -------------------------------------------------------------------------------------


def load_renderer() -> None:
    """Import WeasyPrint now (about half a second: it loads Pango and HarfBuzz through cffi).

    Called when a worker starts (``compact_portal.celery``), so the first PDF someone waits for
    does not pay for it; the worker's pool processes inherit it.
    """
    import weasyprint  # noqa: F401


def render_pdf(html: str) -> bytes:
    """The HTML as a tagged PDF/UA-1 document (title from <title>, language from <html lang>)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=_static_base_url(), url_fetcher=static_url_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def document_filename(document: EditionDocument) -> str:
    """The stored file's name: ``<compact-slug>-<edition-pk>-<hash[:12]>.pdf``."""
    return f"{document.edition.compact.slug}-{document.edition_id}-{document.content_hash[:12]}.pdf"


def download_filename(edition: Edition) -> str:
    """The name a person's browser saves the file as, e.g. ``riverside-compact-first-edition.pdf``."""
    return f"{slugify(f'{edition.compact.name} {edition.name}') or 'compact'}.pdf"


def _enqueue_render(document_id: int) -> None:
    from commitments.tasks import render_edition_document

    transaction.on_commit(lambda: render_edition_document.delay(document_id))


def _source_fingerprint(edition: Edition) -> str:
    """A digest of every row the PDF's HTML is made from (all their columns), in six small queries.

    Reading the rows costs milliseconds; rendering them into HTML costs a few hundred at the size of
    a real Compact with 500 signatories. Any change to a row (an edit, a new signatory, a renamed
    organisation) gives another fingerprint.
    """
    from signatories.register_selectors import edition_signed_signatures

    digest = hashlib.sha256()
    parts = (
        Edition.objects.filter(pk=edition.pk).values(),
        type(edition.compact).objects.filter(pk=edition.compact_id).values(),
        edition.principles.order_by("pk").values(),
        edition.outcomes.order_by("pk").values(),
        edition.undertakings.order_by("pk").values(),
        edition.codes_of_practice.order_by("pk").values(),
        edition_signed_signatures(edition=edition).values_list(
            "organisation__name", "organisation__sector", "signatory_name", "signatory_role", "signed_on"
        ),
    )
    for rows in parts:
        for row in rows:
            digest.update(repr(row).encode())
        digest.update(b"\x00")
    template = get_template(TEMPLATE).template.source  # the cached loader keeps it in memory
    for part in (RENDERER_VERSION, _weasyprint_version(), template, settings.LANGUAGE_CODE):
        digest.update(part.encode())
    digest.update(_stylesheet_path().read_bytes())
    return digest.hexdigest()


def edition_content_hash(edition: Edition, *, fresh: bool = False) -> str:
    """The content hash of the edition's PDF as it stands now.

    Building the HTML costs far more than serving the stored file, so the hash is remembered for a
    fingerprint of the rows the HTML is made from (``_source_fingerprint``): the same rows, the
    same HTML. ``fresh`` works it out from the HTML regardless (the render task does).
    """
    key = f"commitments:pdf-hash:{edition.pk}:{_source_fingerprint(edition)}"
    digest = None if fresh else django_cache.get(key)
    if digest is None:
        digest = content_hash(edition_pdf_html(edition))
        django_cache.set(key, digest, HASH_CACHE_SECONDS)
    return digest


def edition_document_request(edition: Edition, *, retry_failed: bool = False, fresh: bool = False) -> EditionDocument:
    """The stored PDF for the edition as it stands now, claimed and queued if it is not made yet.

    Returns the row: READY (serve its file), PENDING (a worker is on it) or FAILED (show the
    error; call again with ``retry_failed=True`` to queue another attempt). ``fresh`` ignores a
    remembered content hash (see ``edition_content_hash``).
    """
    digest = edition_content_hash(edition, fresh=fresh)
    with transaction.atomic():
        document, created = EditionDocument.objects.get_or_create(edition=edition, content_hash=digest)
        if created:
            _enqueue_render(document.pk)
            return document
        queued_again = False
        if document.status == EditionDocument.Status.FAILED and retry_failed:
            queued_again = EditionDocument.objects.filter(pk=document.pk, status=EditionDocument.Status.FAILED).update(
                status=EditionDocument.Status.PENDING, error="", requested_at=timezone.now()
            )
        elif document.status == EditionDocument.Status.PENDING:
            # The task may have been lost; the update claims the retry so only one caller queues it.
            now = timezone.now()
            queued_again = EditionDocument.objects.filter(
                pk=document.pk,
                status=EditionDocument.Status.PENDING,
                requested_at__lt=now - PENDING_RETRY_AFTER,
            ).update(requested_at=now)
        if queued_again:
            _enqueue_render(document.pk)
            document.refresh_from_db()
    return document


def edition_document_rerender(document: EditionDocument) -> None:
    """Queue a READY document again, when its stored file has gone missing."""
    with transaction.atomic():
        claimed = EditionDocument.objects.filter(pk=document.pk, status=EditionDocument.Status.READY).update(
            status=EditionDocument.Status.PENDING, file="", size=0, requested_at=timezone.now()
        )
        if claimed:
            logger.warning("The stored PDF %s (%s) is missing; rendering it again", document.pk, document.file.name)
            _enqueue_render(document.pk)


def edition_document_render(*, document_id: int) -> EditionDocument | None:
    """Render one claimed PDF and store it. Safe to run twice: a READY row is left alone.

    A failure is recorded on the row (FAILED, with the error) rather than raised, so the page
    can say so and offer to try again.
    """
    document = EditionDocument.objects.select_related("edition__compact").filter(pk=document_id).first()
    if document is None or document.status == EditionDocument.Status.READY:
        return document
    edition = document.edition
    try:
        html = edition_pdf_html(edition)
        if content_hash(html) != document.content_hash:
            # The edition (or its signatories) changed after this PDF was asked for. The next
            # request makes a row for the new content; this one can never be made.
            logger.info("Dropping PDF request %s: edition %s has changed since", document.pk, edition.pk)
            document.delete()
            return None
        started = time.monotonic()
        data = render_pdf(html)
        seconds = time.monotonic() - started
        storage = document.file.storage
        name = document.file.field.generate_filename(document, document_filename(document))
        if storage.exists(name):  # left by an earlier attempt that died before recording itself
            storage.delete(name)
        document.file.save(document_filename(document), ContentFile(data), save=False)
    except Exception as error:
        logger.exception("Could not render PDF %s of edition %s", document.pk, edition.pk)
        document.status = EditionDocument.Status.FAILED
        document.error = f"{type(error).__name__}: {error}"[:2000]
        document.save(update_fields=["status", "error"])
        return document
    document.status = EditionDocument.Status.READY
    document.size = len(data)
    document.error = ""
    document.rendered_at = timezone.now()
    document.render_seconds = round(seconds, 3)
    document.save(update_fields=["status", "file", "size", "error", "rendered_at", "render_seconds"])
    logger.info("Rendered PDF %s of edition %s in %.2fs (%d bytes)", document.pk, edition.pk, seconds, len(data))
    return document


# A PDF of content that has since changed is kept this long (someone may be downloading it).
SUPERSEDED_DOCUMENT_KEPT_FOR = datetime.timedelta(days=1)


def edition_documents_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored PDFs nobody can ask for any more, and their files; returns how many.

    Every change to an edition or its signatories makes a new PDF (a new content hash); the old
    ones are never served again. For each edition the newest READY document is kept, and so is
    every document requested in the last day or still being made; the rest go.
    """
    now = now or timezone.now()
    newest_ready = (
        EditionDocument.objects.filter(edition=OuterRef("edition"), status=EditionDocument.Status.READY)
        .order_by("-rendered_at", "-pk")
        .values("pk")[:1]
    )
    stale = (
        EditionDocument.objects.exclude(status=EditionDocument.Status.PENDING)
        .filter(requested_at__lt=now - SUPERSEDED_DOCUMENT_KEPT_FOR)
        .annotate(newest_ready=Subquery(newest_ready))
        .filter(Q(newest_ready__isnull=True) | ~Q(pk=F("newest_ready")))
    )
    removed = 0
    for document in stale.only("pk", "file"):
        if document.file:
            document.file.storage.delete(document.file.name)
        document.delete()
        removed += 1
    if removed:
        logger.info("Removed %s superseded PDF(s)", removed)
    return removed
