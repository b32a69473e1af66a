"""Signing a Compact: applying, recording a sign-up made on paper, and the coordinator's decisions.

Every change of state goes through ``signatories.services``; these views only check who is asking,
validate the form and show the outcome.
"""

import os
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.models import Compact, Edition
from commitments.selectors import compact_get, compact_get_for_coordinator, edition_current
from compact_portal.forms import posted_data
from compact_portal.uploads import content_type_for
from signatories import forms, permissions, selectors, services
from signatories.models import Organisation, Signature

S = Signature.Status

# An organisation with a signature in one of these states cannot apply again for the same edition.
SEARCH_RESULTS_LIMIT = 50


def _with_query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _no_current_edition(request: HttpRequest, compact: Compact) -> HttpResponse:
    return render(request, "signatories/no_current_edition.html", {"compact": compact})


def _statement(organisation: Organisation, edition: Edition) -> str:
    return services.signing_statement(organisation=organisation, edition=edition)


# --- Applying -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: which of your organisations is signing. Step 2 (``?organisation=<pk>``): who signs, when."""
    compact = compact_get(slug=slug)
    edition = edition_current(compact=compact)
    if edition is None:
        return _no_current_edition(request, compact)
    organisations = list(selectors.organisations_of(request.user))
    existing = {
        s.organisation_id: s
        for s in Signature.objects.filter(edition=edition, organisation__in=[o.pk for o in organisations])
    }
    taken = [
        (o, existing[o.pk])
        for o in organisations
        if o.pk in existing and existing[o.pk].status in Signature.LIVE_STATUSES
    ]
    taken_ids = {o.pk for o, _signature in taken}
    selectable = [o for o in organisations if o.pk not in taken_ids]
    here = reverse("signatories:sign_up", kwargs={"slug": compact.slug})

    chosen_pk = _int_or_none(request.GET.get("organisation"))
    organisation = next((o for o in selectable if o.pk == chosen_pk), None)
    if organisation is None:
        form = forms.ChooseOrganisationForm(posted_data(request), organisations=selectable)
        if request.method == "POST" and form.is_valid():
            return redirect(_with_query(here, organisation=form.cleaned_data["organisation"].pk))
        return render(
            request,
            "signatories/sign_up.html",
            {
                "compact": compact,
                "edition": edition,
                "form": form if selectable else None,
                "organisations": organisations,
                "taken": taken,
                "new_organisation_url": _with_query(reverse("signatories:organisation_new"), next=here),
            },
        )

    form = forms.SigningForm(
        posted_data(request),
        organisation=organisation,
        initial={"signatory_name": request.user.get_full_name()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_apply(
                organisation=organisation,
                edition=edition,
                by=request.user,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your application has been sent to the coordinator."))
            return redirect(signature)
    return render(
        request,
        "signatories/signing_form.html",
        {
            "compact": compact,
            "edition": edition,
            "organisation": organisation,
            "form": form,
            "statement": _statement(organisation, edition),
            "on_behalf": False,
            "back_url": here,
        },
    )


# --- Recording a sign-up made on paper ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def record_on_behalf(request: HttpRequest, slug: str) -> HttpResponse:
    """A council officer (or the coordinator) records that an organisation signed, for example on paper.

    Three steps in one address: find the organisation (``?q=``), or add it (``?new=1``); then say who
    signed and when (``?organisation=<pk>``). The officer does not become a member of the organisation.
    """
    compact = compact_get(slug=slug)
    if not permissions.can_record_on_behalf(request.user, compact):
        raise PermissionDenied
    edition = edition_current(compact=compact)
    if edition is None:
        return _no_current_edition(request, compact)
    here = reverse("signatories:record_on_behalf", kwargs={"slug": compact.slug})

    if request.GET.get("new"):
        return _record_new_organisation(request, compact, edition, here)

    organisation_pk = _int_or_none(request.GET.get("organisation"))
    if organisation_pk is not None:
        organisation = get_object_or_404(Organisation, pk=organisation_pk)
        signature = Signature.objects.filter(organisation=organisation, edition=edition).first()
        if signature is not None and signature.status in Signature.LIVE_STATUSES:
            messages.info(
                request,
                _("%(organisation)s has already applied to sign %(edition)s: it is ‘%(status)s’.")
                % {
                    "organisation": organisation.name,
                    "edition": edition.name,
                    "status": signature.get_status_display(),
                },
            )
            return redirect(_with_query(here, q=organisation.name))
        return _record_signing(request, compact, edition, organisation, here)

    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL characters
    results = []
    if query:
        results = list(selectors.organisation_search(query=query, edition=edition)[:SEARCH_RESULTS_LIMIT])
        for result in results:
            result.current_status_label = S(result.current_status).label if result.current_status else ""
            result.can_record = result.current_status not in Signature.LIVE_STATUSES
    return render(
        request,
        "signatories/record_on_behalf.html",
        {
            "compact": compact,
            "edition": edition,
            "query": query,
            "results": results,
            "limit": SEARCH_RESULTS_LIMIT,
            "here": here,
            "new_url": _with_query(here, new=1),
        },
    )


def _record_new_organisation(request: HttpRequest, compact: Compact, edition: Edition, here: str) -> HttpResponse:
    form = forms.OrganisationForm(posted_data(request), check_duplicates=True, on_behalf=True)
    if request.method == "POST" and form.is_valid():
        try:
            # join=False: the officer records the organisation but does not become one of its admins.
            organisation = services.organisation_create(by=request.user, join=False, **form.organisation_fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(organisation)s has been added.") % {"organisation": organisation.name})
            return redirect(_with_query(here, organisation=organisation.pk))
    return render(
        request,
        "signatories/organisation_form.html",
        {
            "compact": compact,
            "edition": edition,
            "form": form,
            "mode": "record",
            "back_url": here,
            "record_url": here,
        },
    )


def _record_signing(
    request: HttpRequest, compact: Compact, edition: Edition, organisation: Organisation, here: str
) -> HttpResponse:
    form = forms.SigningForm(
        posted_data(request),
        request.FILES if request.method == "POST" else None,
        organisation=organisation,
        on_behalf=True,
        submit_label=_("Record the sign-up"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_apply(
                organisation=organisation,
                edition=edition,
                by=request.user,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"],
                signed_on=form.cleaned_data["signed_on"],
                on_behalf=True,
                signed_form=form.cleaned_data.get("signed_form"),
            )
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:  # the scan is not what its name says
            form.add_error("signed_form", exc)
        else:
            messages.success(request, _("The sign-up has been recorded and sent to the coordinator for approval."))
            return redirect(signature)
    return render(
        request,
        "signatories/signing_form.html",
        {
            "compact": compact,
            "edition": edition,
            "organisation": organisation,
            "form": form,
            "statement": _statement(organisation, edition),
            "on_behalf": True,
            "back_url": here,
        },
    )


# --- The coordinator's list ---------------------------------------------------------------------------


@require_GET
@login_required
def pending_list(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    signatures = selectors.signatures_pending(compact=compact)
    return render(
        request,
        "signatories/pending_list.html",
        {"compact": compact, "signatures": signatures, "current": edition_current(compact=compact)},
    )


# --- One signature ----------------------------------------------------------------------------------


def _actions(user, signature: Signature) -> dict:
    """What this user may do with the signature now."""
    status = signature.status
    current = signature.edition.status == Edition.Status.PUBLISHED
    can_apply = permissions.can_apply_for(user, signature.organisation)
    can_record = signature.recorded_on_behalf and permissions.can_record_on_behalf(user, signature.edition.compact)
    apply_again_url = ""
    if status in (S.REJECTED, S.WITHDRAWN) and current:
        slug = signature.edition.compact.slug
        if can_apply:
            apply_again_url = _with_query(
                reverse("signatories:sign_up", kwargs={"slug": slug}), organisation=signature.organisation_id
            )
        elif can_record:
            apply_again_url = _with_query(
                reverse("signatories:record_on_behalf", kwargs={"slug": slug}), organisation=signature.organisation_id
            )
    return {
        "decide": status == S.PENDING and permissions.can_decide(user, signature),
        "withdraw": status in Signature.LIVE_STATUSES and permissions.can_withdraw(user, signature),
        "reaffirm": status == S.REAFFIRMATION_REQUESTED
        and not services.replaced_since_asked(signature)
        and permissions.can_reaffirm(user, signature),
        "apply_again_url": apply_again_url,
        "see_organisation": permissions.is_member(user, signature.organisation) or user.is_superuser,
        "record_another": signature.recorded_on_behalf and can_record,
        "see_signed_form": bool(signature.signed_form) and permissions.can_decide(user, signature),
    }


@require_GET
@login_required
def signature_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signature = selectors.signature_get_for_user(user=request.user, pk=pk)
    compact = signature.edition.compact
    next_pending = None
    if permissions.can_decide(request.user, signature):
        next_pending = selectors.signatures_pending(compact=compact).exclude(pk=signature.pk).first()
    return render(
        request,
        "signatories/signature_detail.html",
        {
            "signature": signature,
            "compact": compact,
            "events": signature.events.select_related("by"),
            "actions": _actions(request.user, signature),
            "replaced_since_asked": services.replaced_since_asked(signature),
            "next_pending": next_pending,
            "current": edition_current(compact=compact),
        },
    )


@require_GET
@login_required
def signed_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan of a paper sign-up form: the coordinator's alone (404 to anyone else), never cached."""
    signature = selectors.signature_get_for_user(user=request.user, pk=pk)
    if not permissions.can_decide(request.user, signature) or not signature.signed_form:
        raise Http404
    try:
        stored = signature.signed_form.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = os.path.basename(signature.signed_form.name)
    response = FileResponse(stored, as_attachment=True, filename=name, content_type=content_type_for(name))
    response["Cache-Control"] = "private, no-store"
    return response


def _signature_for(request: HttpRequest, pk: int, allowed: Callable[..., bool]) -> Signature:
    """The signature, if the user may see it (else 404) and may do this with it (else 403)."""
    signature = selectors.signature_get_for_user(user=request.user, pk=pk)
    if not allowed(request.user, signature):
        raise PermissionDenied
    return signature


def _not_now(request: HttpRequest, signature: Signature) -> HttpResponse:
    messages.info(
        request,
        _("This cannot be done now: the signature is ‘%(status)s’.") % {"status": signature.get_status_display()},
    )
    return redirect(signature)


def _action_page(request: HttpRequest, signature: Signature, form, **context) -> HttpResponse:
    return render(
        request,
        "signatories/signature_action.html",
        {"signature": signature, "compact": signature.edition.compact, "form": form, **context},
    )


@require_http_methods(["GET", "POST"])
@login_required
def signature_approve(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk, permissions.can_decide)
    if signature.status != S.PENDING:
        return _not_now(request, signature)
    current = edition_current(compact=signature.edition.compact)
    form = forms.ApproveForm(
        posted_data(request), signature=signature, current=current, submit_label=_("Approve the signature")
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("edition") == forms.ApproveForm.CURRENT:
                signed = services.signature_approve_for_current(signature=signature, by=request.user)
            else:
                signed = services.signature_approve(signature=signature, by=request.user)
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s has signed %(edition)s. It is now on the public register.")
                % {"organisation": signed.organisation.name, "edition": signed.edition.name},
            )
            return redirect(signed)
    return _action_page(
        request,
        signature,
        form,
        heading=_("Approve the signature of %(organisation)s?") % {"organisation": signature.organisation.name},
        intro=_("Once approved, the organisation is shown on the public register of signatories."),
        replaced_by=current if form.replaced else None,
    )


@require_http_methods(["GET", "POST"])
@login_required
def signature_reject(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk, permissions.can_decide)
    if signature.status != S.PENDING:
        return _not_now(request, signature)
    form = forms.ReasonForm(
        posted_data(request),
        label=_("Why is it not approved?"),
        help_text=_("The applicant and the organisation’s members will see this, so they can put it right."),
        required_message=_("Enter the reason the application is not approved"),
        submit_label=_("Do not approve"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_reject(signature=signature, by=request.user, reason=form.cleaned_data["reason"])
        except services.SignatureError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                _("The application was not approved. We have told %(organisation)s why.")
                % {"organisation": signature.organisation.name},
            )
            return redirect(signature)
    return _action_page(
        request,
        signature,
        form,
        heading=_("Do not approve the signature of %(organisation)s") % {"organisation": signature.organisation.name},
    )


@require_http_methods(["GET", "POST"])
@login_required
def signature_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk, permissions.can_withdraw)
    if signature.status not in Signature.LIVE_STATUSES:
        return _not_now(request, signature)
    form = forms.ReasonForm(
        posted_data(request),
        label=_("Why is the signature being withdrawn?"),
        help_text=_("This is kept with the signature’s history and sent to the organisation and the coordinator."),
        required_message=_("Enter the reason for withdrawing"),
        submit_label=_("Withdraw the signature"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_withdraw(signature=signature, by=request.user, reason=form.cleaned_data["reason"])
        except services.SignatureError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                _("The signature of %(organisation)s has been withdrawn.")
                % {"organisation": signature.organisation.name},
            )
            return redirect(signature)
    return _action_page(
        request,
        signature,
        form,
        heading=_("Withdraw the signature of %(organisation)s") % {"organisation": signature.organisation.name},
        intro=_("The organisation will no longer be shown as a signatory of this edition. Its history is kept."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def signature_reaffirm(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk, permissions.can_reaffirm)
    if signature.status != S.REAFFIRMATION_REQUESTED:
        return _not_now(request, signature)
    if problem := services.replaced_since_asked(signature):
        messages.info(request, problem)
        return redirect(signature)
    organisation, edition = signature.organisation, signature.edition
    form = forms.SigningForm(
        posted_data(request),
        organisation=organisation,
        submit_label=_("Re-affirm the signature"),
        initial={"signatory_name": request.user.get_full_name()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_reaffirm(
                signature=signature,
                by=request.user,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s has re-affirmed its signature of %(edition)s.")
                % {"organisation": organisation.name, "edition": edition.name},
            )
            return redirect(signature)
    return render(
        request,
        "signatories/signing_form.html",
        {
            "compact": edition.compact,
            "edition": edition,
            "organisation": organisation,
            "signature": signature,
            "form": form,
            "statement": _statement(organisation, edition),
            "reaffirm": True,
            "back_url": signature.get_absolute_url(),
        },
    )
