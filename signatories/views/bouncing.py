"""The coordinator's list of the Compact's signatories' email addresses that bounce for good."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commitments.selectors import compact_get_for_coordinator
from signatories import selectors


@require_GET
@login_required
def bouncing_list(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_get_for_coordinator(user=request.user, slug=slug)
    contacts = selectors.bouncing_contacts(compact=compact)
    return render(request, "signatories/bouncing_list.html", {"compact": compact, "contacts": contacts})
