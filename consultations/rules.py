"""Compliance of a consultation with the Compact: pure functions of dates and the edition's
parameters. Nothing here reads the database; nobody types compliance in."""

import datetime
from dataclasses import dataclass

from commitments.rules import is_working_day
from compact_portal.dates import add

FORTHCOMING = "forthcoming"
OPEN = "open"
AWAITING_FEEDBACK = "awaiting_feedback"
FEEDBACK_PUBLISHED = "feedback_published"


def status(*, today: datetime.date, opens_on: datetime.date, closes_on: datetime.date, feedback_published_on) -> str:
    """Forthcoming before it opens, open up to and including its closing day, then awaiting feedback
    until feedback is published."""
    if today < opens_on:
        return FORTHCOMING
    if today <= closes_on:
        return OPEN
    if feedback_published_on is None:
        return AWAITING_FEEDBACK
    return FEEDBACK_PUBLISHED


def length_days(opens_on: datetime.date, closes_on: datetime.date) -> int:
    """Calendar days the consultation is open, counting the opening and the closing day."""
    return (closes_on - opens_on).days + 1


def minimum_closing_date(opens_on: datetime.date, min_weeks: int) -> datetime.date:
    """The earliest closing date that gives the minimum length: opening on a Monday for 12 weeks
    means closing no earlier than the Sunday 12 weeks on (84 days, both ends counted)."""
    return add(add(opens_on, datetime.timedelta(weeks=min_weeks)), -datetime.timedelta(days=1))


def is_long_enough(opens_on: datetime.date, closes_on: datetime.date, min_weeks: int) -> bool:
    return closes_on >= minimum_closing_date(opens_on, min_weeks)


def needs_rationale(*, opens_on, closes_on, min_weeks: int, formal: bool) -> bool:
    """A rationale is required when the consultation is shorter than the minimum or informal."""
    return not formal or not is_long_enough(opens_on, closes_on, min_weeks)


def next_working_day(day: datetime.date, nation: str) -> datetime.date:
    while day < datetime.date.max and not is_working_day(day, nation):
        day += datetime.timedelta(days=1)
    return day


def feedback_due_on(closes_on: datetime.date, feedback_weeks: int, nation: str) -> datetime.date:
    """Feedback is due ``feedback_weeks`` after closing; a deadline that falls on a weekend or a
    bank holiday moves to the next working day."""
    return next_working_day(add(closes_on, datetime.timedelta(weeks=feedback_weeks)), nation)


# How a consultation's length (and type) stands against the Compact's minimum.
LENGTH_MET = "met"  # a formal consultation of at least the minimum length
LENGTH_REASON_GIVEN = "reason_given"  # shorter, or informal, with a recorded reason: allowed, but not the same
LENGTH_NOT_MET = "not_met"  # shorter, or informal, and no reason recorded


@dataclass(frozen=True)
class Compliance:
    length: str  # LENGTH_MET, LENGTH_REASON_GIVEN or LENGTH_NOT_MET
    early_notice_ok: bool  # early notice was given before it opened
    feedback_ok: bool | None  # published by the due date; None while it is not yet due
    feedback_due_on: datetime.date

    @property
    def length_ok(self) -> bool:
        """Long enough, or a reason for a shorter or informal one is recorded."""
        return self.length != LENGTH_NOT_MET

    @property
    def compliant(self) -> bool | None:
        """False as soon as any part fails; None while only the feedback is still to come."""
        if not self.length_ok or not self.early_notice_ok or self.feedback_ok is False:
            return False
        if self.feedback_ok is None:
            return None
        return True


def compliance(
    *,
    today: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    formal: bool,
    rationale: str,
    early_notice_on: datetime.date | None,
    feedback_published_on: datetime.date | None,
    min_weeks: int,
    feedback_weeks: int,
    nation: str,
) -> Compliance:
    due = feedback_due_on(closes_on, feedback_weeks, nation)
    if not needs_rationale(opens_on=opens_on, closes_on=closes_on, min_weeks=min_weeks, formal=formal):
        length = LENGTH_MET
    elif (rationale or "").strip():
        length = LENGTH_REASON_GIVEN
    else:
        length = LENGTH_NOT_MET
    early_notice_ok = early_notice_on is not None and early_notice_on < opens_on
    if feedback_published_on is not None:
        feedback_ok = feedback_published_on <= due
    elif today > due:
        feedback_ok = False
    else:
        feedback_ok = None
    return Compliance(length=length, early_notice_ok=early_notice_ok, feedback_ok=feedback_ok, feedback_due_on=due)
