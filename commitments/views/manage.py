"""Coordinators' pages: start, edit and publish editions, and read their history."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from commitments import forms, selectors, services
from commitments.models import CodeOfPractice, Edition, Outcome, Principle, Undertaking
from commitments.views.public import welsh_context
from compact_portal.forms import posted_data


def _coordinator_edition(request: HttpRequest, slug: str, pk: int) -> tuple:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    edition = get_object_or_404(Edition.objects.select_related("compact"), compact=compact, pk=pk)
    return compact, edition


def _draft_or_redirect(request: HttpRequest, edition: Edition) -> HttpResponse | None:
    if edition.is_draft:
        return None
    messages.error(request, _("Only a draft edition can be changed. Start a new draft from the current edition."))
    return redirect("commitments:manage", slug=edition.compact.slug)


@require_GET
@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    editions = list(compact.editions.order_by("-created_at"))
    return render(
        request,
        "commitments/manage.html",
        {
            "compact": compact,
            "drafts": [e for e in editions if e.is_draft],
            "current": next((e for e in editions if e.is_current), None),
            "superseded": [e for e in editions if e.status == Edition.Status.SUPERSEDED],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def compact_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The Compact's Welsh name, and whether its pages are Welsh first. Coordinators only."""
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    form = forms.CompactSettingsForm(posted_data(request), instance=compact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The Compact’s Welsh name and language are saved."))
        return redirect("commitments:manage", slug=compact.slug)
    return render(request, "commitments/compact_settings.html", {"compact": compact, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def compact_directory_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The ONS code, public contact and review period the national directory shows. Coordinators only."""
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    form = forms.CompactDirectoryForm(posted_data(request), instance=compact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The Compact’s details for the national directory are saved."))
        return redirect("commitments:manage", slug=compact.slug)
    return render(request, "commitments/compact_directory_settings.html", {"compact": compact, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def edition_new(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    form = forms.EditionNewForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["start_from"] == forms.EditionNewForm.START_FROM_CURRENT:
            draft = services.edition_start_from_current(
                compact=compact, name=form.cleaned_data["name"], by=request.user
            )
        else:
            draft = services.edition_create_draft(compact=compact, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("The draft edition ‘%(name)s’ has been started.") % {"name": draft.name})
        return redirect("commitments:edition_edit", slug=compact.slug, pk=draft.pk)
    return render(
        request,
        "commitments/edition_new.html",
        {"compact": compact, "form": form, "current": selectors.edition_current(compact=compact)},
    )


@require_GET
@login_required
def edition_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    return render(
        request,
        "commitments/edition_edit.html",
        {"compact": compact, "edition": edition, "contents": selectors.edition_contents(edition=edition)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def edition_settings(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    form = forms.EditionSettingsForm(posted_data(request), instance=edition)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The edition’s details have been saved."))
        return redirect("commitments:edition_edit", slug=compact.slug, pk=edition.pk)
    return render(request, "commitments/edition_settings.html", {"compact": compact, "edition": edition, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def edition_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    current = selectors.edition_current(compact=compact)
    missing = selectors.edition_missing_parts(current=current, draft=edition) if current else []
    form = forms.PublishForm(posted_data(request), missing=missing)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            published = services.edition_publish(edition=edition, by=request.user, carry_over=form.carry_over)
        except services.EditionError as exc:
            error = str(exc)
        else:
            said = _("‘%(name)s’ is now the current edition.") % {"name": edition.name}
            messages.success(request, " ".join([said, *published.follow_ups]))
            return redirect("commitments:compact_detail", slug=compact.slug)
    contents = selectors.edition_contents(edition=edition)
    comparison = selectors.edition_compare(old=current, new=edition) if current else None
    welsh = welsh_context(edition, selectors.edition_compare_welsh(old=current, new=edition) if current else None)
    return render(
        request,
        "commitments/edition_publish.html",
        {
            "compact": compact,
            "edition": edition,
            "current": current,
            "contents": contents,
            "form": form,
            "error": error,
            "missing": missing,
            "comparison": comparison,
            **welsh,
        },
    )


@require_GET
@login_required
def edition_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact, edition = _coordinator_edition(request, slug, pk)
    return render(
        request,
        "commitments/edition_history.html",
        {
            "compact": compact,
            "edition": edition,
            "entries": selectors.edition_history(edition=edition)[:500],
            "status_changes": edition.status_changes.select_related("changed_by"),
        },
    )


@dataclass(frozen=True)
class Part:
    model: type[models.Model]
    form_class: type
    singular: str
    needs_edition: bool = False


PARTS: dict[str, Part] = {
    "principles": Part(Principle, forms.PrincipleForm, gettext_lazy("principle")),
    "outcomes": Part(Outcome, forms.OutcomeForm, gettext_lazy("outcome"), needs_edition=True),
    "undertakings": Part(Undertaking, forms.UndertakingForm, gettext_lazy("undertaking"), needs_edition=True),
    "codes": Part(CodeOfPractice, forms.CodeOfPracticeForm, gettext_lazy("code of practice")),
}


def _part(name: str) -> Part:
    try:
        return PARTS[name]
    except KeyError:
        raise Http404 from None


def _part_form(part: Part, edition: Edition, data=None, instance=None):
    kwargs = {"data": data, "instance": instance}
    if part.needs_edition:
        kwargs["edition"] = edition
    form = part.form_class(**kwargs)
    if instance is None:
        form.instance.edition = edition
    return form


def _back_to_draft(edition: Edition, obj: models.Model) -> HttpResponse:
    """Back to the draft's page, scrolled to the outcome or undertaking just saved."""
    url = reverse("commitments:edition_edit", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    anchor = getattr(obj, "anchor", "")
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_http_methods(["GET", "POST"])
@login_required
def part_create(request: HttpRequest, slug: str, pk: int, part: str) -> HttpResponse:
    spec = _part(part)
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    if part == "undertakings" and not edition.outcomes.exists():
        messages.error(request, _("Add an outcome first: every undertaking belongs to an outcome."))
        return redirect("commitments:edition_edit", slug=compact.slug, pk=edition.pk)
    initial_outcome = request.GET.get("outcome")
    form = _part_form(spec, edition, posted_data(request))
    if request.method == "GET" and part == "undertakings" and initial_outcome:
        form.initial["outcome"] = initial_outcome
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, _("The %(part)s has been added.") % {"part": spec.singular})
        return _back_to_draft(edition, obj)
    return render(
        request,
        "commitments/part_form.html",
        {"compact": compact, "edition": edition, "form": form, "part": spec, "adding": True},
    )


@require_http_methods(["GET", "POST"])
@login_required
def part_update(request: HttpRequest, slug: str, pk: int, part: str, part_pk: int) -> HttpResponse:
    spec = _part(part)
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    obj = get_object_or_404(spec.model, edition=edition, pk=part_pk)
    form = _part_form(spec, edition, posted_data(request), instance=obj)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, _("The %(part)s has been saved.") % {"part": spec.singular})
        return _back_to_draft(edition, obj)
    return render(
        request,
        "commitments/part_form.html",
        {"compact": compact, "edition": edition, "form": form, "part": spec, "object": obj, "adding": False},
    )


@require_http_methods(["GET", "POST"])
@login_required
def part_delete(request: HttpRequest, slug: str, pk: int, part: str, part_pk: int) -> HttpResponse:
    spec = _part(part)
    compact, edition = _coordinator_edition(request, slug, pk)
    if (response := _draft_or_redirect(request, edition)) is not None:
        return response
    obj = get_object_or_404(spec.model, edition=edition, pk=part_pk)
    form = forms.ConfirmForm(
        posted_data(request), submit_label=_("Yes, delete this %(part)s") % {"part": spec.singular}, warning=True
    )
    if request.method == "POST" and form.is_valid():
        obj.delete()
        messages.success(request, _("The %(part)s has been deleted.") % {"part": spec.singular})
        return redirect("commitments:edition_edit", slug=compact.slug, pk=edition.pk)
    undertaking_count = obj.undertakings.count() if isinstance(obj, Outcome) else 0
    return render(
        request,
        "commitments/part_delete.html",
        {
            "compact": compact,
            "edition": edition,
            "form": form,
            "part": spec,
            "object": obj,
            "undertaking_count": undertaking_count,
        },
    )
