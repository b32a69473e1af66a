"""The range of dates a person may type, and date arithmetic that cannot overflow.

A date a person types must lie between ``EARLIEST`` (historical records go back no further) and
the end of the year ``YEARS_AHEAD`` years from today (``latest(today)``). A mistyped year such as
9999 would otherwise be stored, and every page, calendar and reminder sweep that adds weeks or
months to it would fail for everyone. The GOV.UK date field (``signatories.forms.DateField``)
checks this range by default, and each service that writes a typed date checks it again with
``date_range_problem`` or ``validate_date_range``.

Pages, calendars and the sweep may still meet a date stored before the range was checked:
``add`` clamps a date instead of raising ``OverflowError``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = datetime.date(1990, 1, 1)
YEARS_AHEAD = 10


def latest(today: datetime.date) -> datetime.date:
    """The last date a person may type: 31 December ``YEARS_AHEAD`` years from today's year."""
    return datetime.date(today.year + YEARS_AHEAD, 12, 31)


def _long(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def date_range_problem(day: datetime.date | None, *, today: datetime.date, name: str = "") -> str | None:
    """What is wrong with a typed date's range, in words that say what to fix; None if nothing.

    ``name`` is what the date is, with a capital ("The closing date"); "The date" if not given.
    """
    if day is None:
        return None
    name = name or _("The date")
    if day < EARLIEST:
        return _("%(name)s must be on or after %(earliest)s") % {"name": name, "earliest": _long(EARLIEST)}
    last = latest(today)
    if day > last:
        return _("%(name)s must be before %(limit)s") % {
            "name": name,
            "limit": _long(last + datetime.timedelta(days=1)),
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
