"""An organisation's own pages: its details, champion, people and invitations, and its signatures.

They are for the organisation's members; what changes it is for its admins. Everyone else gets a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact_portal.bilingual import localised_html
from compact_portal.forms import posted_data
from compact_portal.throttle import by_ip, by_user, throttle
from notifications.delivery import bouncing_addresses
from signatories import forms, permissions, selectors, services
from signatories.models import Membership, Organisation


def _safe_next(request: HttpRequest) -> str | None:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


def _pending_message(organisation: Organisation) -> str:
    return _(
        "A coordinator has to approve %(organisation)s as: %(sector)s, %(type)s. Until then it keeps the rights "
        "of the sector last approved (a new public body has none). We will email you when they have decided."
    ) % {
        "organisation": organisation.name,
        "sector": organisation.get_sector_display(),
        "type": organisation.get_organisation_type_display(),
    }


def _organisation_for_admin(request: HttpRequest, pk: int) -> Organisation:
    """The organisation, if the user is a member (else 404) and one of its admins (else 403)."""
    organisation = selectors.organisation_get_for_member(user=request.user, pk=pk)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@require_http_methods(["GET", "POST"])
@login_required
@throttle("organisation-new-user", key=by_user, limit=10, window=24 * 60 * 60)
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Add an organisation that is not on the portal yet; the person adding it becomes its admin."""
    form = forms.OrganisationForm(posted_data(request), check_duplicates=True)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.organisation_fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s has been added. You are its admin.") % {"organisation": organisation.name},
            )
            if organisation.sector_pending:
                messages.info(request, _pending_message(organisation))
            return redirect(next_url or reverse("signatories:organisation_detail", kwargs={"pk": organisation.pk}))
    return render(
        request,
        "signatories/organisation_form.html",
        {"form": form, "mode": "new", "back_url": next_url or reverse("accounts:dashboard")},
    )


def _sign_up_buttons(editions, organisation) -> str:
    """A button for each Compact the organisation could sign up to, written here rather than by a
    template loop: with every Compact of the country there are 200 of them, most of the page's time.
    The same HTML as the template wrote; one address reversed for all."""
    marker = "compact-slug-marker"
    address = reverse("signatories:sign_up", kwargs={"slug": marker})
    label = _("Sign up to %(name)s")
    buttons = [
        format_html(
            '<a href="{}?organisation={}" role="button" draggable="false" class="govuk-button" '
            'data-module="govuk-button">{}</a>',
            address.replace(marker, edition.compact.slug),
            organisation.pk,
            mark_safe(conditional_escape(label) % {"name": localised_html(edition.compact, "name")}),  # noqa: S308 - escaped
        )
        for edition in editions
    ]
    return mark_safe("\n  ".join(buttons))  # noqa: S308 - each button is written by format_html


