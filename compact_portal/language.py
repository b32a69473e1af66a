"""Choosing the language of the pages: the switch in every page's header, and the cookie that keeps
a visitor's choice.

The switch is a plain link to the same page with ``?lang=cy`` (or ``?lang=en-gb``) added to its
query string. The language middleware (commitments/middleware.py, which also knows the people's
saved languages and the Welsh-first Compacts) sees the parameter, keeps the choice and answers 303
with the same path and query string without ``lang``, so no view has to know about it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme

from compact_portal.middleware import NOT_STORED

SWITCH_PARAMETER = "lang"
WELSH = "cy"
ENGLISH = "en-gb"


def known_language(code: str | None) -> str | None:
    """``code`` when it is one of settings.LANGUAGES exactly (any case), else None."""
    if not code:
        return None
    code = code.strip().lower()
    return code if code in {known for known, _name in settings.LANGUAGES} else None


def supported_language(code: str | None) -> str | None:
    """The language of settings.LANGUAGES that ``code`` stands for (``en`` → ``en-gb``), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _query_without_switch(request: HttpRequest) -> QueryDict:
    query = request.GET.copy()
    query.pop(SWITCH_PARAMETER, None)
    return query


def _same_site_path(request: HttpRequest) -> str:
    """The request's path, escaped as in its address, starting with exactly one slash."""
    return "/" + escape_uri_path(request.path.lstrip("/\\"))


def same_page_without_switch(request: HttpRequest) -> str:
    """The path and query string of this request, without ``lang``, as a same-site address.

    ``//evil.example/`` as a path would be read by a browser as another site's address (a
    scheme-relative URL): leading slashes and backslashes are collapsed to one, so the answer is
    always a path on this host.
    """
    path = _same_site_path(request)
    query = _query_without_switch(request).urlencode()
    location = f"{path}?{query}" if query else path
    if not url_has_allowed_host_and_scheme(location, allowed_hosts=None):
        return "/"
    return location


def switch_href(request: HttpRequest, code: str) -> str:
    """The switch's link: this page, with its query string, and ``lang=<code>``."""
    query = _query_without_switch(request)
    query[SWITCH_PARAMETER] = code
    return f"{_same_site_path(request)}?{query.urlencode()}"


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """Keeps ``code`` in the language cookie, with the cookie settings (secure in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def cookie_language(request: HttpRequest) -> str | None:
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def switch_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """303 to the same page without ``lang``; the choice goes in the cookie. Never kept by a cache."""
    response = HttpResponseRedirect(same_page_without_switch(request), status=303)
    set_language_cookie(response, code)
    response.headers["Cache-Control"] = NOT_STORED
    return response
