"""Limits on how often one person or address may use an endpoint that sends email or creates things.

A fixed window: ``limit`` successful uses per ``window`` seconds for each key (an IP address, a
user, an email address typed into a form). A use counts when the view redirects after a POST,
that is when it did something; a form sent back with errors costs nothing. Once the limit is
reached, further POSTs are answered 429 with a page saying when to try again, until the window
ends. Counts live in the cache named by settings.PORTAL_THROTTLE_CACHE (Redis in production,
shared by every worker), under a hash of the key, so no address is stored in clear.

Sign-in failures are limited separately, by django-axes (settings.AXES_*).
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

KeyFunction = Callable[[HttpRequest], str | None]


def now() -> float:
    """The current time in seconds; tests patch this to move between windows."""
    return time.time()


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our own proxies the entry the nearest added.

    Each of the settings.PORTAL_TRUSTED_PROXY_COUNT proxies appends the address it saw to
    X-Forwarded-For, so the client's is that many places from the end; anything before it came
    from the client and is not trusted. Django-axes uses this too (AXES_CLIENT_IP_CALLABLE).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


def by_ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


def by_user(request: HttpRequest) -> str | None:
    return f"user:{request.user.pk}" if request.user.is_authenticated else None


def by_posted(field: str) -> KeyFunction:
    """The value typed into a form field, case and surrounding spaces ignored (an email address)."""

    def key(request: HttpRequest) -> str | None:
        value = request.POST.get(field, "").strip().lower()
        return f"{field}:{value}" if value else None

    return key


def _cache_key(scope: str, ident: str, window_start: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window_start}"


def too_many_requests(request: HttpRequest, *, retry_after: float) -> HttpResponse:
    seconds = max(1, math.ceil(retry_after))
    response = render(
        request,
        "errors/429.html",
        {
            "retry_minutes": max(1, math.ceil(seconds / 60)),
            "retry_at": datetime.fromtimestamp(now() + seconds, tz=UTC),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def throttle(
    scope: str,
    *,
    key: KeyFunction,
    limit: int,
    window: int,
    methods: tuple[str, ...] = ("POST",),
    count_every: bool = False,
):
    """Allow ``limit`` successful ``methods`` requests per ``window`` seconds for each ``key``
    (``count_every``: every request counts, also a form sent back with errors, for a form whose
    answers could be probed).

    Stack the decorator to limit by several keys at once (per address and per email address).
    Put it under ``login_required`` so that only signed-in requests are counted.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            ident = key(request) if request.method in methods else None
            if ident is None:
                return view(request, *args, **kwargs)
            cache = caches[settings.PORTAL_THROTTLE_CACHE]
            current = now()
            window_start = int(current // window) * window
            cache_key = _cache_key(scope, ident, window_start)
            if (cache.get(cache_key) or 0) >= limit:
                logger.warning("Throttled %s on %s", scope, request.path)
                return too_many_requests(request, retry_after=window_start + window - current)
            response = view(request, *args, **kwargs)
            # The entry outlives its window by a little, so a slow clock cannot reopen it.
            counts = count_every or 300 <= response.status_code < 400
            if counts and not cache.add(cache_key, 1, timeout=window + 60):
                try:
                    cache.incr(cache_key)
                except ValueError:  # expired between add and incr
                    cache.set(cache_key, 1, timeout=window + 60)
            return response

        return wrapped

    return decorator
