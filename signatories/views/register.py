"""The public register of a Compact's signatories, its CSV download, and the coverage summary."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from commitments import selectors as compact_selectors
from commitments.permissions import is_coordinator
from compact_portal.filtering import filter_query
from signatories import csv_import, register_selectors
from signatories.filters import RegisterFilter
from signatories.models import Organisation

PER_PAGE = 50
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _filterset(request: HttpRequest, slug: str):
    compact = compact_selectors.compact_get(slug=slug)
    current = compact_selectors.edition_current(compact=compact)
    return compact, current, RegisterFilter(request.GET, compact=compact, current=current)


@require_GET
def register(request: HttpRequest, slug: str) -> HttpResponse:
    compact, current, filterset = _filterset(request, slug)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [register_selectors.register_row(signature) for signature in page.object_list]
    return render(
        request,
        "signatories/register.html",
        {
            "compact": compact,
            "current": current,
            "filter": filterset,
            "form": filterset.form,  # base.html shows an error summary for an unknown choice
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": rows,
            "filter_query": filter_query(request, filterset),
            "is_coordinator": is_coordinator(request.user, compact),
        },
    )


def csv_safe(value) -> str:
    """The value as text a spreadsheet shows as text: a leading ', when it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# The columns of the CSV download. Its headings are ones the signatory importer reads, so a
# download can be imported into another Compact ("edition signed" and "status" are ignored).
# The download is in the reader's language; the importer reads its headings in either.
HEADINGS = csv_import.DOWNLOAD_HEADINGS
CSV_COLUMNS = (
    (HEADINGS["name"], lambda row: row.organisation),
    (HEADINGS["sector"], lambda row: row.sector),
    (HEADINGS["organisation_type"], lambda row: row.organisation_type),
    (HEADINGS["charity_number"], lambda row: row.charity_number),
    (HEADINGS["company_number"], lambda row: row.company_number),
    (_("edition signed"), lambda row: row.edition),
    (HEADINGS["signed_on"], lambda row: row.signed_on.isoformat() if row.signed_on else ""),
    (HEADINGS["signatory_name"], lambda row: row.signatory_name),
    (HEADINGS["signatory_role"], lambda row: row.signatory_role),
    (_("status"), lambda row: row.status_label),
)


@require_GET
def register_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every row the filters select (not just one page), as a CSV a spreadsheet opens cleanly.

    UTF-8 with a byte-order mark, so that Excel shows accented names correctly; the importer
    accepts the same.
    """
    compact, _current, filterset = _filterset(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{compact.slug}-signatories.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(title) for title, _value in CSV_COLUMNS])
    for signature in filterset.qs:
        row = register_selectors.register_row(signature)
        writer.writerow([csv_safe(value(row)) for _title, value in CSV_COLUMNS])
    return response


@require_GET
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_selectors.compact_get(slug=slug)
    current = compact_selectors.edition_current(compact=compact)
    return render(
        request,
        "signatories/coverage.html",
        {"compact": compact, "coverage": register_selectors.coverage(compact=compact, current=current)},
    )


@require_GET
def organisation_public(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's public page, linked from the registers: what it is and which Compacts it signed.
    Only an organisation on a register has one (404 otherwise); no contact details are shown."""
    organisation = get_object_or_404(Organisation, pk=pk)
    signatures = list(register_selectors.organisation_public_signatures(organisation=organisation))
    if not signatures:
        raise Http404
    return render(
        request, "signatories/organisation_public.html", {"organisation": organisation, "signatures": signatures}
    )
