"""Mediation: the pool of mediators, a mediator's own page, and each concern's mediation.

Every mediation is read through ``mediation.selectors.mediation_get_for_user`` (404 to anyone it is
nothing to); every change goes through ``mediation.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.models import Compact
from commitments.permissions import is_coordinator
from compact_portal.forms import ConfirmForm, posted_data
from compact_portal.uploads import file_download
from mediation import permissions, selectors, services
from mediation.forms import (
    AccreditForm,
    AgreementForm,
    AppointForm,
    ConflictForm,
    DeclineForm,
    MeetingForm,
    NoAgreementForm,
    NoteForm,
    SettingForm,
)
from mediation.models import CompactSetting, Mediator, Side
from signatories.models import Organisation


def _form_page(request, form, *, heading, back, caption="", intro=""):
    return render(
        request,
        "mediation/form.html",
        {"form": form, "heading": heading, "back": back, "caption": caption, "intro": intro},
    )


# --- The pool -----------------------------------------------------------------------------------------


@require_GET
@login_required
def pool(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_pool(request.user):
        raise PermissionDenied
    mediators = list(selectors.pool())
    own = set(permissions.accrediting_compacts(request.user).values_list("pk", flat=True))
    national = permissions.can_accredit_every_compact(request.user)
    rows = []
    for mediator in mediators:
        covered = {c.pk for c in mediator.compacts.all()}
        can_revoke = mediator.is_live and (national or (not mediator.every_compact and covered and covered <= own))
        rows.append({"mediator": mediator, "can_revoke": can_revoke})
    coordinated = (
        Compact.objects.all() if request.user.is_superuser else Compact.objects.filter(coordinators=request.user)
    )
    return render(
        request,
        "mediation/pool.html",
        {"rows": rows, "can_accredit": bool(own), "coordinated": coordinated.order_by("name")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def accredit(request: HttpRequest) -> HttpResponse:
    compacts = permissions.accrediting_compacts(request.user).order_by("name")
    if not compacts.exists():
        raise PermissionDenied
    form = AccreditForm(
        posted_data(request), compacts=compacts, national=permissions.can_accredit_every_compact(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mediator_accredit(
                email=form.cleaned_data["email"],
                compacts=form.cleaned_data["compacts"],
                every_compact=form.cleaned_data.get("every_compact", False),
                by=request.user,
            )
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The mediator is accredited."))
            return redirect("mediation:pool")
    return _form_page(request, form, heading=_("Accredit a mediator"), back=reverse("mediation:pool"))


@require_http_methods(["GET", "POST"])
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = get_object_or_404(Mediator.objects.select_related("user"), pk=pk, revoked_at__isnull=True)
    if not permissions.can_revoke(request.user, mediator):
        raise PermissionDenied
    form = ConfirmForm(posted_data(request), submit_label=_("Withdraw the accreditation"), warning=True)
    if request.method == "POST" and form.is_valid():
        services.mediator_revoke(mediator=mediator, by=request.user)
        messages.success(request, _("The accreditation is withdrawn."))
        return redirect("mediation:pool")
    return _form_page(
        request,
        form,
        heading=_("Withdraw %(name)s’s accreditation") % {"name": mediator},
        back=reverse("mediation:pool"),
        intro=_("They will not be proposed for any concern again. The record of their accreditation is kept."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def compact_settings(request: HttpRequest, slug: str) -> HttpResponse:
    compact = get_object_or_404(Compact, slug=slug)
    if not is_coordinator(request.user, compact):
        raise PermissionDenied
    setting = CompactSetting.objects.filter(compact=compact).first()
    initial = {"mediator_from_other_area": bool(setting and setting.mediator_from_other_area)}
    form = SettingForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.compact_setting_save(
            compact=compact, mediator_from_other_area=form.cleaned_data["mediator_from_other_area"], by=request.user
        )
        messages.success(request, _("The mediation setting is saved."))
        return redirect("mediation:pool")
    return _form_page(
        request,
        form,
        heading=_("Mediation for the concerns of %(compact)s") % {"compact": compact.name},
        back=reverse("mediation:pool"),
    )


# --- A mediator's own page ----------------------------------------------------------------------------


def _own_mediator(request) -> Mediator:
    mediator = permissions.live_mediator(request.user)
    if mediator is None:
        raise PermissionDenied
    return mediator


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    mediator = _own_mediator(request)
    return render(
        request,
        "mediation/mine.html",
        {
            "mediator": mediator,
            "mediations": selectors.mediations_for_mediator(mediator),
            "conflicts": mediator.conflicts.select_related("organisation"),
            "compacts": mediator.compacts.order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def conflict_add(request: HttpRequest) -> HttpResponse:
    mediator = _own_mediator(request)
    form = ConflictForm(posted_data(request), organisations=Organisation.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                mediator=mediator,
                organisation=form.cleaned_data["organisation"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.MediationError as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(request, _("The conflict is declared: you will not be proposed for its concerns."))
            return redirect("mediation:mine")
    return _form_page(request, form, heading=_("Declare a conflict"), back=reverse("mediation:mine"))


# --- A concern's mediation ----------------------------------------------------------------------------


@require_GET
@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mediation = selectors.mediation_get_for_user(user=user, case_pk=pk)
    the_case = mediation.case
    side = permissions.party_side(user, the_case)
    mediating = permissions.is_appointed(user, mediation)
    is_coordinator_here = permissions.dispute_permissions.is_case_coordinator(user, the_case)
    confirmations = {c.side: c for c in mediation.confirmations.select_related("by")}
    context = {
        "mediation": mediation,
        "case": the_case,
        "side": side,
        "mediating": mediating,
        "is_coordinator": is_coordinator_here,
        "complainant_name": selectors.complainant_label(user, mediation),
        "proposals": selectors.proposals_of(mediation) if not mediating else [],
        "can_decline": permissions.can_decline(user, mediation),
        "can_appoint": permissions.can_appoint(user, mediation),
        "can_mediate": permissions.can_mediate(user, mediation),
        "can_reveal": permissions.can_reveal(user, mediation),
        "can_confirm": permissions.can_confirm(user, mediation) and side not in confirmations,
        "meetings": mediation.meetings.all(),
        "actions": mediation.actions.all(),
        "confirmations": confirmations,
        "confirmed": set(confirmations) == set(Side.values),
        "sides": Side,
    }
    if mediating:
        context["notes"] = mediation.notes.all()
        files = selectors.shared_files(mediation)
        context["entries"] = [
            {"entry": entry, "author": _author(entry), "file_name": files.get(entry.pk)}
            for entry in selectors.shared_timeline(mediation)
        ]
    return render(request, "mediation/case.html", context)


@require_GET
@login_required
def entry_file(request: HttpRequest, pk: int, entry_pk: int) -> FileResponse:
    """A file of the shared timeline, for the appointed mediator (404 to anyone else)."""
    entry, name = selectors.shared_file_get_for_user(user=request.user, case_pk=pk, entry_pk=entry_pk)
    return file_download(entry.file, name, private=True)


def _author(entry) -> str:
    """The mediator is told the complainant's name, so every author is named."""
    if entry.author is None:
        return _("The portal")
    name = entry.author.get_full_name() or entry.author.get_username()
    return f"{name} ({entry.author_organisation.name})" if entry.author_organisation else name


