"""Compliance of a funding-change notice with the Compact: pure functions of dates and the
edition's minimum notice in calendar months."""

import datetime

from dateutil.relativedelta import relativedelta

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
