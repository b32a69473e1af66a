"""The document engine: HTML rendered into a tagged PDF by a worker, stored, and served.

Every printable document (an edition of a Compact, a formal challenge letter, the annual review)
is a row of a model built on ``RenderedDocument``: PENDING while a worker renders it, then READY
with its file, or FAILED with the error. What differs between them (the HTML, the file name, what
happens once the file is stored) is a ``DocumentKind``; everything else is here, once:

- the request is queued after the transaction commits (``document_queue``), and the same content
  asked for again is the same row, rendered once (``document_request``);
- a failed render can be tried again (``document_retry``);
- a row still PENDING after ``DocumentKind.lost_after`` lost its task (broker restarted, worker
  killed) and is queued again, when its page is asked for (``document_requeue_if_lost``) and by the
  15-minute sweep (``documents_requeue_lost``);
- the worker's render (``document_render``): safe to run twice, a failure recorded on the row;
- the ready file served (``document_response``) and the "being prepared" page's context and JSON
  (``progress_context``, ``progress_json``; template ``documents/progress.html``).

The renderer is WeasyPrint, whose URL fetcher may read the project's static files and nothing else
(no ``file://`` outside them, no other hosts). WeasyPrint is imported only where a PDF is rendered,
so web processes that merely serve stored PDFs do not load it (``load_renderer`` loads it when a
worker starts).
"""

import datetime
import gc
import hashlib
import logging
import mimetypes
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
# A render stops here: a large document renders in a few seconds, these limits stop a runaway one.
RENDER_SOFT_TIME_LIMIT = 120
RENDER_TIME_LIMIT = 150
# How often the page waiting for a document asks whether it is ready.
POLL_SECONDS = 2


class FetchRefused(ValueError):
    """The PDF renderer asked for something outside the project's static files."""


# --- The stored document ----------------------------------------------------------------------------


class RenderedDocument(models.Model):
    """A document rendered by a worker and stored. A subclass adds what the document is of, and
    its own ``file`` field with an ``upload_to``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What the PDF was made from, hashed (see ``content_hash``); set when asked for, or by the render.
    content_hash = models.CharField(max_length=64, blank=True)
    file = models.FileField(blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("Renders started, retries included."))
    # When the render was last queued (asked for, tried again, or queued again after a lost task).
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


class DocumentKind:
    """One kind of rendered document: what the engine asks the app that owns it.

    A subclass sets ``model`` and ``stylesheet`` and writes ``html``, ``filename`` and
    ``queue_render`` (which calls the app's Celery task with the row's id); ``changed`` and
    ``stored`` are optional.
    """

    model: type[RenderedDocument]
    # The stylesheet the HTML links to, relative to the static directory that holds it; the HTML's
    # relative URLs are resolved against that directory.
    stylesheet: str
    # Bump when the PDF would change without its HTML changing (how the HTML is turned into a PDF).
    renderer_version = "1"
    # A row still PENDING after this long lost its task: it is queued again.
    lost_after = datetime.timedelta(minutes=10)

    def __str__(self) -> str:
        return self.model._meta.label

    def queryset(self) -> models.QuerySet:
        """The rows, with what ``html`` and ``stored`` read (``select_related``)."""
        return self.model._default_manager.all()

    def html(self, document: RenderedDocument) -> str:
        raise NotImplementedError

    def filename(self, document: RenderedDocument) -> str:
        raise NotImplementedError

    def queue_render(self, document_id: int) -> None:
        """Send the app's render task for this row (called after commit)."""
        raise NotImplementedError

    def changed(self, document: RenderedDocument) -> None:
        """The content changed after the row was asked for (its hash no longer matches): the row
        can never be made. By default it is left FAILED; a kind may delete it instead."""
        raise DocumentChanged

    def stored(self, document: RenderedDocument) -> list[str]:
        """Called in the transaction that marks the row READY, the file saved; returns the names of
        any more fields it set on the row."""
        return []

    def hash(self, html: str) -> str:
        return content_hash(html, stylesheet=self.stylesheet, version=self.renderer_version)


