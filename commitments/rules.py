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
