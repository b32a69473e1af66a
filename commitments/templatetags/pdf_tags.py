"""Filters for the printed edition: a part's text in the active language, marked when it stands in.

``{{ principle|localised_inline:"title" }}`` and ``{{ edition|localised_block:"introduction" }}``
give the Welsh text under Welsh and the English otherwise (compact_portal.bilingual.localised).
English standing in for missing Welsh carries ``lang="en"``, so the tagged PDF says so too.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from compact_portal.bilingual import localised

register = template.Library()


@register.filter
def localised_text(obj, field: str) -> str:
    """The plain text (for a title or an attribute), in the active language where there is one."""
    return localised(obj, field).text


@register.filter
def localised_inline(obj, field: str) -> SafeString:
    text = localised(obj, field)
    if text.missing_welsh:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    return escape(text.text)


@register.filter
def localised_block(obj, field: str) -> SafeString:
    text = localised(obj, field)
    html = linebreaks_filter(urlize(text.text, autoescape=True), autoescape=True)
    if text.missing_welsh:
        return format_html('<div lang="{}">{}</div>', text.language, mark_safe(html))  # noqa: S308 (escaped above)
    return mark_safe(html)  # noqa: S308 (escaped above)
