"""The action plan's pages (the public plan, the coordinator's management, an action's own page for
its lead) and the evidence pages. Reads that are not public go through ``actionplans.selectors``
(404 to whoever may not see); writes through ``actionplans.services``."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from actionplans import permissions, selectors, services
from actionplans.forms import ActionForm, DecideForm, EvidenceForm, NoteForm, StatusForm, StrandForm
from actionplans.models import Evidence, Strand
from commitments.selectors import compact_get, compact_get_for_coordinator
from compact_portal.bilingual import localised
from compact_portal.dates import financial_year_label, financial_year_of
from compact_portal.forms import posted_data
from compact_portal.uploads import checked_upload, file_download
from signatories.models import Organisation, Signature
from signatories.views.register import csv_safe


def _plan_url(compact) -> str:
    from django.urls import reverse

    return reverse("actionplans:manage", kwargs={"slug": compact.slug})


# --- The public plan ---------------------------------------------------------------------------------------


@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan as anyone may read it: strands, actions, leads, due dates, status and computed
    progress. Never the progress notes."""
    compact = compact_get(slug=slug)
    return render(
        request,
        "actionplans/plan.html",
        {
            "compact": compact,
            "strands": selectors.plan(compact),
            "can_manage": permissions.can_manage_plan(request.user, compact),
            "can_give_evidence": permissions.can_give_evidence(request.user, compact),
            "led_by_me": set(
                selectors.actions_led_by_user(user=request.user, compact=compact).values_list("pk", flat=True)
            ),
        },
    )


PLAN_CSV_HEADINGS = (
    gettext_lazy("strand"),
    gettext_lazy("action"),
    gettext_lazy("action (Welsh)"),
    gettext_lazy("lead organisation"),
    gettext_lazy("lead person"),
    gettext_lazy("start date"),
    gettext_lazy("due date"),
    gettext_lazy("status"),
    gettext_lazy("why it was dropped"),
    gettext_lazy("target"),
    gettext_lazy("progress: done"),
    gettext_lazy("progress: of"),
    gettext_lazy("target met"),
)


@require_GET
def plan_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The public plan as CSV (what the page shows: never the progress notes), in the reader's language."""
    compact = compact_get(slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{compact.slug}-action-plan.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in PLAN_CSV_HEADINGS])
    for strand_row in selectors.plan(compact):
        strand = strand_row.strand
        strand_name = strand.get_guidance_display() if strand.guidance else localised(strand, "title").text
        for row in strand_row.actions:
            action, progress = row.action, row.progress
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        strand_name,
                        action.title,
                        action.title_cy,
                        action.lead_organisation.name,
                        action.lead_person,
                        action.starts_on.isoformat(),
                        action.due_on.isoformat(),
                        action.get_status_display(),
                        action.dropped_reason,
                        action.get_target_kind_display() if action.target_kind else "",
                        progress.done if progress else "",
                        progress.total if progress else "",
                        (_("yes") if progress.met else _("no")) if progress else "",
                    )
                ]
            )
    return response


# --- The coordinator's management --------------------------------------------------------------------------


