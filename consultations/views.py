"""Consultations: the public list and page of each, registering and changing one, recording a
response, and writing and publishing the feedback ("you said, we did").

Every change goes through ``consultations.services``; these views only check who is asking,
validate the form and show the outcome. Status and compliance come from ``consultations.selectors``,
which asks ``consultations.rules``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact_portal.dates import long_date
from compact_portal.filtering import filter_query
from compact_portal.forms import ConfirmForm, posted_data
from compact_portal.throttle import by_user, throttle
from compact_portal.uploads import file_download
from consultations import permissions, rules, selectors, services
from consultations.filters import ConsultationFilter
from consultations.forms import (
    AlertStopForm,
    ConsultationForm,
    FeedbackItemForm,
    FeedbackSummaryForm,
    ResponseForm,
)

PER_PAGE = 25


def today():
    """Today in Europe/London: every date rule on these pages is judged against it (tests set it)."""
    return timezone.localdate()


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _download(field_file) -> FileResponse:
    """A stored file as a download, with the type its checked extension stands for."""
    return file_download(field_file)


# --- The public list and page ---------------------------------------------------------------------------


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    day = today()
    filterset = ConsultationFilter(request.GET, today=day)
    # Page through bare ids, each status down its own index (the order of the whole list depends on
    # today), then one query fetches the page's rows with their body, Compact and edition.
    if filterset.is_valid() and filterset.form.cleaned_data.get("status"):
        ids = filterset.qs.values_list("pk", flat=True)  # one status: already in an indexed order
    else:
        ids = selectors.ConsultationIdsInOrder(filterset.qs, day)
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    consultations = selectors.consultations_in_order(list(page.object_list))
    rows = [selectors.consultation_row(consultation, day) for consultation in consultations]
    return render(
        request,
        "consultations/list.html",
        {
            "filter": filterset,
            "form": filterset.form,  # base.html shows an error summary for an unknown choice
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": rows,
            "filter_query": filter_query(request, filterset),
            "can_register": permissions.can_register(request.user),
        },
    )


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = today()
    consultation = selectors.consultation_get(pk=pk)
    row = selectors.consultation_row(consultation, day)
    manager = permissions.can_manage(request.user, consultation)
    own_organisations = list(selectors.vcs_organisations_of(request.user))
    own_responses = selectors.responses_by_organisation(consultation=consultation, organisations=own_organisations)
    published = consultation.feedback_published_on is not None
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "row": row,
            "parts": selectors.compliance_parts(consultation, day),
            "manager": manager,
            "can_raise_concern": permissions.can_raise_concern(
                request.user, consultation, compliant=row.compliance.compliant
            ),
            "responses": list(selectors.responses_for_manager(consultation=consultation)) if manager else [],
            "own_responses": [(o, own_responses[o.pk]) for o in own_organisations if o.pk in own_responses],
            "can_respond": bool(own_organisations) and row.status in (rules.OPEN, rules.AWAITING_FEEDBACK),
            "feedback_items": selectors.feedback_items(consultation=consultation) if (published or manager) else [],
            "published": published,
            "rules": rules,
        },
    )


@require_GET
def consultation_document(request: HttpRequest, pk: int) -> FileResponse:
    """The consultation's own document: public, like the consultation."""
    return _download(selectors.consultation_get(pk=pk).document)


# --- Registering and changing ---------------------------------------------------------------------------


def _success_text(consultation, day) -> str:
    row = selectors.consultation_row(consultation, day)
    return _("‘%(title)s’ is registered. It is open for %(length)s.") % {
        "title": consultation.title,
        "length": row.length_text,
    }


# Registering is the only way to put text on the public list: a body registers a few a month, so
# this many a day is far beyond honest use and stops a script filling the list (a form sent back
# with errors does not count).
REGISTRATIONS_PER_DAY = 20


