"""Dates in the portal: how they are written, and the range a person may type.

How the portal writes dates and times, everywhere a person reads one: GOV.UK style.

- a date: "4 March 2027" (month names in the active language);
- a time: "2:59pm", "9am" on the hour, "midday" and "midnight" (never "14:59" or "2:59 PM");
- both: "4 March 2027 at 2:59pm".

Aware datetimes are shown in the portal's time zone (Europe/London). Templates use the filters of
the same names (compact_portal/templatetags/dates.py, built in to every template).

The range of dates a person may type, and date arithmetic that cannot overflow.

A date a person types must lie between ``EARLIEST`` (historical records go back no further) and
the end of the year ``YEARS_AHEAD`` years from today (``latest(today)``). A mistyped year such as
9999 would otherwise be stored, and every page, calendar and reminder sweep that adds weeks or
months to it would fail for everyone. The GOV.UK date field (``compact_portal.forms.DateField``)
checks this range by default, and each service that writes a typed date checks it again with
``date_range_problem`` or ``validate_date_range``.

Pages, calendars and the sweep may still meet a date stored before the range was checked:
``add`` clamps a date instead of raising ``OverflowError``.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_noop, pgettext, pgettext_lazy

# Django's own Welsh spells July "Gorffenaf"; Welsh (and GOV.UK Welsh) writes "Gorffennaf". Naming
# the month here keeps it in the project's catalogue, which Django reads before its own.
MONTHS_SPELLED_BY_THE_PROJECT = (gettext_noop("July"), pgettext_lazy("alt. month", "July"))


def long_date(value: datetime.date | datetime.datetime) -> str:
    """'4 March 2027'."""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return _long_date(value, get_language())


@functools.lru_cache(maxsize=4096)
def _long_date(day: datetime.date, language: str | None) -> str:
    """Written once per day and language: the reminder sweep writes the same few dates thousands of
    times (formatting one costs a translation lookup per month name)."""
    return date_format(day, "j F Y")


def clock_time(value: datetime.datetime | datetime.time) -> str:
    """'2:59pm', '9am', 'midday', 'midnight'."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.time()
    if (value.hour, value.minute) == (0, 0):
        return pgettext("time of day", "midnight")
    if (value.hour, value.minute) == (12, 0):
        return pgettext("time of day", "midday")
    hour = value.hour % 12 or 12
    period = pgettext("time of day", "am") if value.hour < 12 else pgettext("time of day", "pm")
    if value.minute == 0:
        return f"{hour}{period}"
    return f"{hour}:{value.minute:02d}{period}"


def long_date_and_time(value: datetime.datetime) -> str:
    """'4 March 2027 at 2:59pm'."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return gettext("%(date)s at %(time)s") % {"date": long_date(value), "time": clock_time(value)}


# The range of dates a person may type.

EARLIEST = datetime.date(1990, 1, 1)
YEARS_AHEAD = 10


def latest(today: datetime.date) -> datetime.date:
    """The last date a person may type: 31 December ``YEARS_AHEAD`` years from today's year."""
    return datetime.date(today.year + YEARS_AHEAD, 12, 31)


def date_range_problem(day: datetime.date | None, *, today: datetime.date, name: str = "") -> str | None:
    """What is wrong with a typed date's range, in words that say what to fix; None if nothing.

    ``name`` is what the date is, with a capital ("The closing date"); "The date" if not given.
    """
    if day is None:
        return None
    name = name or gettext("The date")
    if day < EARLIEST:
        return gettext("%(name)s must be on or after %(earliest)s") % {"name": name, "earliest": long_date(EARLIEST)}
    last = latest(today)
    if day > last:
        return gettext("%(name)s must be before %(limit)s") % {
            "name": name,
            "limit": long_date(last + datetime.timedelta(days=1)),
        }
    return None


def validate_date_range(day: datetime.date | None, *, today: datetime.date, name: str = "") -> None:
    """Raise ``ValidationError`` (code ``date_range``) when ``date_range_problem`` finds something."""
    problem = date_range_problem(day, today=today, name=name)
    if problem:
        raise ValidationError(problem, code="date_range")


def add(day: datetime.date, delta) -> datetime.date:
    """``day + delta`` (a ``timedelta`` or a ``relativedelta``), clamped to the dates Python can hold.

    Only for dates already stored: a date out of ``latest``'s range must not stop a page or the
    sweep for everyone (the result is then meaningless but harmless).
    """
    try:
        return day + delta
    except (OverflowError, ValueError):
        positive = (datetime.date(2000, 1, 1) + delta) >= datetime.date(2000, 1, 1)
        return datetime.date.max if positive else datetime.date.min


# The reporting year: a Compact's figures are per financial year, 1 April to 31 March, keyed by the
# calendar year it starts in (2026 is 1 April 2026 to 31 March 2027) and labelled "2026–27".

FINANCIAL_YEAR_START_MONTH = 4


def financial_year_of(day: datetime.date) -> int:
    """The financial year a day falls in: 1 May 2026 is in 2026, 31 March 2027 too."""
    return day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """Its first day and the day after its last: (1 April 2026, 1 April 2027) for 2026."""
    return datetime.date(year, FINANCIAL_YEAR_START_MONTH, 1), datetime.date(year + 1, FINANCIAL_YEAR_START_MONTH, 1)


def financial_year_label(year: int) -> str:
    """'2026–27' (an en dash, the last two digits of the year it ends in)."""
    return f"{year}–{(year + 1) % 100:02d}"
