"""What each app tells the notifications engine, so that the engine imports no app.

Each app registers, in its ``AppConfig.ready()``:

- the kinds of notification it sends (:func:`register_kinds`), with the words a person sees on the
  preferences page and the email templates each kind is sent with;
- its reminder sources (:func:`register_reminder_source`): functions of a day that yield the
  reminders due that day (see :mod:`notifications.reminders`);
- the events it adds to a calendar feed (:func:`register_calendar_events`), and, for the app that
  owns what a feed is about, how that owner is found (:func:`register_calendar_owner`).

Apps are ready in the order of ``INSTALLED_APPS``, so that order is the order of the sources in the
sweep and of the groups on the preferences page. Registering the same thing twice is harmless;
two different kinds with one code are refused.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

# --- Kinds of notification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A heading on the preferences page, with the kinds under it."""

    code: str
    title: Promise
    hint: Promise


@dataclass(frozen=True)
class Kind:
    """A kind of notification: the ``kind`` given to ``notify`` (and to each reminder).

    A person may switch the email of a switchable kind off (or on, when it is not emailed by
    default); the notification is still recorded and shown on their notifications page. A kind that
    is not switchable (an invitation, whose email is the invitation) is always emailed.
    """

    code: str
    group: str
    label: Promise  # completes "Email me when…"
    description: Promise
    templates: tuple[str, ...]  # the text templates it is sent with (first line the subject)
    switchable: bool = True  # who may choose: everyone, or (False) nobody
    emailed_by_default: bool = True  # for someone who has not chosen


class UnknownKind(LookupError):
    """A notification of a kind no app registered: a bug, found by the first test that sends it."""


_groups: dict[str, Group] = {}
_kinds: dict[str, Kind] = {}


def register_kinds(group: Group, kinds: Iterable[Kind]) -> None:
    """Register a group of the preferences page and the kinds in it, in the order given."""
    if _groups.get(group.code, group) != group:
        raise ImproperlyConfigured(f"Two notification groups have the code {group.code!r}")
    _groups.setdefault(group.code, group)
    for kind in kinds:
        if kind.group != group.code:
            raise ImproperlyConfigured(f"Notification kind {kind.code!r} is not in group {group.code!r}")
        if not kind.templates:
            raise ImproperlyConfigured(f"Notification kind {kind.code!r} names no email template")
        if _kinds.get(kind.code, kind) != kind:
            raise ImproperlyConfigured(f"Two notification kinds have the code {kind.code!r}")
        _kinds.setdefault(kind.code, kind)


def groups() -> tuple[Group, ...]:
    return tuple(_groups.values())


def kinds() -> tuple[Kind, ...]:
    return tuple(_kinds.values())


def kind(code: str) -> Kind:
    """The registered kind with this code; :class:`UnknownKind` for any other."""
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(f"No app registered the notification kind {code!r} (see notifications.registry)") from None


# --- Reminder sources -----------------------------------------------------------------------------

# A function of the day of the sweep that yields the ``notifications.reminders.DueReminder``s due.
ReminderSource = Callable[..., Iterable[Any]]

_reminder_sources: list[ReminderSource] = []


def register_reminder_source(source: ReminderSource) -> None:
    if source not in _reminder_sources:
        _reminder_sources.append(source)


def reminder_sources() -> tuple[ReminderSource, ...]:
    return tuple(_reminder_sources)


# --- Calendar feeds -------------------------------------------------------------------------------

# The feeds there are: a Compact's public one, and an organisation's secret one.
COMPACT_FEED = "compact"
ORGANISATION_FEED = "organisation"


@dataclass(frozen=True)
class CalendarOwner:
    """What a feed is about (a Compact, an organisation), as the app that owns it finds it.

    ``find`` takes the key in the feed's address (a slug, a secret token) and returns the owner,
    or raises ``Http404``. A feed with a secret address also gives ``for_member(user, pk)``, the
    owner whose page a member may open (``Http404`` otherwise), and ``may_change_address(user,
    owner)``, whether that person may replace the secret.
    """

    find: Callable[[str], Any]
    title: Callable[[Any], str]  # the calendar's name in the subscriber's calendar app
    filename: Callable[[Any], str]
    for_member: Callable[[Any, int], Any] | None = None
    may_change_address: Callable[[Any, Any], bool] | None = None
    # The feed's language unless its address asks for one (``?lang=cy``): "cy" for a Welsh-first
    # Compact; "" for the portal's default.
    language: Callable[[Any], str] | None = None


# A function of a feed's owner and the first day of the feed's window
# (``notifications.calendars.feed_since``) that yields its ``notifications.calendars.CalendarEvent``s
# on or after that day, with a fixed number of queries.
CalendarEvents = Callable[[Any, datetime.date], Iterable[Any]]
# A function of the same two that says, in one query, what those events were made from: a tuple
# that changes whenever any of them changes, is added or goes (for example the number of rows and
# the latest ``updated_at``). The feed is cached and answered with 304 Not Modified under it.
CalendarVersion = Callable[[Any, datetime.date], tuple]

_calendar_owners: dict[str, CalendarOwner] = {}
_calendar_events: dict[str, list[CalendarEvents]] = {}
_calendar_versions: dict[str, dict[CalendarEvents, CalendarVersion | None]] = {}


def _known_feed(feed: str) -> str:
    if feed not in (COMPACT_FEED, ORGANISATION_FEED):
        raise ImproperlyConfigured(f"There is no calendar feed {feed!r}")
    return feed


def register_calendar_owner(feed: str, owner: CalendarOwner) -> None:
    if _calendar_owners.get(_known_feed(feed), owner) != owner:
        raise ImproperlyConfigured(f"Two apps own the calendar feed {feed!r}")
    _calendar_owners[feed] = owner


def calendar_owner(feed: str) -> CalendarOwner:
    try:
        return _calendar_owners[feed]
    except KeyError:
        raise ImproperlyConfigured(f"No app owns the calendar feed {feed!r}") from None


def register_calendar_events(feed: str, events: CalendarEvents, *, version: CalendarVersion | None = None) -> None:
    """``version``: how to tell cheaply that the events changed; a feed any of whose providers has
    none is made afresh on every request."""
    providers = _calendar_events.setdefault(_known_feed(feed), [])
    if events not in providers:
        providers.append(events)
    _calendar_versions.setdefault(feed, {})[events] = version


def calendar_events(feed: str) -> tuple[CalendarEvents, ...]:
    return tuple(_calendar_events.get(feed, ()))


def calendar_versions(feed: str) -> tuple[CalendarVersion | None, ...]:
    versions = _calendar_versions.get(feed, {})
    return tuple(versions.get(events) for events in calendar_events(feed))