class DocumentChanged(Exception):
    """The document's content changed after it was asked for."""

    def __str__(self) -> str:
        return "The content changed after the document was asked for."


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Make the kind known to the sweep that queues lost renders again (``documents_requeue_lost``).
    Each app registers its kinds when it is ready (its ``AppConfig.ready``)."""
    _kinds[str(kind)] = kind
    return kind


def registered_kinds() -> list[DocumentKind]:
    return list(_kinds.values())


# --- Request, retry, lost tasks ---------------------------------------------------------------------


def document_queue(kind: DocumentKind, document: RenderedDocument) -> None:
    """Queue the render of the row once the current transaction commits."""
    document_id = document.pk
    transaction.on_commit(lambda: kind.queue_render(document_id))


def document_request(kind: DocumentKind, *, retry_failed: bool = False, **fields) -> RenderedDocument:
    """The row with these fields (what the document is of, and its content hash), created and queued
    if there is none: the same content asked for again is the same document, rendered once.

    An existing row is returned as it is: READY (serve it), PENDING (queued again only if its task
    was lost) or FAILED (queued again only with ``retry_failed``).
    """
    # Most requests find the row (every download after the first): one query, no transaction.
    document = kind.model._default_manager.filter(**fields).first()
    if document is None:
        with transaction.atomic():
            document, created = kind.model._default_manager.get_or_create(**fields)
            if created:
                document_queue(kind, document)
                return document
    if document.is_failed and retry_failed:
        document_retry(kind, document)
    else:
        document_requeue_if_lost(kind, document)
    return document


def document_retry(kind: DocumentKind, document: RenderedDocument) -> bool:
    """Queue a FAILED row again; False when it had not failed (or another retry claimed it)."""
    with transaction.atomic():
        claimed = (
            kind.model._default_manager.filter(pk=document.pk, status=RenderedDocument.Status.FAILED).update(
                status=RenderedDocument.Status.PENDING, error="", requested_at=timezone.now()
            )
            > 0
        )
        if claimed:
            document_queue(kind, document)
    if claimed:
        document.refresh_from_db()
    return claimed


def _lost_before(kind: DocumentKind, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - kind.lost_after


def document_requeue_if_lost(kind: DocumentKind, document: RenderedDocument) -> bool:
    """Queue a PENDING row again when its task has had ``lost_after`` and not finished.

    The update claims the retry, so of two callers at the same moment only one queues it.
    """
    if document.status != RenderedDocument.Status.PENDING:
        return False
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            kind.model._default_manager.filter(
                pk=document.pk, status=RenderedDocument.Status.PENDING, requested_at__lt=_lost_before(kind, now)
            ).update(requested_at=now)
            > 0
        )
        if claimed:
            logger.warning("The render of %s %s was lost; queued again", kind, document.pk)
            document_queue(kind, document)
    if claimed:
        document.refresh_from_db()
    return claimed


def documents_requeue_lost(*, kinds: Iterable[DocumentKind] | None = None, now: datetime.datetime | None = None) -> int:
    """Queue again every PENDING row of every registered kind whose task was lost; returns how many.
    Run every 15 minutes by beat, so a lost render is made even if nobody opens its page."""
    now = now or timezone.now()
    queued = 0
    for kind in registered_kinds() if kinds is None else kinds:
        lost = kind.model._default_manager.filter(
            status=RenderedDocument.Status.PENDING, requested_at__lt=_lost_before(kind, now)
        )
        for document in lost.only("pk", "status", "requested_at"):
            with transaction.atomic():
                claimed = (
                    kind.model._default_manager.filter(
                        pk=document.pk,
                        status=RenderedDocument.Status.PENDING,
                        requested_at__lt=_lost_before(kind, now),
                    ).update(requested_at=now)
                    > 0
                )
                if claimed:
                    document_queue(kind, document)
            queued += claimed
    if queued:
        logger.warning("Queued %s lost document render(s) again", queued)
    return queued


def document_rerender(kind: DocumentKind, document: RenderedDocument) -> bool:
    """Queue a READY row again, when its stored file has gone missing."""
    with transaction.atomic():
        claimed = (
            kind.model._default_manager.filter(pk=document.pk, status=RenderedDocument.Status.READY).update(
                status=RenderedDocument.Status.PENDING, file="", size=0, requested_at=timezone.now()
            )
            > 0
        )
        if claimed:
            logger.warning(
                "The stored file of %s %s (%s) is missing; rendering it again", kind, document.pk, document.file.name
            )
            document_queue(kind, document)
    return claimed


# --- The worker's render ----------------------------------------------------------------------------


def document_render(kind: DocumentKind, *, document_id: int) -> RenderedDocument | None:
    """Render one row and store its file. Safe to run twice: a READY row is left alone.

    A failure is recorded on the row (FAILED, with the error) rather than raised, so the page can
    say so and offer to try again. A row whose content changed since it was asked for goes to
    ``kind.changed`` (returns None when that deleted it).
    """
    document = kind.queryset().filter(pk=document_id).first()
    if document is None or document.status == RenderedDocument.Status.READY:
        return document
    kind.model._default_manager.filter(pk=document.pk).update(attempts=models.F("attempts") + 1)
    document.attempts += 1
    try:
        html = kind.html(document)
        digest = kind.hash(html)
        if document.content_hash and digest != document.content_hash:
            logger.info("Dropping %s %s: its content has changed since it was asked for", kind, document.pk)
            kind.changed(document)
            return None
        document.content_hash = digest
        started = time.monotonic()
        data = render_pdf(html, stylesheet=kind.stylesheet)
        seconds = time.monotonic() - started
        filename = kind.filename(document)
        storage = document.file.storage
        name = document.file.field.generate_filename(document, filename)
        if storage.exists(name):  # left by an earlier attempt that died before recording itself
            storage.delete(name)
        document.file.save(filename, ContentFile(data), save=False)
        with transaction.atomic():
            extra = kind.stored(document)
            document.status = RenderedDocument.Status.READY
            document.size = len(data)
            document.error = ""
            document.rendered_at = timezone.now()
            document.render_seconds = round(seconds, 3)
            document.save(
                update_fields=[
                    "status",
                    "content_hash",
                    "file",
                    "size",
                    "error",
                    "rendered_at",
                    "render_seconds",
                    *extra,
                ]
            )
    except Exception as error:
        if not kind.model._default_manager.filter(pk=document.pk).exists():
            return None  # deleted by ``changed``
        logger.exception("Could not render %s %s", kind, document.pk)
        document.status = RenderedDocument.Status.FAILED
        document.error = f"{type(error).__name__}: {error}"[:2000]
        document.save(update_fields=["status", "error"])
        return document
    logger.info("Rendered %s %s in %.2fs (%d bytes)", kind, document.pk, seconds, len(data))
    return document


# --- Serving and the progress page ------------------------------------------------------------------


def document_response(
    request: HttpRequest,
    document: RenderedDocument,
    *,
    filename: str,
    confidential: bool,
    max_age: int = 600,
) -> HttpResponse | None:
    """The READY row's file as a download, or None when storage has lost it.

    A confidential document is ``private, no-store`` (kept by no browser or cache); any other is
    public for ``max_age`` seconds and revalidated by its content hash (an ETag).
    """
    etag = f'"{document.content_hash}"' if document.content_hash else None
    response = get_conditional_response(request, etag=etag) if etag and not confidential else None
    if response is None:
        try:
            stored = document.file.open("rb")
        except (FileNotFoundError, ValueError):  # ValueError: the row has no file at all
            return None
        response = FileResponse(stored, as_attachment=True, filename=filename, content_type="application/pdf")
    if confidential:
        patch_cache_control(response, private=True, no_store=True)
    else:
        if etag:
            response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def progress_json(document: RenderedDocument) -> HttpResponse:
    """What the progress page's script asks for every few seconds: ``{"status": "pending"}``."""
    response = JsonResponse({"status": document.status})
    add_never_cache_headers(response)
    return response


