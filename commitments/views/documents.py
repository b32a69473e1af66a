"""The PDF of an edition: served from storage when it is made, otherwise a page that waits for it.

The web process never renders: it asks ``pdf.edition_document_request`` for the stored
document (claiming and queuing a render if there is none) and answers at once.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments import pdf, selectors
from commitments.models import Edition, EditionDocument
from commitments.permissions import is_coordinator
from compact_portal import documents

# A published edition's PDF changes only when its signatories do; caches check back after this.
PUBLIC_MAX_AGE = 600
# What the progress page (documents/progress.html) says.
PROGRESS_TEXTS = documents.pdf_progress_texts(
    _("We are making the PDF of this edition. This usually takes a few seconds.")
)


HttpResponseSeeOther = documents.HttpResponseSeeOther


def _edition(request: HttpRequest, slug: str, pk: int) -> Edition:
    compact = selectors.compact_get(slug=slug)
    return selectors.edition_get_for_user(user=request.user, compact=compact, pk=pk)


def _url(name: str, edition: Edition, variant: str, language: str) -> str:
    """The address of one of the PDF's views: ``pdf/`` (English), ``pdf/cy/``, ``pdf/bilingual/signing/``…"""
    signing = "_signing" if variant == EditionDocument.Variant.SIGNING else ""
    kwargs = {"slug": edition.compact.slug, "pk": edition.pk}
    if language != EditionDocument.Language.ENGLISH:
        return reverse(f"commitments:edition_pdf_language{signing}{name}", kwargs={**kwargs, "language": language})
    return reverse(f"commitments:edition_pdf{signing}{name}", kwargs=kwargs)


def _progress_url(edition: Edition, variant: str = "", language: str = "en") -> str:
    return _url("_progress", edition, variant, language)


def _download_url(edition: Edition, variant: str = "", language: str = "en") -> str:
    return _url("", edition, variant, language)


@require_http_methods(["GET", "HEAD", "POST"])
def edition_pdf(request: HttpRequest, slug: str, pk: int, variant: str = "", language: str = "en") -> HttpResponse:
    """Download the edition's PDF; while it is being made, go to the page that waits for it.

    POST asks for another attempt after a render failed. ``variant`` "signing" (its own address)
    is the PDF with signature blocks for a printed signing ceremony. ``language`` (in the address:
    ``pdf/cy/``, ``pdf/bilingual/``; English without) is the language it is written in.
    """
    edition = _edition(request, slug, pk)
    language = pdf.pdf_language(language)
    document = pdf.edition_document_request(
        edition, variant=variant, language=language, retry_failed=request.method == "POST"
    )
    if request.method == "POST" or not document.is_ready:
        return HttpResponseSeeOther(_progress_url(edition, variant, language))
    response = documents.document_response(
        request,
        document,
        filename=pdf.download_filename(edition, variant=variant, language=language),
        confidential=edition.is_draft,
        max_age=PUBLIC_MAX_AGE,
    )
    if response is None:
        # The row says READY but storage has lost the file: make it again.
        pdf.edition_document_rerender(document)
        return HttpResponseSeeOther(_progress_url(edition, variant, language))
    return response


@require_GET
def edition_pdf_progress(
    request: HttpRequest, slug: str, pk: int, variant: str = "", language: str = "en"
) -> HttpResponse:
    """'Preparing the PDF'. The page's script asks again (``?format=json``) every few seconds and
    offers the download once it is ready; without script, a link checks again."""
    edition = _edition(request, slug, pk)
    language = pdf.pdf_language(language)
    document = pdf.edition_document_request(edition, variant=variant, language=language)
    if request.GET.get("format") == "json":
        return documents.progress_json(document)
    response = render(
        request,
        "commitments/edition_pdf_progress.html",
        {
            "compact": edition.compact,
            "edition": edition,
            "texts": PROGRESS_TEXTS,
            "title_suffix": edition.compact.name,
            "show_error": is_coordinator(request.user, edition.compact),
            "retry_url": _download_url(edition, variant, language),
            **documents.progress_context(
                document,
                status_url=_progress_url(edition, variant, language),
                download_url=_download_url(edition, variant, language),
            ),
        },
    )
    add_never_cache_headers(response)
    return response