def _act(request, pk, allowed, form, *, heading, run, done, intro=""):
    """A mediation form page: 404 to whoever may not see the mediation, 403 to whoever may see it but
    not do this; the form, then the service, then back to the mediation."""
    mediation = selectors.mediation_get_for_user(user=request.user, case_pk=pk)
    if not allowed(request.user, mediation):
        raise PermissionDenied
    form = form(mediation)
    if request.method == "POST" and form.is_valid():
        try:
            run(mediation, form)
        except services.MediationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("mediation:case", pk=pk)
    return _form_page(
        request,
        form,
        heading=heading,
        back=reverse("mediation:case", kwargs={"pk": pk}),
        caption=mediation.case.reference,
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
@login_required
def decline(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    mediation = selectors.mediation_get_for_user(user=request.user, case_pk=pk)
    proposal = get_object_or_404(mediation.proposals.select_related("mediator__user"), pk=proposal_pk)
    return _act(
        request,
        pk,
        permissions.can_decline,
        lambda m: DeclineForm(posted_data(request)),
        heading=_("Decline %(name)s as mediator") % {"name": proposal.mediator},
        run=lambda m, form: services.proposal_decline(
            proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=_("You have declined the mediator."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    def form(mediation):
        proposals = [p for p in selectors.proposals_of(mediation) if p.declined_at is None]
        return AppointForm(posted_data(request), proposals=proposals)

    def run(mediation, form):
        mediator = get_object_or_404(Mediator, pk=form.cleaned_data["mediator"])
        services.mediator_appoint(mediation=mediation, mediator=mediator, by=request.user)

    return _act(
        request,
        pk,
        permissions.can_appoint,
        form,
        heading=_("Appoint the mediator"),
        run=run,
        done=_("The mediator is appointed; the parties and the mediator have been told."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.can_mediate,
        lambda m: NoteForm(posted_data(request)),
        heading=_("Add a private note"),
        run=lambda m, form: services.note_add(mediation=m, by=request.user, text=form.cleaned_data["text"]),
        done=_("Your note is saved."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.can_mediate,
        lambda m: MeetingForm(posted_data(request)),
        heading=_("Arrange a meeting"),
        run=lambda m, form: services.meeting_schedule(
            mediation=m,
            by=request.user,
            starts_at=form.starts_at(),
            online=form.cleaned_data["online"],
            place=form.cleaned_data["place"],
        ),
        done=_("The meeting is arranged; the parties and the coordinator have been told."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda u, m: permissions.can_mediate(u, m) and not m.outcome,
        lambda m: AgreementForm(posted_data(request)),
        heading=_("Record the agreement"),
        run=lambda m, form: services.agreement_record(
            mediation=m, by=request.user, summary=form.cleaned_data["summary"], actions=form.actions
        ),
        done=_("The agreement is recorded; both organisations are asked to confirm it."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def no_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda u, m: permissions.can_mediate(u, m) and not m.outcome,
        lambda m: NoAgreementForm(posted_data(request)),
        heading=_("Record that no agreement was reached"),
        intro=_("The concern is then referred outside the Compact, the next stage."),
        run=lambda m, form: services.no_agreement_record(
            mediation=m, by=request.user, summary=form.cleaned_data["summary"]
        ),
        done=_("No agreement is recorded, and the concern is referred to the next stage."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.can_confirm,
        lambda m: ConfirmForm(posted_data(request), submit_label=_("Confirm the agreement")),
        heading=_("Confirm the agreement for your organisation"),
        run=lambda m, form: services.agreement_confirm(mediation=m, by=request.user),
        done=_("Your organisation has confirmed the agreement."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        permissions.can_reveal,
        lambda m: ConfirmForm(posted_data(request), submit_label=_("Reveal our name to the other party")),
        heading=_("Reveal your organisation’s name to the other party"),
        intro=_(
            "The other party will see your organisation’s name in the mediation’s pages and emails. "
            "This cannot be undone."
        ),
        run=lambda m, form: services.name_reveal(mediation=m, by=request.user),
        done=_("Your organisation’s name is now shown to the other party in the mediation."),
    )