def progress_context(document: RenderedDocument, *, status_url: str, download_url: str) -> dict:
    """The context ``documents/progress.html`` needs, besides the texts its page fills in."""
    return {
        "document": document,
        "is_pending": document.is_pending,
        "is_ready": document.is_ready,
        "is_failed": document.is_failed,
        "poll_seconds": POLL_SECONDS,
        "status_url": status_url,
        "download_url": download_url,
    }


# --- HTML, hash and the restricted fetcher ----------------------------------------------------------


def language_tag(code: str) -> str:
    """Django's ``en-gb`` as the BCP 47 tag a PDF reader expects, ``en-GB``."""
    language, _sep, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def stylesheet_path(stylesheet: str) -> Path:
    found = finders.find(stylesheet)
    if not found:
        raise FileNotFoundError(f"The PDF stylesheet {stylesheet} is not in any static directory.")
    return Path(found)


def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def content_hash(html: str, *, stylesheet: str, version: str) -> str:
    """What a PDF depends on, hashed: the HTML, the stylesheet, the renderer and its version."""
    digest = hashlib.sha256()
    for part in (
        version.encode(),
        weasyprint_version().encode(),
        stylesheet_path(stylesheet).read_bytes(),
        html.encode(),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


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


# Pictures the HTML may carry inside itself (a cover's logos): checked and cleaned when uploaded,
# embedded as ``data:`` URIs so that the renderer fetches nothing to draw them.
DATA_IMAGE_TYPES = ("image/png", "image/jpeg")
DATA_IMAGE_MAX_BYTES = 2 * 1024 * 1024


def data_image_for_url(url: str) -> tuple[str, bytes]:
    """The type and bytes of a base64 ``data:image/png`` or ``data:image/jpeg`` URI, or ``FetchRefused``
    (any other data, such as a stylesheet, and anything larger than ``DATA_IMAGE_MAX_BYTES``)."""
    import base64
    import binascii

    header, comma, payload = url.partition(",")
    content_type = header[len("data:") :].removesuffix(";base64").lower()
    if (
        not comma
        or not header.lower().startswith("data:")
        or not header.lower().endswith(";base64")
        or content_type not in DATA_IMAGE_TYPES
        or len(payload) > DATA_IMAGE_MAX_BYTES * 4 // 3 + 4
    ):
        raise FetchRefused(f"Only PNG and JPEG pictures may be embedded, not {url[:60]!r}.")
    try:
        return content_type, base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise FetchRefused("An embedded picture that is not valid base64.") from error


def static_base_url(stylesheet: str) -> str:
    """The ``file:`` URL of the static directory holding the stylesheet, ending in a slash."""
    path = stylesheet_path(stylesheet).resolve()
    root = path.parents[len(Path(stylesheet).parts) - 1]
    return root.as_uri() + "/"


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        """A WeasyPrint URL fetcher that reads the project's static files, and PNG or JPEG pictures
        embedded in the HTML as ``data:`` URIs, and nothing else.

        A refusal is logged and raised; WeasyPrint treats it as a failed fetch (the image or
        stylesheet is left out) and carries on.
        """

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                try:
                    content_type, data = data_image_for_url(url)
                except FetchRefused:
                    logger.warning("The PDF renderer was refused %s", url[:60])
                    raise
                return URLFetcherResponse(url[:40], data, {"Content-Type": content_type})
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


# What a worker renders when it starts: a line in each registered kind's stylesheet, in both languages.
WARM_UP_HTML = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Warm-up</title>'
    '<link rel="stylesheet" href="{href}"></head><body><h1>Compact</h1><p>Undertaking 2.4 – '
    '<strong>consultation</strong> <em>12 weeks</em>.</p><p lang="cy">Ymgynghoriad ŵŷ.</p>'
    "<table><tr><th>1</th><td>2</td></tr></table></body></html>"
)


