"""The portal's one way of showing dates and times (see compact_portal/dates.py), built in to every
template (TEMPLATES' "builtins"), so no template loads it:

    {{ consultation.closes_on|long_date }}      4 March 2027
    {{ retry_at|clock_time }}                   2:59pm
    {{ entry.created_at|long_date_and_time }}   4 March 2027 at 2:59pm

Like Django's |date, an empty value shows as nothing (so |default:"–" still works)."""

from django import template

from compact_portal import dates

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    return dates.long_date(value) if value not in (None, "") else ""


@register.filter(expects_localtime=True)
def clock_time(value) -> str:
    return dates.clock_time(value) if value not in (None, "") else ""


@register.filter(expects_localtime=True)
def long_date_and_time(value) -> str:
    return dates.long_date_and_time(value) if value not in (None, "") else ""