@require_http_methods(["GET", "POST"])
@login_required
@throttle("consultation-register-user", key=by_user, limit=REGISTRATIONS_PER_DAY, window=24 * 60 * 60)
def consultation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register(request.user):
        raise PermissionDenied
    organisations = list(selectors.public_bodies_of(request.user))
    compacts = list(selectors.compacts_open_for_registration())
    day = today()
    form = ConsultationForm(
        posted_data(request), _files(request), organisations=organisations, compacts=compacts, today=day
    )
    if request.method == "POST" and compacts and form.is_valid():
        organisation = form.chosen_organisation
        if not permissions.can_register_for(request.user, organisation):
            raise PermissionDenied
        try:
            consultation = services.consultation_create(
                organisation=organisation,
                compact=form.cleaned_data["compact"],
                by=request.user,
                today=day,
                **form.consultation_fields,
            )
        except services.ConsultationInvalid as exc:
            form.add_service_errors(exc.errors)
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _success_text(consultation, day))
            return redirect(consultation)
    return render(
        request,
        "consultations/form.html",
        {"form": form if compacts else None, "compacts": compacts, "creating": True},
    )


@require_http_methods(["GET", "POST"])
@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    day = today()
    fixed = services.fixed_fields(consultation=consultation, by=request.user, today=day)
    form = ConsultationForm(posted_data(request), _files(request), consultation=consultation, fixed=fixed, today=day)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=consultation,
                by=request.user,
                today=day,
                remove_document=form.cleaned_data.get("remove_document", False),
                **form.consultation_fields,
            )
        except services.ConsultationInvalid as exc:
            form.add_service_errors(exc.errors)
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your changes to ‘%(title)s’ are saved.") % {"title": consultation.title})
            return redirect(consultation)
    return render(
        request,
        "consultations/form.html",
        {
            "form": form,
            "consultation": consultation,
            "creating": False,
            "fixed": [name for name in services.EDITABLE_FIELDS if name in fixed],
            "row": selectors.consultation_row(consultation, day),
        },
    )


# --- Responses ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def response_create(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk=pk)
    organisations = list(selectors.vcs_organisations_of(request.user))
    if not organisations:
        raise PermissionDenied
    day = today()
    status = selectors.consultation_status(consultation, day)
    if status == rules.FORTHCOMING:
        messages.info(
            request,
            _("This consultation opens on %(date)s. You can record your response from then.")
            % {"date": long_date(consultation.opens_on)},
        )
        return redirect(consultation)
    if status == rules.FEEDBACK_PUBLISHED:
        messages.info(request, _("Feedback has been published, so responses can no longer be recorded."))
        return redirect(consultation)
    existing = selectors.responses_by_organisation(consultation=consultation, organisations=organisations)
    form = ResponseForm(posted_data(request), _files(request), organisations=organisations, existing=existing)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation
        if not permissions.can_respond_for(request.user, organisation):
            raise PermissionDenied
        try:
            _response, created = services.response_record(
                consultation=consultation,
                organisation=organisation,
                by=request.user,
                summary=form.cleaned_data["summary"],
                represents=form.cleaned_data["represents"],
                views_gathered=form.cleaned_data["views_gathered"],
                document=form.cleaned_data.get("document"),
                today=day,
            )
        except services.ConsultationInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            text = (
                _("The response of %(organisation)s is recorded. %(body)s has been told.")
                if created
                else _("The response of %(organisation)s is updated. %(body)s has been told.")
            )
            messages.success(
                request, text % {"organisation": organisation.name, "body": consultation.organisation.name}
            )
            return redirect(reverse("consultations:detail", kwargs={"pk": consultation.pk}) + "#your-response")
    return render(
        request,
        "consultations/respond.html",
        {
            "consultation": consultation,
            "form": form,
            "late": status == rules.AWAITING_FEEDBACK,
            "existing": existing.get(form.fixed_organisation.pk) if form.fixed_organisation else None,
        },
    )


@require_GET
def response_file(request: HttpRequest, pk: int, response_pk: int) -> FileResponse:
    """A response's file: for the responding organisation's members and the consultation's
    managers; a 404 for everyone else."""
    response = selectors.response_get_for_user(user=request.user, consultation_pk=pk, pk=response_pk)
    download = _download(response.document)
    download["Cache-Control"] = "private, no-store"
    return download