def load_renderer(*, warm_up: bool = True) -> None:
    """Import WeasyPrint now (about half a second: it loads Pango and HarfBuzz through cffi), then
    render a line with each registered kind's stylesheet, so that its fonts are found and loaded
    and WeasyPrint's first-use paths are run before anyone waits (a few tenths of a second more).

    Called when a worker starts (``start_worker``), so the first PDF someone waits for
    does not pay for it; the worker's pool processes inherit it. A warm-up that fails is logged
    and forgotten: the real render will say what is wrong.
    """
    import weasyprint  # noqa: F401

    if not warm_up:
        return
    for stylesheet in sorted({kind.stylesheet for kind in registered_kinds()}):
        try:
            render_pdf(WARM_UP_HTML.format(href=stylesheet), stylesheet=stylesheet)
        except Exception:
            logger.warning("Could not warm up the PDF renderer with %s", stylesheet, exc_info=True)


def start_worker() -> None:
    """What a worker does when it starts (``compact_portal.celery``), before it takes a task: load
    each language's messages (``compact_portal.translations.load_catalogues``: the reminders are
    written in both), load and warm up the renderer (``load_renderer``), then freeze what is alive
    by then.

    ``gc.freeze`` moves every object alive after the warm-up (Django, the apps, WeasyPrint and its
    fonts: about 190,000) out of the garbage collector's reach. A render makes hundreds of
    thousands of objects, so the collector runs its oldest generation once or twice per PDF; each
    of those walked every object of the process, a tenth of a second or more of a one-second
    render (more in a bigger process). Frozen, it walks only what came after. The objects are
    still used; they are only never collected, which is what a worker's start-up objects are for
    its whole life (and a forked pool process then shares their pages instead of copying them).
    """
    from compact_portal.translations import load_catalogues

    load_catalogues()  # each language's messages, without the empty catalogues behind them
    load_renderer()
    gc.collect()  # the warm-up's garbage, not frozen with the rest
    gc.freeze()


