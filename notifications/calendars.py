"""Calendar feeds (iCalendar) of Compact deadlines, for Outlook, Google Calendar and the like.

- A Compact's public feed: the closing date and the feedback due date of each of its
  consultations. Public information only: never funding notices, which are confidential.
- An organisation's secret feed (its address holds ``Organisation.calendar_token``): the closing
  dates of the consultations it can respond to (those of the Compacts whose current edition it
  signed) and of those it runs, the feedback due dates of those it runs, and the effective dates
  of the funding notices it gave or received.

Every event lasts the whole day (``VALUE=DATE``): a deadline is a day in Europe/London, not a
moment, so no time zone is needed. Each event's UID names the thing and the kind of date, never
the date itself (``consultation-12-closes@portal.example.org``), so a moved date moves the event in
the subscriber's calendar instead of adding a second one. DTSTAMP is when the thing was last
changed, so the same data always gives the same feed. Three queries at most, however many events.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from commitments.models import Compact, Edition
from compact_portal.dates import long_date
from consultations.models import Consultation
from consultations.rules import feedback_due_on
from funding.models import FundingNotice
from notifications.services import absolute_url
from signatories.models import Organisation, Signature

CONTENT_TYPE = "text/calendar; charset=utf-8"
TIME_ZONE = "Europe/London"
# How often a calendar app should fetch the feed again (a hint; Google decides for itself).
REFRESH_INTERVAL = datetime.timedelta(hours=6)


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


def _day(day: datetime.date) -> str:
    return long_date(day)


# --- What goes into the feeds --------------------------------------------------------------------


def organisation_for_token(token: str) -> Organisation:
    """The organisation whose calendar address holds this token; 404 for any other (an old one too)."""
    organisation = Organisation.objects.filter(calendar_token=token).first() if token else None
    if organisation is None:
        raise Http404
    return organisation


def compact_consultations(compact: Compact) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(compact=compact)
        .select_related("compact", "edition", "organisation")
        .order_by("closes_on", "pk")
    )


def organisation_consultations(organisation: Organisation) -> QuerySet[Consultation]:
    """Those it can respond to (its Compacts' current editions signed) and those it runs."""
    signed_compacts = Signature.objects.filter(
        organisation=organisation, status=Signature.Status.SIGNED, edition__status=Edition.Status.PUBLISHED
    ).values("edition__compact_id")
    return (
        Consultation.objects.filter(Q(compact_id__in=signed_compacts) | Q(organisation=organisation))
        .select_related("compact", "edition", "organisation")
        .order_by("closes_on", "pk")
    )


def organisation_funding_notices(organisation: Organisation) -> QuerySet[FundingNotice]:
    return (
        FundingNotice.objects.filter(Q(issuer=organisation) | Q(recipient=organisation))
        .select_related("compact", "issuer", "recipient")
        .order_by("effective_on", "pk")
    )


def closing_event(consultation: Consultation) -> CalendarEvent:
    return CalendarEvent(
        uid=f"consultation-{consultation.pk}-closes@{uid_domain()}",
        day=consultation.closes_on,
        summary=_("Consultation closes: %(title)s") % {"title": consultation.title},
        description=_(
            "%(body)s’s consultation under %(compact)s closes today. It opened on %(opens)s. "
            "Read about it and respond: %(url)s"
        )
        % {
            "body": consultation.organisation.name,
            "compact": consultation.compact.name,
            "opens": _day(consultation.opens_on),
            "url": absolute_url(consultation.get_absolute_url()),
        },
        url=absolute_url(consultation.get_absolute_url()),
        stamp=consultation.updated_at,
    )


def feedback_event(consultation: Consultation) -> CalendarEvent:
    deadline = feedback_due_on(
        consultation.closes_on, consultation.edition.feedback_due_weeks, consultation.compact.nation
    )
    values = {
        "body": consultation.organisation.name,
        "closes": _day(consultation.closes_on),
        "published": _day(consultation.feedback_published_on) if consultation.feedback_published_on else "",
        "url": absolute_url(consultation.get_absolute_url()),
    }
    if consultation.feedback_published_on:
        description = _(
            "%(body)s’s feedback on this consultation, which closed on %(closes)s, is due by today. "
            "It was published on %(published)s: %(url)s"
        )
    else:
        description = _(
            "%(body)s’s feedback on this consultation, which closed on %(closes)s, is due by today: "
            "how the responses influenced the outcome. %(url)s"
        )
    return CalendarEvent(
        uid=f"consultation-{consultation.pk}-feedback-due@{uid_domain()}",
        day=deadline,
        summary=_("Feedback due: %(title)s") % {"title": consultation.title},
        description=description % values,
        url=values["url"],
        stamp=consultation.updated_at,
    )


def funding_event(notice: FundingNotice) -> CalendarEvent:
    url = absolute_url(notice.get_absolute_url())
    return CalendarEvent(
        uid=f"funding-{notice.pk}-effective@{uid_domain()}",
        day=notice.effective_on,
        summary=_("Funding change takes effect: %(issuer)s to %(recipient)s")
        % {"issuer": notice.issuer.name, "recipient": notice.recipient.name},
        description=_("%(change)s: %(description)s. Notice was given on %(given)s. %(url)s")
        % {
            "change": notice.get_change_display(),
            "description": notice.description.strip().rstrip("."),
            "given": _day(notice.notice_given_on),
            "url": url,
        },
        url=url,
        stamp=notice.updated_at,
    )


def compact_events(compact: Compact) -> list[CalendarEvent]:
    events = []
    for consultation in compact_consultations(compact):
        events += [closing_event(consultation), feedback_event(consultation)]
    return events


def organisation_events(organisation: Organisation) -> list[CalendarEvent]:
    events = []
    for consultation in organisation_consultations(organisation):
        events.append(closing_event(consultation))
        if consultation.organisation_id == organisation.pk:
            events.append(feedback_event(consultation))
    events += [funding_event(notice) for notice in organisation_funding_notices(organisation)]
    return events


# --- Writing the feed ------------------------------------------------------------------------------


def render_calendar(*, name: str, events: Iterable[CalendarEvent]) -> bytes:
    """The events as an iCalendar file (RFC 5545), oldest first."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_COUNCIL_NAME}//{settings.PORTAL_SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
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


def compact_calendar(compact: Compact) -> bytes:
    return render_calendar(
        name=_("%(compact)s: consultation deadlines") % {"compact": compact.name}, events=compact_events(compact)
    )


def organisation_calendar(organisation: Organisation) -> bytes:
    return render_calendar(
        name=_("%(organisation)s: Compact deadlines") % {"organisation": organisation.name},
        events=organisation_events(organisation),
    )
