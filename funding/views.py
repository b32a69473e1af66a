"""Funding-change notices: the list, recording one, reading one, correcting one.

Who may see or do what is asked of ``funding.permissions`` (through ``funding.selectors`` for
reads: a notice that is not the user's is a 404); writes go through ``funding.services``.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.models import Sector
from compact_portal.filtering import filter_query
from compact_portal.forms import posted_data
from compact_portal.uploads import file_download
from funding import permissions, registry, selectors, services
from funding.filters import NoticeFilter
from funding.forms import NoticeForm, StepForm
from funding.models import FundingNotice, NoticeStep
from signatories.models import Organisation
from signatories.selectors import SEARCH_LIMIT, organisations_matching

PER_PAGE = 50
SEARCH_RESULTS_LIMIT = SEARCH_LIMIT


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _with_query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def _add_errors(form: NoticeForm, error: ValidationError) -> None:
    """A service's refusal, shown against the question it is about (or the whole form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- The list -----------------------------------------------------------------------------------------


@require_GET
@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    filterset = NoticeFilter(request.GET, user=request.user)
    page, rows = selectors.notice_page(
        filterset.qs, compliance=filterset.chosen_compliance, page_number=request.GET.get("page"), per_page=PER_PAGE
    )
    return render(
        request,
        "funding/notice_list.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html shows an error summary for an unknown choice
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": rows,
            "part_counts": selectors.part_counts(filterset.qs) if page.paginator.count else [],
            "filter_query": filter_query(request, filterset),
            "can_record": permissions.can_record(request.user),
        },
    )


# --- Recording a notice -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    """Two steps in one address: find the organisation receiving notice (``?q=``), then say what
    changes, when and why (``?recipient=<pk>``)."""
    if not permissions.can_record(request.user):
        raise PermissionDenied
    here = reverse("funding:create")
    recipient_pk = _int_or_none(request.GET.get("recipient"))
    if recipient_pk is None:
        return _choose_recipient(request, here)
    recipient = get_object_or_404(Organisation, pk=recipient_pk, sector=Sector.VCS)

    compacts = list(selectors.compacts_with_current_edition())
    if not compacts:
        return render(request, "funding/no_compact.html")
    form = NoticeForm(posted_data(request), issuers=list(selectors.public_bodies_of(request.user)), compacts=compacts)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(
                issuer=form.chosen_issuer,
                recipient=recipient,
                compact=form.chosen_compact,
                by=request.user,
                **form.notice_fields,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _say_recorded(request, notice)
            return redirect(notice)
    return render(
        request,
        "funding/notice_form.html",
        {
            "form": form,
            "recipient": recipient,
            "issuer": form.fixed_issuer,
            "compact": form.fixed_compact,
            "back_url": _with_query(here, q=recipient.name),
            "change_recipient_url": here,
        },
    )


def _choose_recipient(request: HttpRequest, here: str) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL characters
    results = list(organisations_matching(query, sector=Sector.VCS, limit=SEARCH_RESULTS_LIMIT))
    return render(
        request,
        "funding/choose_recipient.html",
        {"query": query, "results": results, "limit": SEARCH_RESULTS_LIMIT, "here": here},
    )


def _say_recorded(request: HttpRequest, notice: FundingNotice) -> None:
    if selectors.notice_compliance(notice).compliant:
        text = _("The notice to %(organisation)s has been recorded.")
    else:
        text = _("The notice to %(organisation)s has been recorded. It does not meet the Compact: see why below.")
    messages.success(request, text % {"organisation": notice.recipient.name})


# --- One notice ---------------------------------------------------------------------------------------


@require_GET
@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    compliance = selectors.notice_compliance(notice)
    return render(
        request,
        "funding/notice_detail.html",
        {
            "notice": notice,
            "compliance": compliance,
            "parts": selectors.part_rows(selectors.notice_parts(notice)),
            "timeline": selectors.notice_timeline(notice),
            "can_reply": permissions.can_reply(request.user, notice),
            "can_respond": permissions.can_respond(request.user, notice),
            "can_edit": permissions.can_edit(request.user, notice),
            "can_raise_concern": permissions.can_raise_concern(request.user, notice, compliant=compliance.compliant),
            "coordinator_notes": registry.coordinator_notes(notice, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct what was recorded. Who gave notice, to whom and under which Compact stay as recorded."""
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    if not permissions.can_edit(request.user, notice):
        raise PermissionDenied
    form = NoticeForm(posted_data(request), notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(notice=notice, by=request.user, **form.notice_fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your changes to the notice have been saved."))
            return redirect(notice)
    return render(
        request,
        "funding/notice_form.html",
        {
            "form": form,
            "notice": notice,
            "recipient": notice.recipient,
            "issuer": notice.issuer,
            "compact": notice.compact,
            "back_url": notice.get_absolute_url(),
        },
    )


# --- The right of reply -------------------------------------------------------------------------------


def _step_add(request: HttpRequest, pk: int, *, side: str) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    if side == NoticeStep.Side.RECIPIENT:
        allowed, kinds = permissions.can_reply(request.user, notice), NoticeStep.RECIPIENT_KINDS
    else:
        allowed, kinds = permissions.can_respond(request.user, notice), NoticeStep.ISSUER_KINDS
    if not allowed:
        raise PermissionDenied
    form = StepForm(posted_data(request), request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_record(
                notice=notice,
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
                file_name=form.file_name,
                timetable=form.timetable,
            )
        except services.StepError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(what)s has been added to the timeline.") % {"what": step.get_kind_display()})
            return redirect(f"{notice.get_absolute_url()}#timeline")
    return render(
        request,
        "funding/step_form.html",
        {"form": form, "notice": notice, "side": side, "back_url": notice.get_absolute_url()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving organisation replies, asks for a meeting or proposes an improvement timetable."""
    return _step_add(request, pk, side=NoticeStep.Side.RECIPIENT)


@require_http_methods(["GET", "POST"])
@login_required
def notice_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The public body records its consideration and its decision (or offers a timetable)."""
    return _step_add(request, pk, side=NoticeStep.Side.ISSUER)


@require_GET
@login_required
def step_file(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = selectors.step_get_for_user(user=request.user, notice_pk=pk, pk=step_pk)
    return file_download(step.file, private=True)