# CPython 3.11 to 3.13 keep Python frames in chunks of 16 KiB, each mapped (mmap) when a call needs
# one and unmapped when the first frame in it returns. WeasyPrint lays a document out by deep
# recursion that goes up and down all the time; when a chunk boundary falls in the depths it goes
# through, every descent past it maps a new chunk (and faults its pages in) and every return unmaps
# it: tens of thousands of times per PDF, 10 to 30 % of the render. Where the boundaries fall
# depends on how deep the caller already is: the render in the worker's task (Celery, the task, the
# engine) crossed one 23,000 times where the same render from a shallow stack crossed a few hundred
# (python/cpython#142183; 3.14 keeps one chunk back). ``on_a_stack_chunk_of_its_own`` calls the
# render from a frame that reserves more than half of a 512 KiB chunk for its value stack (never
# used: reserving it is free, its slots are not cleared), so the frame starts a chunk of its own
# and the rest of that chunk, about 260 KiB (a thousand frames: Python's whole recursion limit),
# holds every frame of the render, wherever it is called from.
OWN_CHUNK_FRAME_SLOTS = 32_000  # 8 bytes each: just over half of a 512 KiB chunk


def _roomy_call(function):
    return function()


_roomy_call.__code__ = _roomy_call.__code__.replace(co_stacksize=OWN_CHUNK_FRAME_SLOTS)


def on_a_stack_chunk_of_its_own(function):
    """``function()``, called from a frame that gives it a data-stack chunk of its own (see above)."""
    return _roomy_call(function)


@cache
def _tag_structure_languages() -> None:
    """Give each structure element of the tagged PDF the language of its HTML element (``/Lang``).

    WeasyPrint (70) writes ``<html lang>`` into the catalogue but not an element's own ``lang``, so a
    screen reader would read an English block of a Welsh PDF with Welsh pronunciation. Its tag
    builder is one recursive generator (``weasyprint.pdf.tags._build_box_tree``) that yields the
    structure element made for each box; this wraps it to copy the box's ``lang`` onto that
    element. A private function: tests/commitments/test_pdf_languages.py reads the tags back, so
    an upgrade that changes it fails there (docs/decisions/0018).
    """
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_languages(box, parent, *args, **kwargs):
        element = getattr(box, "element", None)
        language = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            language = element.get("lang")
        for structure in build(box, parent, *args, **kwargs):
            if language and "Lang" not in structure:
                structure["Lang"] = pydyf.String(language)
            yield structure

    tags._build_box_tree = build_with_languages


def render_pdf(html: str, *, stylesheet: str) -> bytes:
    """The HTML as a tagged PDF/UA-1 document (title from <title>, language from <html lang>).

    Relative URLs in the HTML (its stylesheet, images) are resolved against the static directory
    holding ``stylesheet``; the fetcher reads the project's static files and nothing else.
    """
    from weasyprint import HTML

    _tag_structure_languages()
    base_url, fetcher = static_base_url(stylesheet), static_url_fetcher()
    return on_a_stack_chunk_of_its_own(
        lambda: HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    )


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: after a POST (or a request for a document still being made), the browser GETs the
    page that waits for it."""

    status_code = 303


def pdf_progress_texts(pending_body) -> dict:
    """What the progress page (documents/progress.html) says while a PDF is made, with the
    document's own sentence for the wait ("We are making the PDF of this edition…")."""
    return {
        "pending": _("Preparing the PDF"),
        "pending_body": pending_body,
        "ready": _("Your PDF is ready"),
        "ready_status": _("Your PDF is ready. Use the button below to download it."),
        "download": _("Download the PDF"),
        "failed": _("The PDF could not be made"),
        "failed_body": _(
            "Something went wrong while the PDF was being prepared. You can try again now. "
            "If it fails again, contact the Compact team."
        ),
    }
