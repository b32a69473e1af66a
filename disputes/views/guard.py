"""The guard against retaliation, for a Compact's coordinators: the flags raised when a public body
acted against an organisation with a concern against it, and the review of each. Everyone else is
refused (403 for a signed-in user who does not coordinate the Compact, as its other coordinator
pages are)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments.selectors import compact_get_for_coordinator
from compact_portal.forms import posted_data
from disputes import selectors, services
from disputes.forms import GuardReviewForm


@require_GET
@login_required
def flag_list(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    return render(
        request, "disputes/guard_list.html", {"compact": compact, "flags": list(selectors.guard_flags(compact=compact))}
    )


@require_http_methods(["GET", "POST"])
@login_required
def flag_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    flag = selectors.guard_flag_get(compact=compact, pk=pk)
    form = GuardReviewForm(posted_data(request), initial={"review": flag.review, "note": flag.review_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.guard_review(
                flag=flag, by=request.user, review=form.cleaned_data["review"], note=form.cleaned_data["note"]
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your review is saved."))
            return redirect(flag)
    return render(request, "disputes/guard_detail.html", {"compact": compact, "flag": flag, "form": form})
