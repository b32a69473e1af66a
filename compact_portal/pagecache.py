"""A shared cache of the public pages anonymous visitors read, emptied by any write to the database.

The public read the Compact, its editions, the register, the consultations and the concern figures
far more than anyone writes them (``make load``'s mix). Those pages (``PAGE_CACHE_VIEWS``, a part
of the public views of compact_portal.middleware) are kept in the shared cache (Redis in
production), for visitors with no session and no messages, in their language, for the day (pages
that count days, such as "closes in 5 days", change at midnight).

Invalidation: every key holds *versions*, numbers in the cache, one for each app the page reads
(``PAGE_READS``). Any INSERT, UPDATE or DELETE this process sends to a table the kept pages read
(``WATCHED_TABLES``: the tables of the apps they show, less the concern read log and the stored PDFs
no page shows), through the ORM, ``QuerySet.update``, ``bulk_create`` or raw SQL, from a view, the
admin, a task or a command, raises its app's version once its transaction commits, so no key of a
page reading that app written before is read again. A statement that changed no row (an UPDATE whose
WHERE matched nothing, such as each download of a PDF still being rendered asking whether its render
was lost) leaves the pages: under load, those emptied the cache every few seconds. Writes elsewhere
(notifications and reminders, sessions, sign-in records, the audit log, mediation...) leave the
pages: the daily sweep and the emails it sends do not empty the cache for every reader.
tests/test_pagecache.py renders every kept page of the demo data in both languages and fails if one
reads a table not watched, or of an app not in its ``PAGE_READS``. A page is stored under the
versions read *before* it was made, so a page
made while a write commits is never kept under the new version. ``PORTAL_PAGE_CACHE_SECONDS`` bounds
how long a page is kept regardless (0 turns the cache off, as in the tests, where writes are rolled
back rather than committed).

A page missing from the cache is made by one request at a time: it marks the page as being made
(``cache.add``, which one request alone wins), and others asking for the same page under the same
version wait for it to be kept, polling the cache, up to ``WAIT_SECONDS``; then, or if it was not
kept, they make it themselves. After a write, every web worker used to make the same heavy pages at
once (the annual review, its figures, the measures: tenths of a second each), and the servers fell
behind for seconds (``make load``). A waiting request is given nothing older than what it would have
made: the key it waits on holds the version it read, so a page made before a later write is never
given to a request that came after it.
"""

import functools
import hashlib
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

