"""The annual review of a Compact: public, as the council publishes it. Page, PDF, CSV and ODS."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments import selectors as commitments_selectors
from commitments.permissions import is_coordinator
from compact_portal import documents
from compact_portal.dates import financial_year_label
from disputes.rules import MINIMUM_CASES_FOR_A_FIGURE
from monitoring import selectors as monitoring_selectors
from reviews import charts, exports, pdf, selectors

PUBLIC_MAX_AGE = 600
PROGRESS_TEXTS = {
    "pending": _("Preparing the PDF"),
    "pending_body": _("We are making the PDF of this annual review. This usually takes a few seconds."),
    "ready": _("Your PDF is ready"),
    "ready_status": _("Your PDF is ready. Use the button below to download it."),
    "download": _("Download the PDF"),
    "failed": _("The PDF could not be made"),
    "failed_body": _(
        "Something went wrong while the PDF was being prepared. You can try again now. "
        "If it fails again, contact the Compact team."
    ),
}


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _compact_and_year(slug: str, year: int | str | None, *, strict: bool):
    """The Compact and a year it has figures for: the asked year, or (not ``strict``) the newest."""
    compact = commitments_selectors.compact_get(slug=slug)
    today = timezone.localdate()
    years = monitoring_selectors.years_offered(compact=compact, today=today)
    try:
        chosen = int(year) if year not in (None, "") else None
    except ValueError:
        chosen = None
    if chosen not in years:
        if strict:
            raise Http404
        # The last whole year, when there is one: a review is of a year that has ended.
        chosen = years[1] if len(years) > 1 else years[0]
    return compact, chosen, years, today


@require_GET
def review(request: HttpRequest, slug: str) -> HttpResponse:
    """The annual review of the chosen financial year (``?year=2026``), for anyone."""
    compact, year, years, today = _compact_and_year(slug, request.GET.get("year"), strict=False)
    data = selectors.annual_review(compact=compact, year=year, today=today)
    return render(
        request,
        "reviews/review.html",
        {
            "compact": compact,
            "review": data,
            "charts": charts.review_charts(data),
            "years": [(choice, financial_year_label(choice)) for choice in years],
            "minimum": MINIMUM_CASES_FOR_A_FIGURE,
            "is_coordinator": is_coordinator(request.user, compact),
        },
    )


def _progress_url(compact, year: int) -> str:
    return reverse("reviews:pdf_progress", kwargs={"slug": compact.slug, "year": year})


def _download_url(compact, year: int) -> str:
    return reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": year})


@require_http_methods(["GET", "HEAD", "POST"])
def review_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Download the review's PDF in the reader's language; while it is made, the page that waits.
    POST asks for another attempt after a render failed."""
    compact, year, _years, _today = _compact_and_year(slug, year, strict=True)
    language = pdf.pdf_language()
    document = pdf.review_document_request(compact, year, language=language, retry_failed=request.method == "POST")
    if request.method == "POST" or not document.is_ready:
        return HttpResponseSeeOther(_progress_url(compact, year))
    response = documents.document_response(
        request,
        document,
        filename=pdf.download_filename(compact, year, language),
        confidential=False,
        max_age=PUBLIC_MAX_AGE,
    )
    if response is None:
        pdf.review_document_rerender(document)
        return HttpResponseSeeOther(_progress_url(compact, year))
    return response


@require_GET
def review_pdf_progress(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """'Preparing the PDF', then the download (documents/progress.html)."""
    compact, year, _years, _today = _compact_and_year(slug, year, strict=True)
    document = pdf.review_document_request(compact, year, language=pdf.pdf_language())
    if request.GET.get("format") == "json":
        return documents.progress_json(document)
    response = render(
        request,
        "reviews/pdf_progress.html",
        {
            "compact": compact,
            "year": year,
            "year_label": financial_year_label(year),
            "texts": PROGRESS_TEXTS,
            "title_suffix": compact.name,
            "show_error": is_coordinator(request.user, compact),
            "retry_url": _download_url(compact, year),
            **documents.progress_context(
                document, status_url=_progress_url(compact, year), download_url=_download_url(compact, year)
            ),
        },
    )
    add_never_cache_headers(response)
    return response


def _download(content, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _figures_name(compact, year: int, extension: str) -> str:
    language = pdf.pdf_language()
    return f"{compact.slug}-annual-review-{year}-{(year + 1) % 100:02d}-figures-{language}.{extension}"


@require_GET
def review_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The review's figures as CSV, a section after another, headers in the reader's language."""
    compact, year, _years, today = _compact_and_year(slug, year, strict=True)
    data = selectors.annual_review(compact=compact, year=year, today=today)
    return _download(
        "\ufeff" + exports.review_csv(data),
        content_type="text/csv; charset=utf-8",
        filename=_figures_name(compact, year, "csv"),
    )


@require_GET
def review_ods(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The review's figures as an OpenDocument spreadsheet, one sheet per section."""
    compact, year, _years, today = _compact_and_year(slug, year, strict=True)
    data = selectors.annual_review(compact=compact, year=year, today=today)
    return _download(
        exports.review_ods(data),
        content_type="application/vnd.oasis.opendocument.spreadsheet",
        filename=_figures_name(compact, year, "ods"),
    )
