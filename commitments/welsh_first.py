"""Which Compacts are Welsh-first, read at most once a minute per process.

The language middleware asks on every request of a person who has not chosen a language, so the
answer is kept in the process: one small query (slug and flag of every Compact) fills it, and it is
read again after settings.PORTAL_WELSH_FIRST_CACHE_SECONDS. Saving or deleting a Compact reads it
again at once in that process (writes are rare, requests are many), and once more when the
transaction commits; other processes catch up within the time it is kept.
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
    cached = _cached
    if cached is not None and time.monotonic() - cached[0] < settings.PORTAL_WELSH_FIRST_CACHE_SECONDS:
        return cached[1]
    return refresh()


def refresh() -> dict[str, bool]:
    """Reads the flags now (one query) and keeps them."""
    global _cached
    flags = dict(Compact.objects.order_by().values_list("slug", "welsh_first"))
    with _lock:
        _cached = (time.monotonic(), flags)
    return flags


def forget() -> None:
    """Drops the kept answer (a Compact was saved or deleted; tests start afresh)."""
    global _cached
    with _lock:
        _cached = None


def every_compact_is_welsh_first(flags: dict[str, bool]) -> bool:
    """True when the deployment has Compacts and all of them are Welsh-first (a council in Wales)."""
    return bool(flags) and all(flags.values())