PAGE_CACHE_VIEWS = frozenset(
    {
        "home",
        "commitments:compact_list",
        "commitments:compact_detail",
        "commitments:edition_list",
        "commitments:edition_detail",
        "commitments:edition_compare",
        "signatories:register",
        "signatories:coverage",
        "consultations:list",
        "consultations:detail",
        "disputes:figures",
        "monitoring:measures",
        "monitoring:measures_csv",
        "reviews:review",
        "reviews:csv",
        "reviews:ods",
    }
)
# The apps whose tables the kept pages read. Each has a version of its own: a write raises only its
# app's, and a page is kept under the versions of the apps it reads (``PAGE_READS``).
WATCHED_APPS = ("commitments", "signatories", "consultations", "disputes", "funding", "actionplans", "reviews")
# What each kept view reads, by app; a view not listed reads them all. The re-affirmation requests
# after a publish (five batches of signatures in two seconds) emptied the Compact's own pages and
# editions five times, though none of them shows a signature (make load, 5 December).
# tests/test_pagecache.py renders every kept page of the demo data and fails on a table of an app
# not listed for its view.
_COMPACT = ("commitments",)
_CONSULTATIONS = ("commitments", "consultations", "signatories")
_MEASURES = ("commitments", "consultations", "disputes", "funding", "signatories")
PAGE_READS = {
    "home": _COMPACT,
    "commitments:compact_list": _COMPACT,
    "commitments:compact_detail": _COMPACT,
    "commitments:edition_list": _COMPACT,
    "commitments:edition_detail": _COMPACT,
    "commitments:edition_compare": _COMPACT,
    "signatories:register": ("commitments", "signatories"),
    "signatories:coverage": ("commitments", "signatories"),
    "consultations:list": _CONSULTATIONS,
    "consultations:detail": _CONSULTATIONS,
    "disputes:figures": ("commitments", "disputes", "signatories"),
    "monitoring:measures": _MEASURES,
    "monitoring:measures_csv": _MEASURES,
}
# The tables the kept pages read (prefixes: every table of those apps, so a new one is watched
# until shown otherwise), and those of them no kept page reads that are written as people read: who
# opened a concern, and the stored PDFs of editions and annual reviews (each download of one not made
# yet asks for it, and its render records the file: every kept page was emptied twice for each PDF,
# 4 of the 15 times in a make load run, each followed by seconds of pages made again). The pages link
# to a PDF whatever its state; the PDF's own view, not kept, says when it is being made.
# tests/test_pagecache.py checks the pages read nothing else.
WATCHED_TABLES = tuple(f"{app}_" for app in WATCHED_APPS)
UNWATCHED_TABLES = ("disputes_caseview", "commitments_editiondocument", "reviews_reviewdocument")
VERSION_KEY = "pagecache:version"
# One request makes a page missing from the cache; others asking for it meanwhile wait for it
# (polling the cache every POLL_SECONDS) rather than each making it too: after a write, every web
# worker made the same heavy pages at once (make load). A request waits at most WAIT_SECONDS, then
# makes the page itself; the mark that a page is being made lasts at most BUILDING_SECONDS (a
# process killed while making it leaves it that long).
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.02
BUILDING_SECONDS = 30
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_WRITE = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([\w.]+)", re.IGNORECASE | re.S)


def _cache():
    return caches[getattr(settings, "PORTAL_PAGE_CACHE", "default")]


def enabled() -> bool:
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) > 0


def _version_key(app: str) -> str:
    return f"{VERSION_KEY}:{app}"


def versions(apps: tuple[str, ...] = WATCHED_APPS) -> tuple[int, ...]:
    """The versions of these apps, in their order (one round trip to the cache)."""
    cache = _cache()
    keys = [_version_key(app) for app in apps]
    found = cache.get_many(keys)
    return tuple(found.get(key) or cache.get_or_set(key, _fresh_version, timeout=None) for key in keys)


def _fresh_version() -> int:
    """A version for an app whose number is not in the cache (never set, or evicted): the time in
    milliseconds, above any number it had before (one write a millisecond would be needed to catch
    up). Starting again at 1 would serve pages kept under 1 before the eviction, however many
    writes came after them."""
    return int(timezone.now().timestamp() * 1000)


def version() -> int:
    """A number that goes up with every write to any watched app (for tests and the curious)."""
    return sum(versions())


def page_reads(view_name: str) -> tuple[str, ...]:
    return PAGE_READS.get(view_name, WATCHED_APPS)


def bump(apps=WATCHED_APPS) -> None:
    """Every page kept so far that reads one of these apps is made again (after a write committed)."""
    cache = _cache()
    for app in sorted(apps):
        try:
            cache.incr(_version_key(app))
        except ValueError:  # not there (evicted, or never set)
            cache.set(_version_key(app), _fresh_version(), timeout=None)


def _app_of(table: str) -> str:
    return next(app for app in WATCHED_APPS if table.startswith(f"{app}_"))


