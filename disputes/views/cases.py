"""Breach concerns: the list of the user's cases, raising one, its page, moving it on, adding to
its timeline, its files and who has read it.

Every case is read through ``disputes.selectors.case_get_for_user`` (404 to anyone who is not a
party or the coordinator); every change goes through ``disputes.services``.
"""

import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.models import Compact, Edition, Undertaking
from compact_portal.forms import posted_data
from compact_portal.throttle import by_user, throttle
from compact_portal.uploads import file_download
from consultations import selectors as consultation_selectors
from disputes import permissions, rules, selectors, services
from disputes.forms import OWN_ORGANISATION, CaseForm, CheckForm, EntryForm, MoveForm, RespondentSearchForm
from disputes.models import Case, Check
from funding import selectors as funding_selectors
from signatories.models import Organisation
from signatories.selectors import SEARCH_LIMIT, organisations_matching


def today():
    """Today in Europe/London (tests set it)."""
    return timezone.localdate()


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _move_label(move: str) -> str:
    labels = {
        Case.Stage.FORMAL: _("Make a formal written challenge"),
        Case.Stage.MEDIATION: _("Ask for independent mediation"),
        Case.Stage.ESCALATED: _("Escalate it outside the Compact"),
        "closed:resolved": _("Close it as resolved"),
        "closed:not_upheld": _("Close it as not upheld"),
        "closed:withdrawn": _("Withdraw the concern"),
    }
    return labels.get(move, move)


MOVE_ORDER = ["formal", "mediation", "escalated", "closed:resolved", "closed:not_upheld", "closed:withdrawn"]
PER_PAGE = 50


# --- The list ---------------------------------------------------------------------------------------


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    page, cases = selectors.case_page(
        selectors.cases_for_user(user), page_number=request.GET.get("page"), per_page=PER_PAGE
    )
    # The same answer as selectors.complainant_label, worked out once for the whole list rather
    # than with a query per row: the name is shown unless withheld from this user's side.
    own = set(user.memberships.values_list("organisation_id", flat=True))
    coordinated = (
        None if user.is_superuser else set(Compact.objects.filter(coordinators=user).values_list("pk", flat=True))
    )
    rows = []
    for case in cases:
        if case.complainant_id in own:
            side = rules.COMPLAINANT
        elif coordinated is None or case.compact_id in coordinated:
            side = rules.COORDINATOR
        else:
            side = rules.RESPONDENT
        name = rules.complainant_name(name=case.complainant.name, withhold_name=case.withhold_name, side=side)
        rows.append({"case": case, "complainant": name})
    return render(
        request,
        "disputes/list.html",
        {
            "rows": rows,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filter_query": "",
        },
    )


# --- Raising a concern ------------------------------------------------------------------------------


def _current_undertakings() -> list[Undertaking]:
    """The undertakings of each Compact's current edition (the latest published one)."""
    current = []
    for compact in Compact.objects.order_by("name"):
        edition = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
        if edition is not None:
            current.append(edition.pk)
    return list(
        Undertaking.objects.filter(edition_id__in=current)
        .select_related("edition__compact", "outcome")
        .order_by("edition__compact__name", "edition_id", "sector", "outcome__number", "position")
    )


def _source(request: HttpRequest) -> dict:
    """What ``?consultation=`` or ``?funding=`` says the concern is about, when the user may see that
    object: the organisation it is about, the object itself (for the case) and what to prefill."""
    consultation_pk = request.GET.get("consultation", "")
    funding_pk = request.GET.get("funding", "")
    if consultation_pk.isdigit():
        consultation = consultation_selectors.consultation_or_none(pk=int(consultation_pk))
        if consultation is not None:  # consultations are public
            return {
                "respondent": consultation.organisation,
                "kwargs": {"source_consultation": consultation},
                "summary": (
                    _("The consultation ‘%(title)s’ did not keep to the Compact.") % {"title": consultation.title}
                )[:200],
                "theme": "consultation",
                "compact_id": consultation.compact_id,
                "organisation_id": None,
            }
    elif funding_pk.isdigit():
        notice = funding_selectors.notice_for_user(user=request.user, pk=int(funding_pk))
        if notice is not None:
            return {
                "respondent": notice.issuer,
                "kwargs": {"source_funding_notice": notice},
                "summary": _("The change to our funding did not keep to the Compact."),
                "theme": "funding",
                "compact_id": notice.compact_id,
                "organisation_id": notice.recipient_id,
            }
    return {}