# --- Stopping alerts to an organisation -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def alert_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """The running body stops this consultation's alerts to a named signatory organisation, with a
    reason; the page lists the alerts already stopped."""
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    form = AlertStopForm(
        posted_data(request), organisations=selectors.alertable_organisations(consultation=consultation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            stop = services.alert_stop(
                consultation=consultation,
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ConsultationInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Alerts about this consultation are no longer sent to %(organisation)s.")
                % {"organisation": stop.organisation.name},
            )
            return redirect(reverse("consultations:alerts", kwargs={"pk": consultation.pk}))
    return render(
        request,
        "consultations/alerts.html",
        {"consultation": consultation, "form": form, "stops": list(selectors.alert_stops(consultation=consultation))},
    )


# --- Feedback ---------------------------------------------------------------------------------------------


def _feedback_url(consultation) -> str:
    return reverse("consultations:feedback", kwargs={"pk": consultation.pk})


@require_http_methods(["GET", "POST"])
@login_required
def feedback_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The feedback's themes and overall summary. One form at a time: add a theme (the default),
    change one (``?item=<pk>``), remove one (``?item=<pk>&remove=1``), or change the summary
    (``?part=summary``)."""
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    data, here = posted_data(request), _feedback_url(consultation)
    item = (
        selectors.feedback_item_get(consultation=consultation, pk=request.GET["item"])
        if "item" in request.GET
        else None
    )
    mode = "add"
    if item is not None and request.GET.get("remove"):
        mode = "remove"
        form = ConfirmForm(data, submit_label=_("Remove the theme"), warning=True)
    elif item is not None:
        mode = "change"
        form = FeedbackItemForm(data, instance=item)
    elif request.GET.get("part") == "summary":
        mode = "summary"
        form = FeedbackSummaryForm(
            data,
            initial={
                "feedback_summary": consultation.feedback_summary,
                "feedback_summary_cy": consultation.feedback_summary_cy,
            },
        )
    else:
        form = FeedbackItemForm(data)

    if request.method == "POST" and form.is_valid():
        try:
            if mode == "remove":
                services.feedback_item_delete(item=item, by=request.user)
                text = _("The theme ‘%(theme)s’ is removed.") % {"theme": item.theme}
            elif mode == "change":
                services.feedback_item_update(item=item, by=request.user, **_item_fields(form))
                text = _("The theme ‘%(theme)s’ is saved.") % {"theme": form.cleaned_data["theme"]}
            elif mode == "summary":
                services.feedback_summary_update(
                    consultation=consultation,
                    by=request.user,
                    summary=form.cleaned_data["feedback_summary"],
                    summary_cy=form.cleaned_data["feedback_summary_cy"],
                )
                text = _("The overall summary is saved.")
            else:
                services.feedback_item_add(consultation=consultation, by=request.user, **_item_fields(form))
                text = _("The theme ‘%(theme)s’ is added.") % {"theme": form.cleaned_data["theme"]}
        except services.ConsultationInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, text)
            return redirect(here)
    return render(
        request,
        "consultations/feedback.html",
        {
            "consultation": consultation,
            "row": selectors.consultation_row(consultation, today()),
            "items": selectors.feedback_items(consultation=consultation),
            "form": form,
            "mode": mode,
            "item": item,
            "here": here,
            "rules": rules,
        },
    )


def _item_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("theme", "you_said", "we_did")}


@require_http_methods(["GET", "POST"])
@login_required
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    if consultation.feedback_published_on is not None:
        messages.info(
            request,
            _("The feedback was published on %(date)s.") % {"date": long_date(consultation.feedback_published_on)},
        )
        return redirect(consultation)
    day = today()
    row = selectors.consultation_row(consultation, day)
    items = selectors.feedback_items(consultation=consultation)
    form = ConfirmForm(posted_data(request), submit_label=_("Publish the feedback"))
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_publish(consultation=consultation, by=request.user, today=day)
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The feedback is published. The organisations that responded have been told."),
            )
            return redirect(reverse("consultations:detail", kwargs={"pk": consultation.pk}) + "#feedback")
    return render(
        request,
        "consultations/feedback_publish.html",
        {
            "consultation": consultation,
            "row": row,
            "items": items,
            "form": form,
            "closed": row.status == rules.AWAITING_FEEDBACK,
            "has_content": bool(items) or bool(consultation.feedback_summary.strip()),
        },
    )
