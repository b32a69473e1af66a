"""What a web process does once it has loaded the portal, before its first request."""

import gc


def web_worker_ready() -> None:
    """Load the URL configuration (and with it every view and form module) and each language's
    messages (``compact_portal.translations.load_catalogues``), then move every object
    alive by then out of the garbage collector's reach (``gc.freeze``).

    Called by gunicorn once a worker has loaded the application (docker/gunicorn.conf.py,
    ``post_worker_init``). Django, the apps and their modules are a few hundred thousand objects that
    live as long as the process; unfrozen, every full collection walks them all, tens of
    milliseconds that land on whichever request happened to allocate at that moment (the slowest
    request of a page in ``make bench`` was such a pause). Frozen, a collection walks only what
    requests made. The Celery worker does the same after warming up its PDF renderer
    (``compact_portal.documents.start_worker``).
    """
    from django.urls import get_resolver

    from compact_portal.translations import load_catalogues

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a first request
    load_catalogues()  # each language's messages, without the empty catalogues behind them
    gc.collect()
    gc.freeze()
