"""Calendar feeds (iCalendar) of Compact deadlines, for Outlook, Google Calendar and the like.

Two feeds (``notifications.registry.COMPACT_FEED`` and ``ORGANISATION_FEED``):

- A Compact's public feed. Public information only: never funding notices, which are confidential.
- An organisation's secret feed (its address holds a secret token): the deadlines of what it can
  respond to, and of what it runs, gave or received.

This module knows neither Compacts nor organisations: the app that owns what a feed is about
registers how it is found from the address (``register_calendar_owner``), and each app registers
the events it adds to a feed (``register_calendar_events``), in its ``AppConfig.ready()``.

Every event lasts the whole day (``VALUE=DATE``): a deadline is a day in Europe/London, not a
moment, so no time zone is needed. Each event's UID names the thing and the kind of date, never
the date itself (``consultation-12-closes@portal.example.org``), so a moved date moves the event in
the subscriber's calendar instead of adding a second one. DTSTAMP is when the thing was last
changed, so the same data always gives the same feed. Each app's events take a fixed number of
queries, however many events.

A feed holds the dates from a year ago onwards (``FEED_WINDOW``; the calendar says so in its
description): a calendar app keeps the events it has already fetched, and a Compact's whole history
would grow without end. Each feed has a version (``feed_version``: one query per app, see
``registry.CalendarVersion``), which is its ETag; the feed made under a version is cached for
``CACHE_SECONDS`` (the Cache-Control max-age it is sent with), and a calendar app that already has
that version is answered 304 Not Modified.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from compact_portal.dates import long_date
from notifications import registry

CONTENT_TYPE = "text/calendar; charset=utf-8"
TIME_ZONE = "Europe/London"
# How often a calendar app should fetch the feed again (a hint; Google decides for itself).
REFRESH_INTERVAL = datetime.timedelta(hours=6)
# A feed holds the dates from this long ago onwards.
FEED_WINDOW = datetime.timedelta(days=365)
# How long a made feed is kept (and may be kept by a browser or shared cache): what a version does
# not cover (the name of a body that runs a consultation) is at most this late.
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: datetime.date
    summary: str
    description: str
    url: str
    stamp: datetime.datetime


def uid_domain() -> str:
    """The domain in every UID: PORTAL_CALENDAR_DOMAIN if set, else the portal's own host name."""
    return getattr(settings, "PORTAL_CALENDAR_DOMAIN", "") or urlsplit(settings.PORTAL_BASE_URL).hostname or "portal"


# --- What goes into the feeds --------------------------------------------------------------------


def feed_owner(feed: str, key: str) -> Any:
    """What the feed at this address is about (a Compact by its slug, an organisation by its secret
    token), as the app that owns it finds it; ``Http404`` for any other key (an old token too)."""
    return registry.calendar_owner(feed).find(key)


def feed_since(today: datetime.date | None = None) -> datetime.date:
    """The first day a feed holds on ``today`` (Europe/London's today when not given)."""
    return (today or timezone.localdate()) - FEED_WINDOW


def feed_events(feed: str, owner: Any, since: datetime.date) -> list[CalendarEvent]:
    """The events every app adds to this feed for this owner, from ``since`` onwards."""
    return [event for events in registry.calendar_events(feed) for event in events(owner, since) if event.day >= since]


def feed_version(feed: str, owner: Any, since: datetime.date, language: str) -> str | None:
    """The feed's ETag: it changes whenever the owner's title, the window, the language or any
    app's events change; None when an app cannot tell (then there is no ETag and no cache)."""
    versions = registry.calendar_versions(feed)
    if not versions or any(version is None for version in versions):
        return None
    with translation.override(language):
        title = registry.calendar_owner(feed).title(owner)
    parts = [feed, str(getattr(owner, "pk", owner)), title, language, since.isoformat(), uid_domain()]
    parts += [repr(version(owner, since)) for version in versions]
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40] + '"'


# --- Writing the feed ------------------------------------------------------------------------------


def render_calendar(*, name: str, events: Iterable[CalendarEvent], description: str = "") -> bytes:
    """The events as an iCalendar file (RFC 5545), oldest first."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_COUNCIL_NAME}//{settings.PORTAL_SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL).to_ical().decode())  # Outlook's name for it
    for item in sorted(events, key=lambda e: (e.day, e.uid)):
        if item.day >= datetime.date.max:
            # A date stored before typed dates were checked (compact_portal.dates): the calendar
            # cannot hold the day after it, and the event would mean nothing to anyone.
            continue
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp.astimezone(datetime.UTC))
        event.add("last-modified", item.stamp.astimezone(datetime.UTC))
        event.add("dtstart", item.day)
        event.add("dtend", item.day + datetime.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("url", item.url)
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical()


# What ``?lang=`` may ask for, and the language each stands for.
FEED_LANGUAGES = {"cy": "cy", "en": "en-gb"}


def feed_language(feed: str, owner: Any, asked: str | None = None) -> str:
    """The language of this feed: the one its address asks for (``?lang=cy`` or ``?lang=en``), else
    its owner's (Welsh for a Welsh-first Compact), else the portal's. Never the reader's browser's:
    a calendar app fetches the feed without one, and a shared cache keeps one copy per address."""
    if asked in FEED_LANGUAGES:
        return FEED_LANGUAGES[asked]
    default = registry.calendar_owner(feed).language
    return (default(owner) if default else "") or settings.LANGUAGE_CODE


def feed_calendar(feed: str, owner: Any, language: str | None = None, *, since: datetime.date | None = None) -> bytes:
    """The feed of this owner from ``since`` (``feed_since()`` when not given), named as its app
    names it, in ``language`` (event summaries, descriptions and the calendar's name); the portal's
    language when not given."""
    since = since or feed_since()
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_calendar(
            name=registry.calendar_owner(feed).title(owner),
            events=feed_events(feed, owner, since),
            description=window_text(since),
        )


def window_text(since: datetime.date) -> str:
    return _("Dates from %(since)s onwards. Earlier ones are on the portal.") % {"since": long_date(since)}


@dataclass(frozen=True)
class Feed:
    content: bytes
    etag: str | None
    made_at: datetime.datetime  # when this version was made here: its Last-Modified


def cached_feed(feed: str, owner: Any, language: str) -> Feed:
    """The feed as ``feed_calendar`` makes it, from the cache when this version was made lately.

    The cache key is the version, so a change to the events is a new key: nothing is invalidated
    by hand. ``made_at`` is when this version was first made, never earlier than the change that
    made it, so a calendar app's If-Modified-Since can be trusted with it.
    """
    since = feed_since()
    etag = feed_version(feed, owner, since, language)
    if etag is None:
        return Feed(feed_calendar(feed, owner, language, since=since), None, timezone.now())
    key = f"calendar-feed:{etag}"
    kept = cache.get(key)
    if kept is None:
        kept = (feed_calendar(feed, owner, language, since=since), timezone.now())
        cache.set(key, kept, CACHE_SECONDS)
    return Feed(kept[0], etag, kept[1])


def feed_filename(feed: str, owner: Any) -> str:
    return registry.calendar_owner(feed).filename(owner)