@require_GET
@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_member(user=request.user, pk=pk)
    is_admin = permissions.can_edit_organisation(request.user, organisation)
    memberships = organisation.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )
    signatures = organisation.signatures.select_related("edition__compact").order_by(
        "edition__compact__name", "-edition__published_on", "-edition__created_at"
    )
    to_sign = _sign_up_buttons(selectors.editions_to_sign(organisation=organisation), organisation)
    invitations = selectors.invitations_open(organisation=organisation) if is_admin else []
    last_sector_event = organisation.sector_events.order_by("-at", "-pk").first()
    # Addresses GOV.UK Notify cannot deliver to (decision 0023), for the admins to see and fix.
    bouncing = bouncing_addresses(memberships.values_list("user__email", flat=True)) if is_admin else set()
    return render(
        request,
        "signatories/organisation_detail.html",
        {
            "organisation": organisation,
            "champion": organisation.champion,
            "is_admin": is_admin,
            "memberships": memberships,
            "signatures": signatures,
            "to_sign": to_sign,
            "invitations": invitations,
            "last_sector_event": last_sector_event,
            "bouncing": bouncing,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, pk)
    form = forms.OrganisationForm(posted_data(request), instance=organisation)
    form.helper.inputs[0].value = _("Save the details")
    if request.method == "POST" and form.is_valid():
        was_pending = organisation.sector_pending
        try:
            organisation = services.organisation_update(
                organisation=organisation, by=request.user, **form.organisation_fields
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation’s details have been saved."))
            if organisation.sector_pending and not was_pending:
                messages.info(request, _pending_message(organisation))
            return redirect("signatories:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "signatories/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "mode": "edit",
            "back_url": reverse("signatories:organisation_detail", kwargs={"pk": organisation.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def champion(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, pk)
    memberships = organisation.memberships.select_related("user").order_by("user__first_name", "user__last_name")
    form = forms.ChampionForm(posted_data(request), organisation=organisation, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        form.save()
        if organisation.champion:
            messages.success(
                request,
                _("%(name)s is now the Compact champion of %(organisation)s.")
                % {"name": organisation.champion, "organisation": organisation.name},
            )
        else:
            messages.success(
                request, _("%(organisation)s has no Compact champion for now.") % {"organisation": organisation.name}
            )
        return redirect("signatories:organisation_detail", pk=organisation.pk)
    return render(request, "signatories/champion.html", {"organisation": organisation, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
@throttle("invite-user", key=by_user, limit=30, window=60 * 60)
@throttle("invite-ip", key=by_ip, limit=60, window=60 * 60)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, pk)
    form = forms.InviteForm(posted_data(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        invitation, _token = services.invitation_send(
            organisation=organisation, email=form.cleaned_data["email"], role=form.cleaned_data["role"], by=request.user
        )
        messages.success(
            request,
            _("We have emailed an invitation to %(email)s. The link works for 14 days.") % {"email": invitation.email},
        )
        return redirect("signatories:organisation_detail", pk=organisation.pk)
    return render(request, "signatories/invite.html", {"organisation": organisation, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_for_admin(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, organisation=organisation
    )
    form = forms.RoleForm(posted_data(request), membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        except services.SignatureError as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is now: %(role)s.")
                % {"name": membership.user, "role": Membership.Role(form.cleaned_data["role"]).label},
            )
            return redirect("signatories:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "signatories/membership_role.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


# --- Invitations --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@throttle("invitation-accept-ip", key=by_ip, limit=20, window=60 * 60, count_every=True)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organisation from an emailed link: signed in, one button; otherwise create an account.

    A new account takes the address the invitation was sent to, which the link proves; no other
    address can be typed, so the page tells nothing about who else has an account. Every POST counts
    towards the limit, whatever its answer."""
    invitation = services.invitation_get(token=token)
    if invitation is None:
        # Name the organisation, and why, when the link was real but can no longer be used.
        spent = selectors.invitation_find(token=token)
        return render(
            request,
            "signatories/invitation_invalid.html",
            {"invitation": spent, "problem": services.invitation_problem(spent) if spent else ""},
            status=410 if spent else 404,
        )
    organisation = invitation.organisation
    login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})

    if request.user.is_authenticated:
        form = forms.ConfirmForm(
            posted_data(request), submit_label=_("Join %(organisation)s") % {"organisation": organisation.name}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except services.SignatureError as exc:
                form.add_error(None, str(exc))
            else:
                return _joined(request, organisation)
        return render(
            request,
            "signatories/invitation_accept.html",
            {
                "invitation": invitation,
                "organisation": organisation,
                "form": form,
                "already_member": permissions.is_member(request.user, organisation),
                "other_email": invitation.email.lower() != (request.user.email or "").lower(),
            },
        )

    form = forms.AccountForm(posted_data(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                services.invitation_accept(invitation=invitation, user=user)
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, organisation)
    return render(
        request,
        "signatories/invitation_accept.html",
        {"invitation": invitation, "organisation": organisation, "form": form, "login_url": login_url},
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitation_cancel(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """An organisation admin cancels an invitation that has not been accepted: its link stops working."""
    organisation = _organisation_for_admin(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        messages.info(request, _("This invitation can no longer be cancelled: it was accepted or cancelled already."))
        return redirect("signatories:organisation_detail", pk=organisation.pk)
    form = forms.ConfirmForm(posted_data(request), submit_label=_("Cancel the invitation"), warning=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_cancel(invitation=invitation, by=request.user)
        except services.SignatureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is cancelled: its link no longer works.") % {"email": invitation.email},
            )
            return redirect("signatories:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "signatories/invitation_cancel.html",
        {"organisation": organisation, "invitation": invitation, "form": form},
    )


def _joined(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    messages.success(request, _("You have joined %(organisation)s.") % {"organisation": organisation.name})
    return redirect("signatories:organisation_detail", pk=organisation.pk)
