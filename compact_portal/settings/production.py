"""Production settings (docker-compose.yml). Refuses to start without a secret key and hosts.

The portal runs behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto and appends
the client's address to X-Forwarded-For. Security headers shared with every environment (the
Content-Security-Policy, Permissions-Policy, Referrer-Policy, Cross-Origin-Opener-Policy) are in
base.py; this file adds what only makes sense over HTTPS.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from compact_portal.settings.base import *  # noqa: F403
from compact_portal.settings.base import env_bool

DEBUG = False
if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random value of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the portal's host names, separated by commas.")

# Links in emails and calendar feeds: PORTAL_BASE_URL, or the first host name over HTTPS.
if not os.environ.get("PORTAL_BASE_URL"):
    _named = [host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"]  # noqa: F405
    if not _named:
        raise ImproperlyConfigured("Set PORTAL_BASE_URL (e.g. https://compact.example.org): links in emails need it.")
    PORTAL_BASE_URL = f"https://{_named[0]}"

# Forms are posted from the portal's own HTTPS origins. Django already accepts a POST whose
# Origin matches the Host header; listing the hosts also covers a proxy that rewrites Host.
if not CSRF_TRUSTED_ORIGINS:  # noqa: F405
    CSRF_TRUSTED_ORIGINS = [
        f"https://*{host}" if host.startswith(".") else f"https://{host}"
        for host in ALLOWED_HOSTS  # noqa: F405
        if host != "*"
    ]

# Public pages for anonymous visitors from the shared cache (Redis, CACHE_URL), emptied by any
# committed write (compact_portal/pagecache.py, docs/decisions/0028; measured by make load).
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "300"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies only over HTTPS, never readable by scripts. The "__Host-" prefix makes the browser
# refuse them unless they are Secure, for path "/" and without a Domain, so a neighbouring
# subdomain cannot plant or overwrite them. Renaming them signs everyone out once, on deploy.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# One reverse proxy in front of gunicorn (docker-compose.yml): the last X-Forwarded-For entry,
# which that proxy appends, is the client's address.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "1"))

# Mixed content is upgraded to HTTPS rather than loaded over plain HTTP.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,  # noqa: F405
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},  # noqa: F405
}
