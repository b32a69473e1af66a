"""Compliance of a funding-change notice with the Compact: pure functions of dates and the
edition's parameters (minimum notice in calendar months; working days to respond, decision 0022)."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from commitments.rules import add_working_days
from compact_portal.dates import add


def earliest_effective_date(notice_given_on: datetime.date, min_months: int) -> datetime.date:
    """The notice date plus the minimum in calendar months; a day the month lacks becomes its last
    day (30 November + 3 months = 28 February, or 29 in a leap year)."""
    return add(notice_given_on, relativedelta(months=min_months))


def notice_is_long_enough(notice_given_on: datetime.date, effective_on: datetime.date, min_months: int) -> bool:
    return effective_on >= earliest_effective_date(notice_given_on, min_months)


def is_compliant(
    *,
    notice_given_on: datetime.date,
    effective_on: datetime.date,
    min_months: int,
    exceptional: bool,
    exceptional_reason: str,
) -> bool:
    """Enough notice, or exceptional circumstances claimed with a reason."""
    if notice_is_long_enough(notice_given_on, effective_on, min_months):
        return True
    return exceptional and bool((exceptional_reason or "").strip())


def notice_months_and_days(notice_given_on: datetime.date, effective_on: datetime.date) -> tuple[int, int]:
    """How much notice was given, as whole calendar months and the days left over."""
    delta = relativedelta(effective_on, notice_given_on)
    return delta.years * 12 + delta.months, delta.days


# --- The parts of compliance (decision 0022) ---------------------------------------------------------------
#
# Each part is True (met), False (not met) or None (not yet known: the effective date has not come and
# what is missing may still be done). The timetable part is also None when it does not apply (the
# change is not made because of performance); ``timetable_applies`` says which.


def earliest_effective_for_response(notice_given_on: datetime.date, working_days: int, nation: str) -> datetime.date:
    """The first effective date that leaves the organisation ``working_days`` full working days to
    respond: the working days after the notice day, up to and including the day before the change
    takes effect, are counted (so a change can take effect the day after the last of them)."""
    return add_working_days(notice_given_on, working_days, nation) + datetime.timedelta(days=1)


def response_window_is_long_enough(
    notice_given_on: datetime.date, effective_on: datetime.date, working_days: int, nation: str
) -> bool:
    return effective_on >= earliest_effective_for_response(notice_given_on, working_days, nation)


def chance_to_respond(
    *,
    today: datetime.date,
    notice_given_on: datetime.date,
    effective_on: datetime.date,
    working_days: int,
    nation: str,
    first_reply_on: datetime.date | None,
    considered_on: datetime.date | None,
) -> bool | None:
    """At least ``working_days`` working days between the notice and the effective date; and where the
    organisation replied before the change took effect, the body's consideration recorded before the
    effective date (None while that can still happen)."""
    if not response_window_is_long_enough(notice_given_on, effective_on, working_days, nation):
        return False
    if first_reply_on is None or first_reply_on >= effective_on:
        return True
    if considered_on is not None and first_reply_on <= considered_on < effective_on:
        return True
    return None if today < effective_on else False


def impact_assessed(*, assessed: bool, findings: str) -> bool:
    """Assessed before deciding, with the findings written down."""
    return assessed and bool((findings or "").strip())


def timetable_offered(
    *, today: datetime.date, effective_on: datetime.date, for_performance: bool, offered_on: datetime.date | None
) -> bool | None:
    """Where funding changes because of performance, an improvement timetable on the timeline before
    the effective date; None when it does not apply, or while it can still be offered."""
    if not for_performance:
        return None
    if offered_on is not None and offered_on < effective_on:
        return True
    return None if today < effective_on else False


@dataclass(frozen=True)
class Parts:
    """A notice's compliance, part by part (see the functions above)."""

    notice_length: bool  # enough notice, or exceptional circumstances with a reason (``is_compliant``)
    impact: bool
    discussed: bool
    response: bool | None
    timetable: bool | None
    timetable_applies: bool

    def items(self) -> list[tuple[str, bool | None]]:
        parts = [
            (NOTICE_LENGTH, self.notice_length),
            (IMPACT, self.impact),
            (DISCUSSED, self.discussed),
            (RESPONSE, self.response),
        ]
        if self.timetable_applies:
            parts.append((TIMETABLE, self.timetable))
        return parts

    @property
    def all_met(self) -> bool | None:
        """False as soon as a part fails; None while a part is still to be known."""
        values = [value for _, value in self.items()]
        if False in values:
            return False
        return None if None in values else True


NOTICE_LENGTH, IMPACT, DISCUSSED, RESPONSE, TIMETABLE = "notice_length", "impact", "discussed", "response", "timetable"
PART_NAMES = (NOTICE_LENGTH, IMPACT, DISCUSSED, RESPONSE, TIMETABLE)


def parts(
    *,
    today: datetime.date,
    notice_given_on: datetime.date,
    effective_on: datetime.date,
    min_months: int,
    exceptional: bool,
    exceptional_reason: str,
    assessed: bool,
    findings: str,
    discussed_before: bool,
    response_working_days: int,
    nation: str,
    first_reply_on: datetime.date | None,
    considered_on: datetime.date | None,
    for_performance: bool,
    timetable_offered_on: datetime.date | None,
) -> Parts:
    return Parts(
        notice_length=is_compliant(
            notice_given_on=notice_given_on,
            effective_on=effective_on,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=exceptional_reason,
        ),
        impact=impact_assessed(assessed=assessed, findings=findings),
        discussed=bool(discussed_before),
        response=chance_to_respond(
            today=today,
            notice_given_on=notice_given_on,
            effective_on=effective_on,
            working_days=response_working_days,
            nation=nation,
            first_reply_on=first_reply_on,
            considered_on=considered_on,
        ),
        timetable=timetable_offered(
            today=today, effective_on=effective_on, for_performance=for_performance, offered_on=timetable_offered_on
        ),
        timetable_applies=bool(for_performance),
    )