@require_GET
@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    return render(
        request,
        "actionplans/manage.html",
        {
            "compact": compact,
            "strands": selectors.plan(compact),
            "evidence_waiting": selectors.evidence_for_coordinator(compact)
            .filter(status=Evidence.Status.SUBMITTED)
            .count(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def strand_new(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    form = StrandForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        strand = services.strand_create(compact=compact, **form.cleaned_data)
        messages.success(request, _("The strand ‘%(strand)s’ is added to the plan.") % {"strand": strand})
        return redirect(_plan_url(compact))
    return render(request, "actionplans/form.html", {"compact": compact, "form": form, "heading": _("Add a strand")})


@require_http_methods(["GET", "POST"])
@login_required
def strand_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Rename a strand a coordinator added (the guidance's four keep their names)."""
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    strand = get_object_or_404(Strand, compact=compact, pk=pk, guidance="")
    form = StrandForm(posted_data(request), initial={"title": strand.title, "title_cy": strand.title_cy})
    form.helper.inputs[0].value = _("Save the strand")
    if request.method == "POST" and form.is_valid():
        strand.title, strand.title_cy = form.cleaned_data["title"], form.cleaned_data["title_cy"]
        strand.save(update_fields=["title", "title_cy"])
        messages.success(request, _("The strand is renamed ‘%(strand)s’.") % {"strand": strand})
        return redirect(_plan_url(compact))
    return render(request, "actionplans/form.html", {"compact": compact, "form": form, "heading": _("Rename a strand")})


def _lead_choices(compact):
    """The organisations that may lead an action: those that have signed the Compact."""
    return (
        Organisation.objects.filter(signatures__edition__compact=compact, signatures__status=Signature.Status.SIGNED)
        .distinct()
        .order_by("name")
    )


def _action_form(request, compact, action=None) -> ActionForm:
    return ActionForm(
        posted_data(request),
        strands=compact.plan_strands.all(),
        organisations=_lead_choices(compact),
        outcomes=selectors.current_outcomes(compact),
        undertakings=selectors.current_undertakings(compact),
        action=action,
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_new(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    form = _action_form(request, compact)
    if request.method == "POST" and form.is_valid():
        action = services.action_create(compact=compact, by=request.user, **form.action_fields())
        messages.success(request, _("The action ‘%(action)s’ is added to the plan.") % {"action": action.title})
        return redirect(_plan_url(compact))
    return render(request, "actionplans/form.html", {"compact": compact, "form": form, "heading": _("Add an action")})


@require_http_methods(["GET", "POST"])
@login_required
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    action = selectors.action_get(compact=compact, pk=pk)
    form = _action_form(request, compact, action)
    if request.method == "POST" and form.is_valid():
        for name, value in form.action_fields().items():
            setattr(action, name, value)
        action.save()
        messages.success(request, _("The action ‘%(action)s’ is saved.") % {"action": action.title})
        return redirect(_plan_url(compact))
    return render(
        request,
        "actionplans/form.html",
        {"compact": compact, "form": form, "heading": _("Change an action"), "back": action.get_absolute_url()},
    )


# --- An action's own page: its lead and the coordinators ----------------------------------------------------


@require_GET
@login_required
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get(slug=slug)
    action = selectors.action_get_for_updater(user=request.user, compact=compact, pk=pk)
    rows = [row for strand in selectors.plan(compact) for row in strand.actions if row.action.pk == action.pk]
    return render(
        request,
        "actionplans/action_detail.html",
        {
            "compact": compact,
            "action": action,
            "row": rows[0] if rows else None,
            "notes": selectors.action_notes(action),
            "history": selectors.action_history(action),
            "can_manage": permissions.can_manage_plan(request.user, compact),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get(slug=slug)
    action = selectors.action_get_for_updater(user=request.user, compact=compact, pk=pk)
    form = StatusForm(posted_data(request), action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_set_status(
                action=action, status=form.cleaned_data["status"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("The action’s status is changed."))
            return redirect(action.get_absolute_url())
    return render(
        request,
        "actionplans/form.html",
        {
            "compact": compact,
            "form": form,
            "heading": _("Change the status"),
            "caption": action.title,
            "back": action.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get(slug=slug)
    action = selectors.action_get_for_updater(user=request.user, compact=compact, pk=pk)
    form = NoteForm(posted_data(request), initial={"written_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.note_add(action=action, by=request.user, **form.cleaned_data)
        messages.success(request, _("The progress note is added."))
        return redirect(action.get_absolute_url())
    return render(
        request,
        "actionplans/form.html",
        {
            "compact": compact,
            "form": form,
            "heading": _("Add a progress note"),
            "caption": action.title,
            "back": action.get_absolute_url(),
        },
    )


# --- Evidence ---------------------------------------------------------------------------------------------


def _years(today) -> list[tuple[str, str]]:
    this_year = financial_year_of(today)
    return [(str(y), financial_year_label(y)) for y in (this_year, this_year - 1)]


@require_http_methods(["GET", "POST"])
@login_required
def evidence_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Members of signed organisations give evidence that an outcome is being met."""
    compact = compact_get(slug=slug)
    organisations = list(permissions.signed_organisations_of(request.user, compact))
    if not organisations:
        raise PermissionDenied
    today = timezone.localdate()
    form = EvidenceForm(
        posted_data(request),
        request.FILES or None,
        organisations=organisations,
        outcomes=selectors.current_outcomes(compact),
        years=_years(today),
        initial={"year": str(financial_year_of(today))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            file = checked_upload(data["file"]) if data.get("file") else None
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            evidence = services.evidence_submit(
                compact=compact,
                organisation=form.organisations[data["organisation"]],
                outcome=form.outcomes[data["outcome"]],
                year=int(data["year"]),
                kind=data["kind"],
                title=data["title"],
                text=data.get("text", ""),
                file=file,
                by=request.user,
            )
            messages.success(request, _("Thank you. A coordinator will check the evidence."))
            return redirect(evidence.get_absolute_url())
    return render(
        request,
        "actionplans/evidence_new.html",
        {"compact": compact, "form": form, "given": selectors.evidence_of_user(user=request.user, compact=compact)},
    )


@require_GET
@login_required
def evidence_manage(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    return render(
        request,
        "actionplans/evidence_manage.html",
        {
            "compact": compact,
            "evidence": selectors.evidence_for_coordinator(compact),
            "meanings": selectors.EVIDENCE_MEANINGS,
        },
    )


@require_GET
@login_required
def evidence_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get(slug=slug)
    evidence = selectors.evidence_get_for_user(user=request.user, compact=compact, pk=pk)
    return render(
        request,
        "actionplans/evidence_detail.html",
        {
            "compact": compact,
            "evidence": evidence,
            "meaning": selectors.EVIDENCE_MEANINGS[evidence.status],
            "can_decide": permissions.can_decide_evidence(request.user, compact),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def evidence_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get(slug=slug)
    evidence = selectors.evidence_get_for_user(user=request.user, compact=compact, pk=pk)
    if not permissions.can_decide_evidence(request.user, compact):
        raise PermissionDenied
    form = DecideForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        services.evidence_decide(
            evidence=evidence,
            accept=form.cleaned_data["decision"] == "accept",
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your decision on the evidence is saved."))
        return redirect("actionplans:evidence_manage", slug=compact.slug)
    return render(
        request,
        "actionplans/form.html",
        {
            "compact": compact,
            "form": form,
            "heading": _("Accept or return the evidence"),
            "caption": evidence.title,
            "back": evidence.get_absolute_url(),
        },
    )


@require_GET
def evidence_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The evidence's file: public once accepted; before, for its organisation's members and the coordinators."""
    compact = compact_get(slug=slug)
    evidence = selectors.evidence_get_for_download(user=request.user, compact=compact, pk=pk)
    response = file_download(evidence.file)
    if evidence.status != Evidence.Status.ACCEPTED:
        response["Cache-Control"] = "private, no-store"
    return response
