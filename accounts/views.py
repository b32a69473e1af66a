import logging
import math
from base64 import b32encode
from urllib.parse import urlencode

import requests
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django.views.generic import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import oidc
from accounts.forms import LanguageForm, LoginForm, MfaCodeForm
from accounts.middleware import MFA_VERIFIED, mfa_verified_mark
from accounts.selectors import mfa_device_for, mfa_required
from accounts.services import mfa_code_check, mfa_device_start, mfa_enrolment_confirm, user_language_set
from compact_portal.forms import posted_data
from compact_portal.language import set_language_cookie
from compact_portal.names import council_name

logger = logging.getLogger(__name__)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's page. What it offers from the apps above accounts (Compacts they
    coordinate, registering a consultation, recording a notice or a sign-up) comes from those apps'
    template tags, so that accounts imports none of them."""
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "accounts/dashboard.html",
        {"memberships": memberships},
    )


@login_required
def language(request: HttpRequest) -> HttpResponse:
    """The language of the person's pages and emails, kept in their profile and the cookie."""
    form = LanguageForm(posted_data(request), initial={"language": request.user.language or request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        user_language_set(user=request.user, language=chosen)
        translation.activate(chosen)  # the message below, and the next page, are in the new language
        messages.success(request, _("Your language has been saved."))
        response = redirect("accounts:dashboard")
        set_language_cookie(response, chosen)
        return response
    return render(request, "accounts/language.html", {"form": form})


# --- Multi-factor sign-in ------------------------------------------------------------------------

SETUP_DEVICE = "accounts_mfa_setup_device"
NEW_RECOVERY_CODES = "accounts_new_recovery_codes"
AFTER_MFA = "accounts_after_mfa"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:dashboard")


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def _wait_message(device) -> str | None:
    """Why the device takes no code now (too many wrong ones), or None."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 60
    return ngettext(
        "You have entered too many wrong codes. Wait %(count)d second, then enter the code your app shows.",
        "You have entered too many wrong codes. Wait %(count)d seconds, then enter the code your app shows.",
        seconds,
    ) % {"count": seconds}


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), enter a code from it."""
    user = request.user
    if not mfa_required(user):
        return redirect("accounts:dashboard")
    if mfa_device_for(user) is not None:
        # Set up already: a second app is added only after a reset (never by someone who only has the password).
        if request.session.get(MFA_VERIFIED):
            return redirect("accounts:dashboard")
        return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': _next_url(request)})}")
    # The key being set up stays the same until it is confirmed (the page reloaded, or open twice).
    device = TOTPDevice.objects.filter(pk=request.session.get(SETUP_DEVICE) or 0, user=user, confirmed=False).first()
    if request.method == "POST" and device is None:  # the session changed: start again
        return redirect("accounts:mfa_setup")
    form = MfaCodeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        codes = None if wait else mfa_enrolment_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            mfa_verified_mark(request)
            request.session.pop(SETUP_DEVICE, None)
            request.session[NEW_RECOVERY_CODES] = codes
            request.session[AFTER_MFA] = _next_url(request)
            return redirect("accounts:mfa_recovery_codes")
        form.add_error(
            "code",
            wait or _("The code is not right. Enter the 6-digit code your authenticator app shows now"),
        )
    if device is None:
        device = mfa_device_start(user=user)
        request.session[SETUP_DEVICE] = device.pk
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_data_uri": segno.make(device.config_url, error="m").png_data_uri(scale=5, border=4),
            "secret": _grouped(secret),
            "next": _next_url(request),
        },
    )


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """At sign-in: the code from the authenticator app, or a recovery code."""
    user = request.user
    if request.session.get(MFA_VERIFIED) or not mfa_required(user):
        return redirect(_next_url(request))
    device = mfa_device_for(user)
    if device is None:
        return redirect(f"{reverse('accounts:mfa_setup')}?{urlencode({'next': _next_url(request)})}")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    form = MfaCodeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        if wait is None and mfa_code_check(user=user, code=form.cleaned_data["code"]):
            mfa_verified_mark(request)
            return redirect(_next_url(request))
        if wait is None:
            # A wrong code counts as a failed sign-in (django-axes): five lock the user name for an hour.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, credentials):
                logout(request)
                return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        form.add_error(
            "code",
            wait
            or _("The code is not right. Enter the 6-digit code your authenticator app shows now, or a recovery code"),
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_GET
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The ten new recovery codes, shown once."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    after = request.session.pop(AFTER_MFA, None) or reverse("accounts:dashboard")
    if not codes:
        return redirect("accounts:dashboard")
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "after": after})


# --- Single sign-on with the council's identity provider (accounts/oidc.py) -------------------------------


class SignInView(auth_views.LoginView):
    """The password form, and beside it "Sign in with <council>" when single sign-on is configured."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if oidc.enabled():
            start = reverse("accounts:oidc_start")
            next_url = self.get_redirect_url()
            context["sign_on_url"] = f"{start}?{urlencode({'next': next_url})}" if next_url else start
            context["sign_on_council"] = council_name()
        return context


def _sign_on_refused(request: HttpRequest, reason: str) -> HttpResponse:
    status = 400 if reason == oidc.REFUSED_FAILED else 403
    return render(request, "accounts/sign_on_refused.html", {"reason": reason}, status=status)


class SignOnStartView(OIDCAuthenticationRequestView):
    """To the council's identity provider, with a new state, nonce and PKCE challenge in the session."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the endpoints are read when asked, not at start-up

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider().authorization_endpoint
        except (requests.RequestException, ValueError, SuspiciousOperation):
            logger.exception("The identity provider's discovery document could not be read")
            return _sign_on_refused(request, oidc.REFUSED_FAILED)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """Back from the identity provider: the library checks the state (one use, this browser's), the
    nonce and the id token; a refusal is shown on a page that says why; a provider that asserted a
    second factor spares the person the portal's own code."""

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("Single sign-on callback refused: %s", exc)
            return _sign_on_refused(request, oidc.REFUSED_FAILED)

    def login_failure(self):
        default = oidc.REFUSED_CANCELLED if self.request.GET.get("error") else oidc.REFUSED_FAILED
        return _sign_on_refused(self.request, getattr(self.request, "sign_on_refusal", default))

    def login_success(self):
        response = super().login_success()  # signs in: accounts.middleware.session_start runs
        if getattr(self.request, "sign_on_mfa", False):
            self.request.session[MFA_VERIFIED] = True
        return response
