"""Date rules every part of the portal shares: working days in a UK nation.

Pure functions of dates and parameters; no database access.
"""

import datetime
from functools import cache

import holidays

from commitments.models import Nation

_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@cache
def _bank_holidays(nation: str, year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[Nation(nation)], years=year))


def is_working_day(day: datetime.date, nation: str) -> bool:
    """Monday to Friday, and not a bank holiday of the nation."""
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def add_working_days(start: datetime.date, days: int, nation: str) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, nation: str) -> int:
    """How many working days come after ``start`` up to and including ``end`` (0 if end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, nation):
            count += 1
    return count


# --- A Compact's standing, for the national directory (issue 15) ---------------------------------------------

DIRECTORY_ACTIVE = "active"
DIRECTORY_REFRESH_DUE = "refresh_due"
DIRECTORY_LAPSED = "lapsed"
DIRECTORY_NO_EDITION = "no_edition"
LAPSED_AFTER_DAYS = 365


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (29 February becomes 28 February in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def compact_directory_status(
    *,
    today: datetime.date,
    current_published_on: datetime.date | None,
    review_period_years: int,
    last_activity_on: datetime.date | None,
) -> str:
    """Where a Compact stands, from its dates alone.

    - "no_edition": it has no published edition;
    - "lapsed": nothing has happened for a year (no sign-up, consultation, funding notice, concern
      or edition in the last 365 days, ``today`` included);
    - "refresh_due": the current edition is older than the review period (on its anniversary it is due);
    - "active": otherwise.

    Lapsed comes before refresh due: a Compact nobody uses needs more than a new edition.
    """
    if current_published_on is None:
        return DIRECTORY_NO_EDITION
    if last_activity_on is None or (today - last_activity_on).days >= LAPSED_AFTER_DAYS:
        return DIRECTORY_LAPSED
    if today >= years_after(current_published_on, review_period_years):
        return DIRECTORY_REFRESH_DUE
    return DIRECTORY_ACTIVE
