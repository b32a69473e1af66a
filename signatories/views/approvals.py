"""The coordinator's approval of organisations' sectors: new public bodies, and changes of sector or type.

Organisations belong to no one Compact, so any Compact's coordinator decides; the pages sit under the
coordinator's own Compact (its management breadcrumbs) and answer 403 to everyone else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.selectors import compact_get_for_coordinator
from compact_portal.forms import posted_data
from signatories import forms, selectors, services
from signatories.models import Organisation, SectorStatus


@require_GET
@login_required
def organisation_pending_list(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    organisations = list(selectors.organisations_awaiting_approval())
    return render(
        request, "signatories/organisation_pending_list.html", {"compact": compact, "organisations": organisations}
    )


def _pending_organisation(request: HttpRequest, slug: str, pk: int):
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    organisation = get_object_or_404(Organisation.objects.select_related("sector_requested_by"), pk=pk)
    return compact, organisation


def _decision_page(request, compact, organisation, form, heading) -> HttpResponse:
    return render(
        request,
        "signatories/organisation_decision.html",
        {
            "compact": compact,
            "organisation": organisation,
            "events": organisation.sector_events.select_related("by"),
            "duplicates": selectors.likely_duplicates(
                name=organisation.name,
                charity_number=organisation.charity_number,
                company_number=organisation.company_number,
            ).exclude(pk=organisation.pk)[:10],
            "form": form,
            "heading": heading,
        },
    )


def _not_waiting(request: HttpRequest, compact, organisation) -> HttpResponse:
    messages.info(request, _("%(organisation)s is not waiting for approval.") % {"organisation": organisation.name})
    return redirect("signatories:organisation_pending_list", slug=compact.slug)


@require_http_methods(["GET", "POST"])
@login_required
def organisation_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, organisation = _pending_organisation(request, slug, pk)
    if organisation.sector_status != SectorStatus.PENDING:
        return _not_waiting(request, compact, organisation)
    form = forms.ConfirmForm(posted_data(request), submit_label=_("Approve"))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_sector_approve(organisation=organisation, by=request.user)
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s is approved as: %(sector)s, %(type)s. We have told its admins.")
                % {
                    "organisation": organisation.name,
                    "sector": organisation.get_sector_display(),
                    "type": organisation.get_organisation_type_display(),
                },
            )
            return redirect("signatories:organisation_pending_list", slug=compact.slug)
    heading = _("Approve %(organisation)s?") % {"organisation": organisation.name}
    return _decision_page(request, compact, organisation, form, heading)


@require_http_methods(["GET", "POST"])
@login_required
def organisation_reject(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, organisation = _pending_organisation(request, slug, pk)
    if organisation.sector_status != SectorStatus.PENDING:
        return _not_waiting(request, compact, organisation)
    form = forms.ReasonForm(
        posted_data(request),
        label=_("Why is it not approved?"),
        help_text=_("The organisation’s admins and whoever asked will see this, so they can put it right."),
        required_message=_("Enter the reason it is not approved"),
        submit_label=_("Do not approve"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_sector_reject(
                organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.SignatureError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                _("%(organisation)s was not approved. We have told its admins why.")
                % {"organisation": organisation.name},
            )
            return redirect("signatories:organisation_pending_list", slug=compact.slug)
    heading = _("Do not approve %(organisation)s") % {"organisation": organisation.name}
    return _decision_page(request, compact, organisation, form, heading)
