"""The PDF of an edition: served from storage when it is made, otherwise a page that waits for it.

The web process never renders: it asks ``pdf.edition_document_request`` for the stored
document (claiming and queuing a render if there is none) and answers at once.
"""

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from commitments import pdf, selectors
from commitments.models import Edition, EditionDocument
from commitments.permissions import is_coordinator

# A published edition's PDF changes only when its signatories do; caches check back after this.
PUBLIC_MAX_AGE = 600
POLL_SECONDS = 2


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _edition(request: HttpRequest, slug: str, pk: int) -> Edition:
    compact = selectors.compact_get(slug=slug)
    return selectors.edition_get_for_user(user=request.user, compact=compact, pk=pk)


def _progress_redirect(edition: Edition) -> HttpResponse:
    return HttpResponseSeeOther(
        reverse("commitments:edition_pdf_progress", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edition_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Download the edition's PDF; while it is being made, go to the page that waits for it.

    POST asks for another attempt after a render failed.
    """
    edition = _edition(request, slug, pk)
    document = pdf.edition_document_request(edition, retry_failed=request.method == "POST")
    if request.method == "POST" or document.status != EditionDocument.Status.READY:
        return _progress_redirect(edition)

    etag = f'"{document.content_hash}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            stored = document.file.open("rb")
        except FileNotFoundError:
            # The row says READY but storage has lost the file: make it again.
            pdf.edition_document_rerender(document)
            return _progress_redirect(edition)
        response = FileResponse(
            stored, as_attachment=True, filename=pdf.download_filename(edition), content_type="application/pdf"
        )
    response["ETag"] = etag
    if edition.is_draft:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
def edition_pdf_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """'Preparing the PDF'. The page's script asks again (``?format=json``) every few seconds and
    offers the download once it is ready; without script, a link checks again. No automatic
    page refresh: a page that reloads itself fails WCAG 2.2.1."""
    edition = _edition(request, slug, pk)
    document = pdf.edition_document_request(edition)
    if request.GET.get("format") == "json":
        response = JsonResponse({"status": document.status})
        add_never_cache_headers(response)
        return response
    response = render(
        request,
        "commitments/edition_pdf_progress.html",
        {
            "compact": edition.compact,
            "edition": edition,
            "document": document,
            "is_pending": document.status == EditionDocument.Status.PENDING,
            "is_ready": document.status == EditionDocument.Status.READY,
            "is_failed": document.status == EditionDocument.Status.FAILED,
            "poll_seconds": POLL_SECONDS,
            "is_coordinator": is_coordinator(request.user, edition.compact),
        },
    )
    add_never_cache_headers(response)
    return response
