"""Funding-change effective dates in an organisation's secret calendar feed (registered in apps.py).

The effective date of each notice the organisation gave or received; never in a Compact's public
feed, since funding notices are confidential. One query, however many events.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from compact_portal.dates import long_date
from funding.models import FundingNotice
from notifications.calendars import CalendarEvent, uid_domain
from notifications.services import absolute_url
from signatories.models import Organisation


def organisation_funding_notices(organisation: Organisation, since: datetime.date) -> QuerySet[FundingNotice]:
    return (
        FundingNotice.objects.filter(Q(issuer=organisation) | Q(recipient=organisation), effective_on__gte=since)
        .select_related("compact", "issuer", "recipient")
        .order_by("effective_on", "pk")
    )


def organisation_version(organisation: Organisation, since: datetime.date) -> tuple:
    """How many, and the last change to any: one query (the feed is cached under it)."""
    found = (
        organisation_funding_notices(organisation, since)
        .order_by()
        .aggregate(count=Count("pk"), latest=Max("updated_at"))
    )
    return ("funding", found["count"], found["latest"])


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
            "given": long_date(notice.notice_given_on),
            "url": url,
        },
        url=url,
        stamp=notice.updated_at,
    )


def organisation_events(organisation: Organisation, since: datetime.date) -> Iterator[CalendarEvent]:
    for notice in organisation_funding_notices(organisation, since):
        yield funding_event(notice)
