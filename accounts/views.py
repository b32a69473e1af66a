from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commitments.selectors import compacts_coordinated_by
from consultations.permissions import can_register
from funding.permissions import may_record


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "coordinated": compacts_coordinated_by(request.user),
            "may_record_funding": may_record(request.user),
            "may_register_consultation": can_register(request.user),
        },
    )
