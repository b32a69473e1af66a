"""Single sign-on with the council's OpenID Connect provider (decision 0024).

mozilla-django-oidc runs the authorisation code flow (state, nonce and PKCE kept in the session,
the code exchanged for tokens, the RS256 id token checked against the provider's keys); this module
gives it its configuration and decides who the person is:

- the configuration comes from settings (``OIDC_*``), the provider's endpoints from its discovery
  document when only ``OIDC_ISSUER`` is set; everything is off when it is not configured;
- the id token must also come from that issuer, for this client, and not be expired;
- the person is found by the provider's (issuer, subject) link, or on a first sign-in by a verified
  email of an allowed domain (``accounts.services.sign_on_person``);
- whether the provider asserted a second factor (``amr`` holding "mfa", or an ``acr`` the deployment
  names) is left on the request for the callback view.

Which organisation the people of a domain join is known only to signatories, a higher layer: it
plugs a function in with ``register_organisation_joiner``.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60

# Why a sign-in was refused: the callback view shows the page that explains it.
REFUSED_UNVERIFIED = "unverified"
REFUSED_DOMAIN = "domain"
REFUSED_TAKEN = "taken"
REFUSED_PRIVILEGED = "privileged"  # an account with more rights, not linked by email (OIDC_LINK_PRIVILEGED)
REFUSED_INACTIVE = "inactive"
REFUSED_FAILED = "failed"
REFUSED_CANCELLED = "cancelled"  # the provider answered with an error: not signed in there

# --- Configuration ------------------------------------------------------------------------------------


def domain_organisations() -> dict[str, str]:
    """The allowed email domains (lower case) and the organisation (slug or id) each one's people join."""
    mapping = {}
    for item in settings.OIDC_DOMAIN_ORGANISATIONS.split(";"):
        domain, _sep, organisation = item.partition("=")
        domain, organisation = domain.strip().lower().lstrip("@"), organisation.strip()
        if domain and organisation:
            mapping[domain] = organisation
    return mapping


def enabled() -> bool:
    """Whether single sign-on is configured: a client, a provider and at least one allowed domain."""
    has_provider = bool(settings.OIDC_ISSUER) or all(
        (settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_TOKEN_ENDPOINT, settings.OIDC_OP_JWKS_ENDPOINT)
    )
    return bool(settings.OIDC_RP_CLIENT_ID and has_provider and domain_organisations())


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str


def provider() -> Provider:
    """The provider's endpoints: those set in settings, the rest from its discovery document
    (fetched once an hour at most, never at start-up)."""
    discovered: dict = {}
    explicit = (
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        settings.OIDC_OP_TOKEN_ENDPOINT,
        settings.OIDC_OP_JWKS_ENDPOINT,
    )
    if settings.OIDC_ISSUER and not all(explicit):
        key = f"accounts.oidc.discovery:{settings.OIDC_ISSUER}"
        discovered = cache.get(key) or {}
        if not discovered:
            response = requests.get(
                f"{settings.OIDC_ISSUER}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            discovered = response.json()
            if discovered.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
                raise SuspiciousOperation("The discovery document names another issuer.")
            cache.set(key, discovered, DISCOVERY_CACHE_SECONDS)
    return Provider(
        issuer=settings.OIDC_ISSUER,
        authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT or discovered.get("authorization_endpoint", ""),
        token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT or discovered.get("token_endpoint", ""),
        jwks_uri=settings.OIDC_OP_JWKS_ENDPOINT or discovered.get("jwks_uri", ""),
        userinfo_endpoint=settings.OIDC_OP_USER_ENDPOINT or discovered.get("userinfo_endpoint", ""),
    )


def mfa_asserted(claims: dict) -> bool:
    """Whether the provider says the person used a second factor to sign in with it."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if "mfa" in amr:
        return True
    acr = claims.get("acr")
    return bool(acr) and acr in settings.OIDC_MFA_ACR_VALUES


def axes_not_counted(request, credentials: dict | None = None) -> bool:
    """django-axes counts no failure of, and locks no, single sign-on: it has no user name to lock
    (only the address, shared by a whole council office) and no password to guess."""
    return "nonce" in (credentials or {})


# --- The organisation a new person joins (plugged in by signatories) ---------------------------------

OrganisationJoiner = Callable[..., bool]
_joiners: list[OrganisationJoiner] = []


def register_organisation_joiner(joiner: OrganisationJoiner) -> None:
    """``joiner(*, user, organisation)`` makes ``user`` an ordinary member of the organisation named by
    ``organisation`` (a slug or an id from OIDC_DOMAIN_ORGANISATIONS) and says whether it found it."""
    if joiner not in _joiners:
        _joiners.append(joiner)


def organisation_join(*, user, organisation: str) -> bool:
    if not _joiners:
        raise LookupError("No organisation joiner is registered (signatories is not installed?).")
    return any(joiner(user=user, organisation=organisation) for joiner in _joiners)


# --- The authentication backend ------------------------------------------------------------------------


class SignOnRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CouncilSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured lazily (it is made for every sign-in, also with a
    password, and for every request of a person signed in with it: no settings read that may be
    missing, no network) and deciding who the person is with ``accounts.services.sign_on_person``."""

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or "nonce" not in kwargs:
            return None  # a password sign-in, or single sign-on is off
        op = provider()
        self.issuer = op.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = op.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = op.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = op.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except (jwt.PyJWTError, requests.RequestException, ValueError, KeyError) as exc:
            logger.warning("Single sign-on failed: %s", exc)
            raise SuspiciousOperation("The identity provider's answer could not be used.") from exc

    def verify_token(self, token, **kwargs):
        """The library checks the signature, the algorithm and the nonce; here also that the token was
        issued by our provider, for this client, and has not expired."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" not in kwargs:
            return payload  # a userinfo answer sent as a JWT: no token claims to check
        if self.issuer and payload.get("iss", "").rstrip("/") != self.issuer:
            raise SuspiciousOperation("The id token was issued by another provider.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The id token is for another client.")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("The id token has no expiry or no subject.")
        return payload

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an inactive person is signed out

    def get_or_create_user(self, access_token, id_token, payload):
        from accounts.services import sign_on_person

        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about someone else.")
            # What the id token says about how the person signed in stays the id token's.
            claims.update({k: v for k, v in userinfo.items() if k not in ("iss", "aud", "amr", "acr", "nonce")})
        try:
            user = sign_on_person(
                issuer=self.issuer or payload.get("iss", ""), claims=claims, domains=domain_organisations()
            )
        except SignOnRefused as refusal:
            self.request.sign_on_refusal = refusal.reason
            return None
        if not user.is_active:
            self.request.sign_on_refusal = REFUSED_INACTIVE
            return None
        self.request.sign_on_mfa = mfa_asserted(payload)
        return user
