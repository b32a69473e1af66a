"""Mediation meetings in the parties' secret calendar feeds (registered in apps.py).

A concern is confidential, so its meetings are never in a Compact's public feed. The event names no
complainant: the other party may not know who raised the concern. One query, however many events.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compact_portal.dates import long_date
from mediation.models import Meeting
from notifications.calendars import CalendarEvent, uid_domain
from notifications.services import absolute_url


def _meetings(organisation, since: datetime.date):
    """The organisation's meetings on or after the first day of the feed's window."""
    return Meeting.objects.filter(
        Q(mediation__case__complainant=organisation)
        | Q(mediation__case__respondent=organisation, mediation__case__check_status__in=["", "released"]),
        starts_at__date__gte=since,
    )


def organisation_version(organisation, since: datetime.date) -> tuple:
    """What the feed's meetings were made from (one query): their number and latest change."""
    found = _meetings(organisation, since).aggregate(count=Count("pk"), latest=Max("updated_at"))
    return ("mediation", found["count"], found["latest"])


def organisation_events(organisation, since: datetime.date) -> Iterator[CalendarEvent]:
    meetings = _meetings(organisation, since).select_related("mediation__case").order_by("starts_at", "pk")
    for meeting in meetings:
        yield meeting_event(meeting)


def meeting_event(meeting: Meeting) -> CalendarEvent:
    case = meeting.mediation.case
    url = absolute_url(meeting.mediation.get_absolute_url())
    local = timezone.localtime(meeting.starts_at)
    return CalendarEvent(
        uid=f"mediation-meeting-{meeting.pk}@{uid_domain()}",
        day=local.date(),
        summary=_("Mediation meeting, concern %(reference)s") % {"reference": case.reference},
        description=_("%(date)s at %(time)s. %(where)s %(url)s")
        % {
            "date": long_date(local.date()),
            "time": local.strftime("%H:%M"),
            "where": (_("Online: %(place)s.") if meeting.online else _("At %(place)s.")) % {"place": meeting.place},
            "url": url,
        },
        url=url,
        stamp=meeting.updated_at,
    )
