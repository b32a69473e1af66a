"""Filters for the annual review's templates."""

from django import template

from compact_portal.dates import financial_year_label

register = template.Library()


@register.filter
def dict_get(mapping: dict, key):
    """``mapping[key]`` (None when missing): a chart by measure, a failure's words by its key."""
    return mapping.get(key)


@register.filter
def financial_year(year: int) -> str:
    """2026 as '2026–27'."""
    return financial_year_label(year)
