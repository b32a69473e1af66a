"""How the portal writes dates and times, everywhere a person reads one: GOV.UK style.

- a date: "4 March 2027" (month names in the active language);
- a time: "2:59pm", "9am" on the hour, "midday" and "midnight" (never "14:59" or "2:59 PM");
- both: "4 March 2027 at 2:59pm".

Aware datetimes are shown in the portal's time zone (Europe/London). Templates use the filters of
the same names (compact_portal/templatetags/dates.py, built in to every template)."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext


def long_date(value: datetime.date | datetime.datetime) -> str:
    """'4 March 2027'."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


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
