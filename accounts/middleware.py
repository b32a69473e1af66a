"""Multi-factor sign-in and the idle timeout for the people who can see withheld identities.

After their password, coordinators and superusers are sent to set up an authenticator app (the
first time) or to enter a code from it; until then every other page sends them back there. After
settings.PORTAL_IDLE_TIMEOUT seconds without a request they are signed out.

Everything is read from the session (no query on most requests): whether the person needs a second
factor is worked out when they sign in and again every few minutes, when the time of their last
request is also written.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import mfa_device_for, mfa_required

MFA_REQUIRED = "accounts_mfa_required"
MFA_CHECKED_AT = "accounts_mfa_checked_at"
MFA_VERIFIED = "accounts_mfa_verified"
LAST_SEEN = "accounts_last_seen"
# How often the session is brought up to date: whether a second factor is needed (a person made a
# coordinator mid-session needs one from then on), and the time of the last request.
RECHECK_SECONDS = 300
LAST_SEEN_GRANULARITY = 60

# What a person who still owes a second factor may reach: the code pages, "Sign out", and the
# council's colour (a stylesheet every page loads, the same for everyone).
MFA_PAGES = (
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "accounts:mfa_recovery_codes",
    "accounts:logout",
    "brand_css",
)


def now() -> float:
    """The current time in seconds; tests patch this to move the clock."""
    return time.time()


def session_start(request: HttpRequest, user) -> None:
    """At sign-in: whether this person needs a second factor, and the start of their activity."""
    moment = int(now())
    request.session[MFA_REQUIRED] = mfa_required(user)
    request.session[MFA_CHECKED_AT] = moment
    request.session[MFA_VERIFIED] = False
    request.session[LAST_SEEN] = moment


def mfa_verified_mark(request: HttpRequest) -> None:
    request.session.cycle_key()
    request.session[MFA_VERIFIED] = True
    request.session[LAST_SEEN] = int(now())


def _with_next(name: str, request: HttpRequest) -> str:
    url = reverse(name)
    if request.method == "GET" and request.path != reverse("accounts:dashboard"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


class MfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        moment = int(now())
        if session.get(MFA_REQUIRED) is None or moment - session.get(MFA_CHECKED_AT, 0) >= RECHECK_SECONDS:
            session[MFA_REQUIRED] = mfa_required(user)
            session[MFA_CHECKED_AT] = moment
        if not session[MFA_REQUIRED]:
            return self.get_response(request)

        last_seen = session.get(LAST_SEEN)
        if last_seen is not None and moment - last_seen > settings.PORTAL_IDLE_TIMEOUT:
            logout(request)
            minutes = settings.PORTAL_IDLE_TIMEOUT // 60
            messages.info(
                request,
                _(
                    "You were signed out because you did nothing on the portal for %(minutes)d minutes. "
                    "Sign in again to carry on."
                )
                % {"minutes": minutes},
            )
            login_url = reverse(settings.LOGIN_URL)
            if request.method == "GET":
                login_url += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(login_url)
        if last_seen is None or moment - last_seen >= LAST_SEEN_GRANULARITY:
            session[LAST_SEEN] = moment

        if not session.get(MFA_VERIFIED):
            match = getattr(request, "resolver_match", None)
            view_name = match.view_name if match else _view_name(request)
            if view_name not in MFA_PAGES:
                page = "accounts:mfa_verify" if mfa_device_for(user) else "accounts:mfa_setup"
                return HttpResponseRedirect(_with_next(page, request))
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
