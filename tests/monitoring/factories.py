"""Hand-built records for the outcome measures: each helper writes rows directly, with the dates a
test gives, so that every figure has a known answer."""

import datetime

from django.utils import timezone

from disputes.models import Case, StageChange
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    """Midday on ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def concern(
    *, edition, stages: list[tuple[str, datetime.date, datetime.date | None]], closed_on=None, outcome="resolved"
):
    """A concern that went through ``stages`` (stage, day it began, due date); closed on ``closed_on``
    if given. Raised on the first stage's day."""
    raised_on = stages[0][1]
    closed = closed_on is not None
    case = Case.objects.create(
        compact=edition.compact,
        edition=edition,
        complainant=OrganisationFactory(),
        respondent=PublicBodyFactory(),
        summary="The grant was cut without notice",
        what_happened="A letter arrived.",
        happened_on=raised_on,
        outcome_sought="Notice.",
        stage=Case.Stage.CLOSED if closed else stages[-1][0],
        stage_started_on=closed_on or stages[-1][1],
        stage_due_on=None if closed else stages[-1][2],
        outcome=outcome if closed else "",
        closed_on=closed_on,
    )
    Case.objects.filter(pk=case.pk).update(created_at=at(raised_on))
    old = ""
    for stage, began, due in stages:
        change = StageChange.objects.create(case=case, old_stage=old, new_stage=stage, due_on=due)
        StageChange.objects.filter(pk=change.pk).update(at=at(began))
        old = stage
    if closed:
        change = StageChange.objects.create(case=case, old_stage=old, new_stage=Case.Stage.CLOSED)
        StageChange.objects.filter(pk=change.pk).update(at=at(closed_on))
    return case


FIRST_PUBLISHED = D(2025, 4, 1)


def edition(compact=None, published_on=FIRST_PUBLISHED, **kwargs):
    """A published edition (of a new Compact unless ``compact`` is given), published 1 April 2025."""
    if compact is not None:
        kwargs["compact"] = compact
    return PublishedEditionFactory(published_on=published_on, **kwargs)
