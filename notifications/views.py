"""A person's notifications and email choices; calendar feeds and the page that gives out the secret one."""

import hmac
import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact_portal.bilingual import is_welsh
from compact_portal.forms import posted_data
from notifications import calendars, delivery, forms, services
from notifications.kinds import switchable_kinds
from notifications.models import EmailPreference, Notification
from notifications.registry import COMPACT_FEED, ORGANISATION_FEED, calendar_owner

PER_PAGE = 25


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first; those on the page are marked read once shown (still flagged new this time)."""
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "subject", "body", "link", "created_at", "read_at"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    unread = [n.pk for n in items if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
    return render(
        request,
        "notifications/notification_list.html",
        {
            "notifications": items,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filter_query": "",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    choices = dict(EmailPreference.objects.filter(user=request.user).values_list("kind", "email"))
    emailed = {kind.code for kind in switchable_kinds() if choices.get(kind.code, kind.emailed_by_default)}
    form = forms.EmailPreferencesForm(posted_data(request), emailed=emailed)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_save(user=request.user, emailed=form.emailed, kinds=form.kinds)
        messages.success(
            request,
            _("Your choices have been saved. Every notification still appears on your notifications page."),
        )
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_GET
def compact_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A Compact's consultation deadlines: public, like the consultations themselves."""
    compact = calendars.feed_owner(COMPACT_FEED, slug)
    response = _calendar_response(request, COMPACT_FEED, compact)
    patch_cache_control(response, public=True, max_age=calendars.CACHE_SECONDS)
    return response


@require_GET
def organisation_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """An organisation's deadlines, funding notices included: the secret token is the only key."""
    organisation = calendars.feed_owner(ORGANISATION_FEED, token)
    response = _calendar_response(request, ORGANISATION_FEED, organisation)
    patch_cache_control(response, private=True, max_age=calendars.CACHE_SECONDS)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _calendar_response(request: HttpRequest, feed: str, owner) -> HttpResponse:
    """The feed, or 304 Not Modified for a calendar app that has this version (ETag or date)."""
    language = calendars.feed_language(feed, owner, request.GET.get("lang"))
    made = calendars.cached_feed(feed, owner, language)
    last_modified = int(made.made_at.timestamp())
    if made.etag:
        not_modified = get_conditional_response(request, etag=made.etag, last_modified=last_modified)
        if not_modified is not None:
            not_modified["ETag"] = made.etag
            return not_modified
    response = HttpResponse(made.content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{calendars.feed_filename(feed, owner)}"'
    if made.etag:
        response["ETag"] = made.etag
        response["Last-Modified"] = http_date(last_modified)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def organisation_calendar_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The secret address of the organisation's calendar, for its members; admins can replace it."""
    owner = calendar_owner(ORGANISATION_FEED)
    organisation = owner.for_member(request.user, pk)
    is_admin = owner.may_change_address(request.user, organisation)
    form = forms.ConfirmForm(posted_data(request), submit_label=_("Make a new address"), warning=True)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            services.organisation_calendar_token_rotate(organisation=organisation)
            messages.success(
                request,
                _("The calendar has a new address. The old one no longer works: use the new one in your calendar."),
            )
            return redirect("notifications:organisation_calendar_page", pk=organisation.pk)
    token = services.organisation_calendar_token(organisation=organisation)
    feed_url = services.absolute_url(reverse("notifications:organisation_calendar", kwargs={"token": token}))
    if is_welsh(getattr(request.user, "language", "") or translation.get_language()):
        feed_url += "?lang=cy"  # the member's own copy of the address: their calendar in Welsh
    response = render(
        request,
        "notifications/organisation_calendar.html",
        {
            "organisation": organisation,
            "feed_url": feed_url,
            "is_admin": is_admin,
            "form": form,
            "window_starts": calendars.feed_since(),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- GOV.UK Notify's delivery receipts -------------------------------------------------------------


@csrf_exempt
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    """A delivery receipt from GOV.UK Notify (decision 0023): ``Authorization: Bearer <token>``,
    the token being ``NOTIFY_CALLBACK_TOKEN``, compared in constant time; a JSON body with the
    notification's ``id`` and ``status``. Answers 204 once recorded (an id that is not ours too, so
    that Notify does not send it again)."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    if not expected:
        return HttpResponse(status=403)  # receipts are off: nobody may post them
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    receipt = _receipt(request.body)
    if receipt is None:
        return HttpResponse(status=400)
    delivery.delivery_receipt_record(notify_id=receipt[0], status=receipt[1])
    return HttpResponse(status=204)


def _receipt(body: bytes) -> tuple[str, str] | None:
    """Notify's id and the status from a receipt's body; None when it is not one."""
    if len(body) > 64 * 1024:
        return None
    try:
        data = json.loads(body)
        notify_id = str(uuid.UUID(str(data["id"])))
        status = str(data["status"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if status not in delivery.RECEIPT_STATUSES:
        return None
    return notify_id, status
