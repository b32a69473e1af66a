import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy.html",
        {
            "privacy_contact_email": settings.PORTAL_PRIVACY_CONTACT_EMAIL,
            "PORTAL_SIGN_IN_RECORDS_KEPT_DAYS": settings.PORTAL_SIGN_IN_RECORDS_KEPT_DAYS,
            "language_cookie_name": settings.LANGUAGE_COOKIE_NAME,
            "language_cookie_days": (settings.LANGUAGE_COOKIE_AGE or 0) // (24 * 60 * 60),
        },
    )


@require_GET
@cache_control(max_age=3600, public=True)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The council's colour as a CSS custom property, so no inline style is needed."""
    colour = settings.PORTAL_BRAND_COLOUR
    if not HEX_COLOUR_RE.match(colour):
        colour = "#1d70b8"
    return HttpResponse(f":root {{ --app-brand-colour: {colour}; }}\n", content_type="text/css")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
