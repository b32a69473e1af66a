"""The language of each page: the switch, the person's choice, the cookie, Welsh-first Compacts.

A request is read in the first of these that gives a language (README, "Cymraeg / Welsh"):

1. ``?lang=cy`` or ``?lang=en-gb`` (the switch in the header): the choice is kept (in the cookie,
   and in the profile of a signed-in person) and the answer is a 303 to the same page without it.
   Any other value is ignored, and only GET and HEAD requests switch.
2. The signed-in person's saved language (``User.language``).
3. The language cookie (settings.LANGUAGE_COOKIE_NAME).
4. Welsh-first: Welsh when every Compact of the deployment is Welsh-first, or on a page of a
   Welsh-first Compact, that is a page whose address names the Compact by its slug (``slug`` in
   the URL's arguments: every such URL in the portal is a Compact's, /compacts/<slug>/… with its
   editions, register, management pages and PDFs, /figures/<slug>/ and its calendar feed).
   Pages addressed by a number (a consultation, notice, concern, organisation) do not count.
5. The browser's Accept-Language.
6. English (settings.LANGUAGE_CODE).

It sits after AuthenticationMiddleware. Django's LocaleMiddleware stays above it for its
Content-Language and ``Vary: Accept-Language``; this one adds ``Vary: Cookie`` (the choice is
read from the session and the cookie) and, for a signed-in person whose cookie disagrees with
their saved language (just after sign-in, or after a change on another device), the cookie.
This lives in commitments, the lowest layer that knows both people and Compacts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.services import user_language_set
from commitments.welsh_first import every_compact_is_welsh_first, welsh_first_by_slug
from compact_portal.language import (
    SWITCH_PARAMETER,
    WELSH,
    cookie_language,
    known_language,
    set_language_cookie,
    supported_language,
    switch_redirect,
)

# The URL argument that names a Compact: every ``slug`` in the portal's URLs is a Compact's.
COMPACT_URL_ARGUMENT = "slug"


def _signed_in(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def chosen_language(request: HttpRequest) -> str | None:
    """The language the person chose: saved in their profile, else in the cookie."""
    user = _signed_in(request)
    if user is not None:
        saved = supported_language(user.language)
        if saved:
            return saved
    return cookie_language(request)


def _activate(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


# A calendar app keeps no cookie and follows no switch: a feed reads ``?lang=`` itself
# (notifications.calendars.feed_language), so the address a person copies gives their language.
FEEDS_READ_LANG_THEMSELVES = (".ics",)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and SWITCH_PARAMETER in request.GET
            and not request.path.endswith(FEEDS_READ_LANG_THEMSELVES)
        ):
            code = known_language(request.GET.get(SWITCH_PARAMETER))
            if code:
                user = _signed_in(request)
                if user is not None:
                    user_language_set(user=user, language=code)
                return switch_redirect(request, code)

        chosen = chosen_language(request)
        # Read once per request (and kept in the process), only for a person who has not chosen.
        request.portal_welsh_first = None if chosen else welsh_first_by_slug()
        if chosen:
            language = chosen
        elif every_compact_is_welsh_first(request.portal_welsh_first):
            language = WELSH
        else:
            language = translation.get_language_from_request(request)
        _activate(request, language)

        response = self.get_response(request)

        user = _signed_in(request)
        if user is not None:
            saved = supported_language(user.language)
            if saved and cookie_language(request) != saved:
                set_language_cookie(response, saved)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        flags = getattr(request, "portal_welsh_first", None)
        if not flags:
            return None
        slug = view_kwargs.get(COMPACT_URL_ARGUMENT)
        if isinstance(slug, str) and flags.get(slug, False):
            _activate(request, WELSH)
        return None
