"""The national body's pages: the directory of Compacts (with its CSV) and who holds the national role."""

import csv
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from compact_portal.filtering import filter_query
from compact_portal.forms import ConfirmForm, posted_data
from national import selectors, services
from national.filters import DirectoryFilter, IndicatorFilter
from national.forms import GrantForm
from national.models import NationalRole
from national.permissions import can_manage_national_roles, can_view_national

PER_PAGE = 50
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _national_only(request: HttpRequest) -> None:
    if not can_view_national(request.user):
        raise PermissionDenied


def _sorting(request: HttpRequest) -> tuple[str, bool]:
    key = request.GET.get("sort", "")
    if key not in selectors.COLUMNS_BY_KEY:
        key = selectors.DEFAULT_SORT
    return key, request.GET.get("order") == "desc"


def _sorted_rows(request: HttpRequest, filterset: DirectoryFilter) -> tuple[list, str, bool]:
    key, descending = _sorting(request)
    rows = selectors.sort_rows(filterset.rows(today=timezone.localdate()), key=key, descending=descending)
    return rows, key, descending


def _headings(filters: str, key: str, descending: bool) -> list[dict]:
    """Each column's heading with the link that sorts by it (the other way round when it is the sort)."""
    headings = []
    for column in selectors.COLUMNS:
        current = column.key == key
        order = "asc" if current and descending else ("desc" if current else "asc")
        query = "&".join(part for part in (filters, urlencode({"sort": column.key, "order": order})) if part)
        headings.append(
            {
                "column": column,
                "href": f"?{query}",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headings


@require_GET
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Every Compact, where it stands and who signed: for the national body (and superusers)."""
    _national_only(request)
    filterset = DirectoryFilter(request.GET, request=request)
    rows, key, descending = _sorted_rows(request, filterset)
    filters = filter_query(request, filterset)
    sort_query = urlencode({"sort": key, "order": "desc" if descending else "asc"})
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "national/directory.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html shows an error summary for an unknown choice
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": page.object_list,
            "headings": _headings(filters, key, descending),
            "filter_query": "&".join(part for part in (filters, sort_query) if part),
            "can_manage_roles": can_manage_national_roles(request.user),
        },
    )


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


CSV_COLUMNS = (
    (gettext_lazy("Compact"), lambda row: row.compact.name),
    (gettext_lazy("Area"), lambda row: row.compact.area),
    (gettext_lazy("Nation"), lambda row: row.nation_label),
    (gettext_lazy("ONS code"), lambda row: row.compact.ons_code),
    (gettext_lazy("Contact email"), lambda row: row.compact.contact_email),
    (gettext_lazy("Contact phone"), lambda row: row.compact.contact_phone),
    (gettext_lazy("Status"), lambda row: row.status_label),
    (gettext_lazy("Current edition"), lambda row: row.current_name),
    (
        gettext_lazy("Current edition published"),
        lambda row: row.current_published_on.isoformat() if row.current_published_on else "",
    ),
    (gettext_lazy("Review period (years)"), lambda row: row.compact.review_period_years),
    (gettext_lazy("Public bodies signed"), lambda row: row.public_signatories),
    (gettext_lazy("Voluntary organisations signed"), lambda row: row.vcs_signatories),
)


@require_GET
@login_required
def directory_csv(request: HttpRequest) -> HttpResponse:
    """Every row the filters select (not just one page), in the page's order; UTF-8 with a byte-order mark."""
    _national_only(request)
    filterset = DirectoryFilter(request.GET, request=request)
    rows, _key, _descending = _sorted_rows(request, filterset)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="compacts-directory.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(title) for title, _value in CSV_COLUMNS])
    for row in rows:
        writer.writerow([csv_safe(value(row)) for _title, value in CSV_COLUMNS])
    return response


@require_http_methods(["GET", "POST"])
@login_required
def roles(request: HttpRequest) -> HttpResponse:
    """Who is in the national body; give the role to someone with an account."""
    if not can_manage_national_roles(request.user):
        raise PermissionDenied
    form = GrantForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            role = services.national_role_grant(email=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("%(name)s is now in the national body.") % {"name": role.user})
            return redirect("national:roles")
    live = NationalRole.objects.filter(revoked_at__isnull=True).select_related("user", "granted_by")
    past = NationalRole.objects.filter(revoked_at__isnull=False).select_related("user", "granted_by", "revoked_by")
    return render(
        request,
        "national/roles.html",
        {"form": form, "live": list(live), "past": list(past.order_by("-revoked_at")[:50])},
    )


@require_http_methods(["GET", "POST"])
@login_required
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_national_roles(request.user):
        raise PermissionDenied
    role = get_object_or_404(NationalRole.objects.select_related("user"), pk=pk, revoked_at__isnull=True)
    form = ConfirmForm(posted_data(request), submit_label=_("Take the role away"), warning=True)
    if request.method == "POST" and form.is_valid():
        services.national_role_revoke(role=role, by=request.user)
        messages.success(request, _("%(name)s is no longer in the national body.") % {"name": role.user})
        return redirect("national:roles")
    return render(request, "national/role_revoke.html", {"role": role, "form": form})


# --- The measures side by side ---------------------------------------------------------------------------


def _comparison(request: HttpRequest):
    today = timezone.localdate()
    filterset = IndicatorFilter(request.GET, today=today, request=request)
    from monitoring.indicators import INDICATORS

    keys = {item.key for item in INDICATORS} | {"name", "nation", "status"}
    key = request.GET.get("sort", "")
    key = key if key in keys else "name"
    descending = request.GET.get("order") == "desc"
    rows, medians = selectors.comparison(filterset.rows(today=today), year=filterset.chosen_year, today=today)
    return filterset, selectors.sort_comparison(rows, key=key, descending=descending), medians, key, descending


def _indicator_headings(filters: str, key: str, descending: bool) -> list[dict]:
    from monitoring.indicators import INDICATORS

    columns = [
        (column.key, column.heading, False)
        for column in selectors.COLUMNS
        if column.key in ("name", "nation", "status")
    ]
    columns += [(item.key, item.title, True) for item in INDICATORS]
    headings = []
    for column_key, heading, numeric in columns:
        current = column_key == key
        order = "asc" if current and descending else ("desc" if current else "asc")
        query = "&".join(part for part in (filters, urlencode({"sort": column_key, "order": order})) if part)
        headings.append(
            {
                "key": column_key,
                "heading": heading,
                "numeric": numeric,
                "href": f"?{query}",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headings


@require_GET
@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """Every Compact's measures for a financial year, side by side, with the national median."""
    _national_only(request)
    filterset, rows, medians, key, descending = _comparison(request)
    filters = filter_query(request, filterset)
    from compact_portal.dates import financial_year_label
    from monitoring.indicators import INDICATORS, kept_while_unchanged

    def write_rows() -> str:
        memo: dict = {}
        table = [(row, _figure_cells(row.values, memo)) for row in rows]
        return render_to_string("national/indicator_rows.html", {"table": table}, request)

    # The written rows are kept while nothing they show changes: the figures' version, the day
    # (statuses and what is due depend on it), the language, the year, the filters and the order.
    asked = [str(filterset.chosen_year), timezone.localdate().isoformat(), translation.get_language() or ""]
    asked += [key, "desc" if descending else "asc", filters]
    kept_as = "indicator-rows:" + hashlib.sha256("\x1f".join(asked).encode()).hexdigest()
    return render(
        request,
        "national/indicators.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "rows": rows,
            "table_rows": mark_safe(kept_while_unchanged(kept_as, write_rows)),  # noqa: S308 - a template wrote it
            "medians": medians,
            "indicators": INDICATORS,
            "headings": _indicator_headings(filters, key, descending),
            "year": filterset.chosen_year,
            "year_label": financial_year_label(filterset.chosen_year),
            "csv_query": "&".join(
                part for part in (filters, urlencode({"sort": key, "order": "desc" if descending else "asc"})) if part
            ),
        },
    )


def _figure_cells(values, memo: dict) -> str:
    """A row's figures as table cells, written here rather than by a template loop: 200 Compacts by
    10 measures are 2,000 cells, most of the page's time; the same figure is worded once (``memo``)."""
    cells = []
    for value in values:
        key = (value.indicator.unit, value.value, value.suppressed)
        text = memo.get(key)
        if text is None:
            text = memo[key] = conditional_escape(value.display())
        cells.append(f'<td class="govuk-table__cell govuk-table__cell--numeric">{text}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - each figure is escaped above


def _figure(value) -> str:
    """A value for the spreadsheet: the number (one decimal place at most), or why there is none."""
    if value.suppressed:
        return _("Fewer than 3")
    if value.value is None:
        return ""
    return str(round(value.value, 1)).removesuffix(".0")


@require_GET
@login_required
def indicators_csv(request: HttpRequest) -> HttpResponse:
    """The table as filtered and sorted, the national median last; UTF-8 with a byte-order mark."""
    _national_only(request)
    filterset, rows, medians, _key, _descending = _comparison(request)
    from compact_portal.dates import financial_year_label
    from monitoring.indicators import INDICATORS

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    label = financial_year_label(filterset.chosen_year)
    response["Content-Disposition"] = f'attachment; filename="compact-measures-{filterset.chosen_year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Compact"), _("Nation"), _("Status"), _("Financial year")] + [str(item.title) for item in INDICATORS]
    )
    for row in rows:
        writer.writerow(
            [csv_safe(row.row.compact.name), row.row.nation_label, row.row.status_label, label]
            + [_figure(value) for value in row.values]
        )
    writer.writerow([_("National median"), "", "", label] + [_figure(value) for value in medians])
    return response
