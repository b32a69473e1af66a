"""Coordinators' pages for the logos printed on the cover of the Compact's PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commitments import forms, selectors, services
from compact_portal.forms import posted_data


@require_http_methods(["GET", "POST"])
@login_required
def logo_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The logos on the cover, and a form to upload another."""
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    form = forms.LogoForm(posted_data(request), request.FILES or None, compact=compact)
    if request.method == "POST" and form.is_valid():
        kind, data = form.cleaned_data["image"]
        services.compact_logo_add(
            compact=compact,
            organisation=form.cleaned_data["organisation"],
            kind=kind,
            data=data,
            edition=form.cleaned_data["edition"],
        )
        messages.success(request, _("The logo has been added to the cover of the PDF."))
        return redirect("commitments:logo_list", slug=compact.slug)
    logos = compact.logos.select_related("edition").defer("image")
    return render(request, "commitments/logo_list.html", {"compact": compact, "logos": logos, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def logo_delete(request: HttpRequest, slug: str, logo_pk: int) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    logo = get_object_or_404(compact.logos.defer("image"), pk=logo_pk)
    form = forms.ConfirmForm(posted_data(request), submit_label=_("Remove the logo"), warning=True)
    if request.method == "POST" and form.is_valid():
        services.compact_logo_delete(logo=logo)
        messages.success(request, _("The logo has been removed from the cover of the PDF."))
        return redirect("commitments:logo_list", slug=compact.slug)
    return render(request, "commitments/logo_delete.html", {"compact": compact, "logo": logo, "form": form})
