"""Writes about a person's account: setting up multi-factor sign-in, checking codes, resetting it;
single sign-on with the council's identity provider (sign_on_person).

A code is a 6-digit TOTP (RFC 6238) from an authenticator app, checked by django-otp's TOTPDevice
(which refuses a code used before and waits longer after each wrong one), or one of ten one-time
recovery codes, kept as keyed hashes.
"""

import logging
import secrets
from base64 import b32decode
from binascii import unhexlify

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode, SignOnIdentity, User
from accounts.selectors import has_privileged_rights

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper is typed as it was printed.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # about 50 bits; shown as two groups of five


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_hash(*, user: User, code: str) -> str:
    """A keyed hash (HMAC-SHA256 with the SECRET_KEY and the user) of a normalised recovery code:
    a copy of the database alone does not let anyone try codes offline."""
    return salted_hmac("accounts.recovery-code", f"{user.pk}:{normalise_code(code)}", algorithm="sha256").hexdigest()


def recovery_codes_make(*, user: User) -> list[str]:
    """Ten new recovery codes for the person (the old ones stop working): returned once, to show."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(user=user, code_hash=recovery_code_hash(user=user, code=code)) for code in codes]
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def mfa_device_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, not yet confirmed (made again each visit
    until a code from it is entered)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def mfa_enrolment_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code from it: the device becomes the person's only one and ten new
    recovery codes are made and returned (to show once). None when the code is not right."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not _totp_matches(device, code):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_make(user=device.user)


def mfa_code_check(*, user: User, code: str) -> bool:
    """Whether ``code`` is a right code from the person's app or an unused recovery code (used up
    by this). Wrong codes make the next check wait longer (django-otp's throttling)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            return False
        if not device.verify_is_allowed()[0]:
            return False
        if _totp_matches(device, code):
            return True
        recovery = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, code_hash=recovery_code_hash(user=user, code=code))
            .first()
        )
        if recovery is not None:
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            device.throttle_reset()
            return True
        return False


def _totp_matches(device: TOTPDevice, code: str) -> bool:
    code = normalise_code(code)
    if not (code.isdigit() and len(code) == device.digits):
        device.throttle_increment()
        return False
    return device.verify_token(code)


def mfa_reset(*, user: User) -> None:
    """Forget the person's app and recovery codes: they set multi-factor sign-in up again at their
    next sign-in (for someone who lost both their phone and their codes)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()


# The demo accounts' authenticator key (seed_demo, DEBUG only): README, "Demo accounts".
DEMO_MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo accounts only


def mfa_demo_device_set(*, user: User) -> TOTPDevice:
    """Give a demo account an app with the known DEMO_MFA_SECRET, so the demo can be signed in to
    (codes from ``manage.py mfa_code``, or any authenticator app given the key)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=b32decode(DEMO_MFA_SECRET).hex(), confirmed=True
        )


def mfa_current_code(*, device: TOTPDevice) -> str:
    """The code the person's app shows now (the demo's `manage.py mfa_code`, and the tests)."""
    return f"{totp(unhexlify(device.key), step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def user_language_set(*, user: User, language: str) -> None:
    """Saves the language of ``user``'s pages and emails (one of settings.LANGUAGES, or "")."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_language_at_sign_in(*, user: User, cookie_language: str | None) -> None:
    """At sign-in a person's saved language wins (the language middleware puts it in the cookie);
    a person with none keeps the language they chose as a visitor, and it is saved."""
    if not user.language and cookie_language:
        user_language_set(user=user, language=cookie_language)


# --- Single sign-on (accounts/oidc.py, decision 0024) ---------------------------------------------------


def sign_on_email(claims: dict, domains: dict[str, str]) -> tuple[str, str]:
    """The person's email and its domain, when the provider has verified it and the domain is allowed;
    otherwise SignOnRefused saying which."""
    from accounts.oidc import REFUSED_DOMAIN, REFUSED_UNVERIFIED, SignOnRefused

    email = str(claims.get("email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SignOnRefused(REFUSED_UNVERIFIED) from None
    if len(email) > 254:
        raise SignOnRefused(REFUSED_UNVERIFIED)
    domain = email.rpartition("@")[2]
    if domain not in domains:
        raise SignOnRefused(REFUSED_DOMAIN)
    if claims.get("email_verified") not in (True, "true"):
        raise SignOnRefused(REFUSED_UNVERIFIED)
    return email, domain


def sign_on_person(*, issuer: str, claims: dict, domains: dict[str, str]) -> User:
    """The account of the person the identity provider vouches for.

    Every time: the provider must have verified their email, of an allowed domain. Then, in order:
    the account linked to the provider's (issuer, subject), whatever the email now says; on a first
    sign-in, the account with that email, linked from then on (unless it is already linked to another
    subject of this provider, or holds a coordinator's, the national body's, staff or superuser rights
    and ``OIDC_LINK_PRIVILEGED`` is off); otherwise a new account with no password, an ordinary member of the
    domain's organisation. Nothing here gives an admin's, a coordinator's or a national body's rights.
    """
    from accounts.oidc import REFUSED_FAILED, REFUSED_PRIVILEGED, REFUSED_TAKEN, SignOnRefused, organisation_join

    subject = str(claims.get("sub") or "")
    if not issuer or not subject or len(subject) > 255 or len(issuer) > 255:
        raise SignOnRefused(REFUSED_FAILED)
    email, domain = sign_on_email(claims, domains)
    try:
        with transaction.atomic():
            identity = (
                SignOnIdentity.objects.select_for_update()
                .select_related("user")
                .filter(issuer=issuer, subject=subject)
                .first()
            )
            if identity is not None:
                identity.email = email
                identity.last_used_at = timezone.now()
                identity.save(update_fields=["email", "last_used_at"])
                return identity.user
            user = User.objects.select_for_update().filter(email__iexact=email).first()
            if user is not None and SignOnIdentity.objects.filter(user=user, issuer=issuer).exists():
                raise SignOnRefused(REFUSED_TAKEN)  # linked to another of the provider's people
            if user is not None and not settings.OIDC_LINK_PRIVILEGED and has_privileged_rights(user):
                # The provider would then hold a coordinator's or an admin's keys: off unless chosen.
                logger.info(
                    "Single sign-on did not link account %s: it has more rights (OIDC_LINK_PRIVILEGED)", user.pk
                )
                raise SignOnRefused(REFUSED_PRIVILEGED)
            if user is None:
                user = User(
                    username=f"sso-{secrets.token_hex(8)}",
                    email=email,
                    first_name=str(claims.get("given_name") or "")[:150],
                    last_name=str(claims.get("family_name") or "")[:150],
                )
                user.set_unusable_password()
                user.save()
            SignOnIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, email=email, last_used_at=timezone.now()
            )
            if not organisation_join(user=user, organisation=domains[domain]):
                logger.error("OIDC_DOMAIN_ORGANISATIONS names no organisation for %s: %s", domain, domains[domain])
                raise SignOnRefused(REFUSED_FAILED)
            return user
    except IntegrityError:
        # Two first sign-ins of the same person at once: the other one made the link.
        raise SignOnRefused(REFUSED_FAILED) from None


def sign_on_unlink(*, user: User) -> int:
    """Forget the person's links to identity providers (``manage.py sign_on_unlink``): when the
    provider gave them a new subject, the next sign-in links the account again by its verified email."""
    deleted, _kinds = SignOnIdentity.objects.filter(user=user).delete()
    return deleted