def writes_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes to, or None for any other statement."""
    match = _WRITE.match(sql)
    return match.group(2).strip('"') if match else None


def watched(table: str | None) -> bool:
    """Whether a write to this table can change a kept page."""
    return bool(table) and table.startswith(WATCHED_TABLES) and not table.startswith(UNWATCHED_TABLES)


def _after_write(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not enabled():
        return result
    table = writes_table(sql if isinstance(sql, str) else str(sql))
    if not watched(table) or not _changed_rows(context, sql):
        return result
    connection = context["connection"]
    app = _app_of(table)
    if connection.in_atomic_block:
        # Once per transaction: the versions of the apps it wrote go up when it commits (and not if it
        # rolls back).
        waiting = _bump_waiting(connection)
        if waiting is None:
            transaction.on_commit(functools.partial(bump, {app}), using=connection.alias)
        else:
            waiting.add(app)
    else:
        bump({app})
    return result


def _bump_waiting(connection) -> set | None:
    """The apps this transaction's bump will raise, once it commits; None before its first write."""
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, functools.partial) and func.func is bump:
            return func.args[0]
    return None


def _changed_rows(context, sql) -> bool:
    """Whether the statement just run changed a row: an UPDATE or DELETE whose WHERE matched nothing
    (a conditional claim that lost, such as a download asking again for a render another request
    already asked for), or an INSERT that conflicted and did nothing, leaves every page as it was.
    A driver that cannot tell (-1) counts as a change, and so does a statement with RETURNING on
    SQLite, whose cursor counts its rows only as they are read (0 until Django reads the new row's
    id): every INSERT there left the pages as they were."""
    rowcount = getattr(context.get("cursor"), "rowcount", -1)
    if rowcount == 0 and context["connection"].vendor == "sqlite":
        return _RETURNING.search(sql if isinstance(sql, str) else str(sql)) is not None
    return rowcount is None or rowcount != 0


def watch(connection) -> None:
    """Called for every new database connection of every process (compact_portal/__init__.py)."""
    if _after_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_after_write)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _kept_view(request: HttpRequest) -> str | None:
    """The view of a request whose page may be kept, or None."""
    if request.method not in ("GET", "HEAD") or not enabled():
        return None
    # A visitor with a session (signed in, or with something kept for them) or a message waiting.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    view = _view_name(request)
    return view if view in PAGE_CACHE_VIEWS else None


def _key(request: HttpRequest, language: str, numbers: tuple[int, ...]) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    number = ".".join(str(n) for n in numbers)
    return f"pagecache:{number}:{timezone.localdate().isoformat()}:{language}:{request.method}:{path}"


class PublicPageCacheMiddleware:
    """Serves the public pages of ``PAGE_CACHE_VIEWS`` to anonymous visitors from the shared cache.

    After the language middleware (the key has the language) and the message middleware; the
    headers of the middleware above it (security, Cache-Control) are added to a kept page as to a
    new one. A page is kept only when it is a 200 that sets no cookie and was made in the language
    it was asked in (a Welsh-first Compact switches to Welsh while the page is made).

    A page not kept yet is made by one request at a time: the others asking for it meanwhile wait
    for it to be kept (``_wait_for``), and make it themselves only if it was not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = _kept_view(request)
        if view is None:
            return self.get_response(request)
        language = translation.get_language()
        key = _key(request, language, versions(page_reads(view)))
        cache = _cache()
        kept = cache.get(key)
        if kept is not None:
            kept["X-Page-Cache"] = "hit"
            return kept
        building = f"{key}:building"
        mine = cache.add(building, 1, BUILDING_SECONDS)
        if not mine:
            kept = _wait_for(cache, key, building)
            if kept is not None:
                kept["X-Page-Cache"] = "hit after waiting"
                return kept
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and translation.get_language() == language
                and not (user is not None and user.is_authenticated)
            ):
                cache.set(key, response, settings.PORTAL_PAGE_CACHE_SECONDS)
        finally:
            if mine:
                cache.delete(building)
        return response


def _wait_for(cache, key: str, building: str) -> HttpResponse | None:
    """The page another request is making, once it is kept; None when that request ended without
    keeping it (not a page to keep: an error, a cookie) or it took longer than ``WAIT_SECONDS``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        kept = cache.get(key)
        if kept is not None:
            return kept
        if cache.get(building) is None:
            return cache.get(key)  # kept just before the mark went
    return None
