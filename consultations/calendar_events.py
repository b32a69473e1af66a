"""Consultation deadlines in the calendar feeds (registered with notifications in apps.py).

- A Compact's public feed: the closing date and the feedback due date of each of its consultations.
- An organisation's secret feed: the closing dates of the consultations it can respond to (those of
  the Compacts whose current edition it signed) and of those it runs, and the feedback due dates of
  those it runs.

One query per feed, however many events, and one for its version (what the feed is cached under);
an organisation's feed reads the Compacts it signed first, one query more for each.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from commitments.models import Compact, Edition
from compact_portal import bilingual
from compact_portal.dates import long_date
from consultations.models import Consultation
from consultations.rules import feedback_due_on
from notifications.calendars import CalendarEvent, uid_domain
from notifications.services import absolute_url
from signatories.models import Organisation, Signature


def compact_consultations(compact: Compact, since: datetime.date) -> QuerySet[Consultation]:
    """Those closing on or after ``since`` (a feedback date is always after the closing date)."""
    return (
        Consultation.objects.filter(compact=compact, closes_on__gte=since)
        .select_related("compact", "edition", "organisation")
        .order_by("closes_on", "pk")
    )


def organisation_consultations(organisation: Organisation, since: datetime.date) -> QuerySet[Consultation]:
    """Those it can respond to (its Compacts' current editions signed) and those it runs, closing on
    or after ``since``.

    The Compacts are read first (one small query) and named by id: as a subquery inside the OR,
    PostgreSQL read every consultation (26 ms at national scale, in three processes, for each feed
    a calendar app asks for); by id, each side of the OR uses its index (1 ms)."""
    signed_compacts = list(
        Signature.objects.filter(
            organisation=organisation, status=Signature.Status.SIGNED, edition__status=Edition.Status.PUBLISHED
        )
        .values_list("edition__compact_id", flat=True)
        .distinct()
    )
    return (
        Consultation.objects.filter(Q(compact_id__in=signed_compacts) | Q(organisation=organisation))
        .filter(closes_on__gte=since)
        .select_related("compact", "edition", "organisation")
        .order_by("closes_on", "pk")
    )


def _version(consultations: QuerySet[Consultation]) -> tuple:
    """How many, and the last change to any (an edit, a published feedback date): one query."""
    found = consultations.order_by().aggregate(count=Count("pk"), latest=Max("updated_at"))
    return ("consultations", found["count"], found["latest"])


def compact_version(compact: Compact, since: datetime.date) -> tuple:
    return _version(compact_consultations(compact, since))


def organisation_version(organisation: Organisation, since: datetime.date) -> tuple:
    return _version(organisation_consultations(organisation, since))


def closing_event(consultation: Consultation) -> CalendarEvent:
    return CalendarEvent(
        uid=f"consultation-{consultation.pk}-closes@{uid_domain()}",
        day=consultation.closes_on,
        summary=_("Consultation closes: %(title)s") % {"title": bilingual.localised(consultation, "title").text},
        description=_(
            "%(body)s’s consultation under %(compact)s closes today. It opened on %(opens)s. "
            "Read about it and respond: %(url)s"
        )
        % {
            "body": consultation.organisation.name,
            "compact": consultation.compact.name,
            "opens": long_date(consultation.opens_on),
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
        "closes": long_date(consultation.closes_on),
        "published": long_date(consultation.feedback_published_on) if consultation.feedback_published_on else "",
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
        summary=_("Feedback due: %(title)s") % {"title": bilingual.localised(consultation, "title").text},
        description=description % values,
        url=values["url"],
        stamp=consultation.updated_at,
    )


def compact_events(compact: Compact, since: datetime.date) -> Iterator[CalendarEvent]:
    for consultation in compact_consultations(compact, since):
        yield closing_event(consultation)
        yield feedback_event(consultation)


def organisation_events(organisation: Organisation, since: datetime.date) -> Iterator[CalendarEvent]:
    for consultation in organisation_consultations(organisation, since):
        yield closing_event(consultation)
        if consultation.organisation_id == organisation.pk:
            yield feedback_event(consultation)