def _prefill(source: dict, undertakings: list[Undertaking], organisations: list[Organisation]) -> dict:
    """Initial answers from the consultation or funding notice the concern is about."""
    if not source:
        return {}
    initial: dict = {"summary": source["summary"]}
    if source["organisation_id"] in {o.pk for o in organisations}:
        initial["organisation"] = str(source["organisation_id"])
    for undertaking in undertakings:
        if undertaking.edition.compact_id == source["compact_id"] and source["theme"] in (undertaking.themes or []):
            key = f"undertakings_{undertaking.edition_id}_{undertaking.sector}"
            initial.setdefault(key, []).append(str(undertaking.pk))
    return initial


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
@throttle("concern-raise", key=by_user, limit=10, window=24 * 60 * 60)
def case_create(request: HttpRequest) -> HttpResponse:
    """Two steps in one address: find the organisation the concern is about (``?q=``), then the
    concern itself (``?respondent=<pk>``). "Raise a concern about this" on a consultation or a
    funding notice (``?consultation=<pk>``, ``?funding=<pk>``) goes straight to the second step,
    about the body that ran it or gave notice, with its answers filled in.

    An unknown ``respondent`` is a 404; one of the user's own organisations sends them back to the
    search, saying why."""
    here = reverse("disputes:create")
    organisations = list(Organisation.objects.filter(memberships__user=request.user).distinct().order_by("name"))
    if not organisations:
        return render(request, "disputes/create.html", {"form": None})
    if not Edition.objects.filter(status=Edition.Status.PUBLISHED).exists():
        return render(request, "disputes/create.html", {"form": None, "no_edition": True})
    own = {o.pk for o in organisations}

    source = _source(request)
    respondent_pk = _int_or_none(request.GET.get("respondent"))
    if respondent_pk is not None:
        respondent = get_object_or_404(Organisation, pk=respondent_pk)
        if source and source["respondent"].pk != respondent.pk:
            source = {}  # the concern is no longer about that consultation or notice
    elif source:
        respondent = source["respondent"]
    else:
        return _choose_respondent(request, here, exclude=own)
    if respondent.pk in own:
        messages.info(request, OWN_ORGANISATION)
        return redirect(here)

    undertakings = _current_undertakings()
    if not undertakings:
        return render(request, "disputes/create.html", {"form": None, "no_edition": True})
    form = CaseForm(
        posted_data(request),
        _files(request),
        organisations=organisations,
        respondent=respondent,
        undertakings=undertakings,
        initial=_prefill(source, undertakings, organisations),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["chosen_undertakings"]
        try:
            case = services.case_open(
                complainant=form.chosen_organisation,
                respondent=respondent,
                edition=chosen[0].edition,
                undertakings=chosen,
                by=request.user,
                summary=form.cleaned_data["summary"],
                what_happened=form.cleaned_data["what_happened"],
                happened_on=form.cleaned_data["happened_on"],
                outcome_sought=form.cleaned_data["outcome_sought"],
                withhold_name=form.cleaned_data["withhold_name"],
                evidence=form.evidence,
                today=today(),
                **source.get("kwargs", {}),
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your concern is logged as %(reference)s. The Compact’s coordinator has been told.")
                % {"reference": case.reference},
            )
            return redirect(case)
    return render(
        request,
        "disputes/create.html",
        {
            "form": form,
            "respondent": respondent,
            "change_respondent_url": f"{here}?{urlencode({'q': respondent.name})}",
        },
    )


def _choose_respondent(request: HttpRequest, here: str, *, exclude: set[int]) -> HttpResponse:
    """The first step: search the organisations by name, leaving out the user's own. The search is
    only run when ``q`` was sent (an empty one is an error), and shows at most ``SEARCH_LIMIT``."""
    form = RespondentSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = list(organisations_matching(form.cleaned_data["q"], exclude=exclude, limit=SEARCH_LIMIT))
    return render(
        request,
        "disputes/choose_respondent.html",
        {
            "form": form,
            "query": form.cleaned_data["q"] if results is not None else "",
            "results": results,
            "limit": SEARCH_LIMIT,
            "here": here,
        },
    )


# --- A case -----------------------------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Case) -> dict:
    user = request.user
    return {
        "case": case,
        "complainant_name": selectors.complainant_label(case, user),
        "is_coordinator": permissions.is_case_coordinator(user, case),
        "is_complainant": permissions.is_complainant(user, case),
        "is_respondent": permissions.is_respondent(user, case),
    }


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, pk=pk)
    context = _case_context(request, case)
    files = selectors.files_for_user(case, user)
    entries = [
        {"entry": entry, "author": selectors.entry_author_label(entry, case, user), "file_name": files.get(entry.pk)}
        for entry in selectors.timeline_for_user(case, user)
    ]
    moves = sorted(permissions.allowed_moves(user, case), key=MOVE_ORDER.index)
    context.update(
        {
            "undertakings": case.undertakings.select_related("outcome").order_by("outcome__number", "position"),
            "stage_changes": case.stage_changes.all(),
            "entries": entries,
            "moves": [{"to": move, "label": _move_label(move)} for move in moves],
            "can_add_entry": permissions.can_add_entry(user, case),
            "can_request_letter": permissions.can_request_letter(user, case),
            "can_check": permissions.can_check(user, case),
            "to_check": sum(1 for item in entries if item["entry"].check_status == Check.PENDING),
            "held_for_check": permissions.held_for_check(case),
            # The guard against retaliation: for the coordinator alone, never the parties.
            "guard_flags": list(case.guard_flags.order_by("-created_at")) if context["is_coordinator"] else [],
            "edition_url": reverse(
                "commitments:edition_detail", kwargs={"slug": case.compact.slug, "pk": case.edition_id}
            ),
        }
    )
    return render(request, "disputes/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk, log_read=False)
    to = request.GET.get("to", "")
    if to not in permissions.allowed_moves(request.user, case):
        raise Http404
    form = MoveForm(posted_data(request), to=to)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_move(
                case=case,
                to=to,
                by=request.user,
                note=form.cleaned_data["note"],
                lessons_learned=form.cleaned_data.get("lessons_learned", ""),
                today=today(),
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The concern has moved on. Both parties and the coordinator have been told."))
            return redirect(case)
    context = _case_context(request, case)
    context.update({"form": form, "move_label": _move_label(to), "to": to})
    return render(request, "disputes/move.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@throttle("concern-entry", key=by_user, limit=30, window=60 * 60)
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk, log_read=False)
    if not permissions.can_add_entry(request.user, case):
        raise Http404
    coordinator = permissions.can_see_internal(request.user, case)
    withheld_complainant = case.withhold_name and permissions.is_complainant(request.user, case) and not coordinator
    form = EntryForm(
        posted_data(request), _files(request), coordinator=coordinator, withheld_complainant=withheld_complainant
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.timeline_add(
                case=case,
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                visibility=form.chosen_visibility,
                file=form.cleaned_data.get("file"),
                original=form.original,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if withheld_complainant:
                messages.success(
                    request,
                    _("It is added to the timeline. The other party sees it once the coordinator has checked it."),
                )
            else:
                messages.success(request, _("It is added to the timeline."))
            return redirect(reverse("disputes:detail", kwargs={"pk": case.pk}) + "#timeline")
    context = _case_context(request, case)
    context.update({"form": form, "withheld_complainant": withheld_complainant})
    return render(request, "disputes/entry_add.html", context)


def _download(field_file, name: str) -> FileResponse:
    return file_download(field_file, name, private=True)


@require_GET
@login_required
def entry_file(request: HttpRequest, pk: int, entry_pk: int) -> FileResponse:
    """A file of the timeline, under its own name to the side that uploaded it and the
    coordinator, under a neutral one ("evidence-1.pdf") to anyone else."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    names = selectors.files_for_user(case, request.user)
    if entry_pk not in names:
        raise Http404
    entry = case.timeline.get(pk=entry_pk)
    return _download(entry.file, names[entry_pk])


@require_GET
@login_required
def entry_original(request: HttpRequest, pk: int, entry_pk: int) -> FileResponse:
    """The file as it was uploaded, with the details about its author it carried: kept as
    evidence, for the coordinator alone."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if not permissions.is_case_coordinator(request.user, case):
        raise Http404
    entry = case.timeline.filter(pk=entry_pk).exclude(original_file="").first()
    if entry is None:
        raise Http404
    stem, extension = os.path.splitext(entry.file_name or entry.original_file.name)
    return _download(entry.original_file, f"{stem}-original{extension.lower()}")


@require_http_methods(["GET", "POST"])
@login_required
def entry_check(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The coordinator releases a withheld complainant's entry to the other party, or returns it."""
    case = selectors.case_get_for_user(user=request.user, pk=pk, log_read=False)
    if not permissions.can_check(request.user, case):
        raise Http404
    entry = get_object_or_404(case.timeline.select_related("author", "author_organisation"), pk=entry_pk)
    if entry.check_status != Check.PENDING:
        raise Http404
    form = CheckForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_check(entry=entry, by=request.user, release=form.release, reason=form.cleaned_data["reason"])
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("It is released to the other party.") if form.release else _("It is returned to the complainant."),
            )
            return redirect(reverse("disputes:detail", kwargs={"pk": case.pk}) + "#timeline")
    context = _case_context(request, case)
    context.update(
        {
            "form": form,
            "entry": entry,
            "author": selectors.entry_author_label(entry, case, request.user),
            "file_name": selectors.files_for_user(case, request.user).get(entry.pk, ""),
        }
    )
    return render(request, "disputes/check.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def case_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator releases a withheld complainant's concern drawn from a funding notice or a
    consultation to the other party (rewording its summary if need be), or returns it."""
    case = selectors.case_get_for_user(user=request.user, pk=pk, log_read=False)
    if not permissions.can_check(request.user, case) or not permissions.held_for_check(case):
        raise Http404
    form = CheckForm(posted_data(request), summary=case.summary)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_check(
                case=case,
                by=request.user,
                release=form.release,
                reason=form.cleaned_data["reason"],
                summary=form.cleaned_data["summary"],
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The concern is released to the other party.")
                if form.release
                else _("The concern is returned to the complainant."),
            )
            return redirect(case)
    context = _case_context(request, case)
    context.update({"form": form, "entry": None})
    return render(request, "disputes/check.html", context)


@require_GET
@login_required
def read_log(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk, log_read=False)
    if not permissions.is_case_coordinator(request.user, case):
        raise Http404
    context = _case_context(request, case)
    context["reads"] = case.views.select_related("user").order_by("-at")[:500]
    return render(request, "disputes/read_log.html", context)
