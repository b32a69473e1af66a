"""Which Compacts are Welsh-first, read at most once a minute per process.

The language middleware asks on every request of a person who has not chosen a language, so the
answer is kept in the process: one small query (slug and flag of every Compact) fills it, and it is
thrown away after settings.PORTAL_WELSH_FIRST_CACHE_SECONDS, or at once in the process that saves
or deletes a Compact (other processes catch up within that time).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from commitments.models import Compact

_lock = threading.Lock()
_cached: tuple[float, dict[str, bool]] | None = None


def welsh_first_by_slug() -> dict[str, bool]:
    """{slug: welsh_first} for every Compact of the deployment."""
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < settings.PORTAL_WELSH_FIRST_CACHE_SECONDS:
        return cached[1]
    flags = dict(Compact.objects.order_by().values_list("slug", "welsh_first"))
    with _lock:
        _cached = (now, flags)
    return flags


def forget() -> None:
    """Drops the kept answer (a Compact was saved or deleted; tests start afresh)."""
    global _cached
    with _lock:
        _cached = None


def compact_is_welsh_first(slug: str) -> bool:
    return welsh_first_by_slug().get(slug, False)


def every_compact_is_welsh_first() -> bool:
    """True when the deployment has Compacts and all of them are Welsh-first (a council in Wales)."""
    flags = welsh_first_by_slug()
    return bool(flags) and all(flags.values())
