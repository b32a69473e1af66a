"""Content text in the reader's language (see compact_portal/bilingual.py), built in to every
template (TEMPLATES' "builtins"), so no template loads it:

    {% localised undertaking "text" %}           inline: Welsh when reading Welsh and there is some
    {{ compact|localised:"name" }}               the same, as a filter (for {% blocktranslate with %})
    {{ compact|localised_text:"name" }}          plain text, no markup (for <title> and attributes)
    {% localised_block edition "foreword" %}     paragraphs, links made clickable

When a Welsh reader gets the English because there is no Welsh yet, the English says so: inline
text is wrapped in ``<span lang="en">``, and a block in ``<div lang="en">`` that starts with a short
note in the reader's language. Everything the record holds is escaped.
"""

import re

from django import template
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compact_portal import bilingual

register = template.Library()

_PARAGRAPH_BREAK = re.compile(r"\r?\n\s*\r?\n")


def _inline(obj, field: str) -> SafeString:
    if obj is None:
        return mark_safe("")  # noqa: S308 - nothing to show
    return bilingual.localised_html(obj, field)


@register.simple_tag
def localised(obj, field: str) -> SafeString:
    return _inline(obj, field)


@register.filter(name="localised")
def localised_filter(obj, field: str) -> SafeString:
    return _inline(obj, field)


@register.filter
def localised_text(obj, field: str) -> str:
    """The text alone, for places that cannot hold markup (the page title, an attribute)."""
    return "" if obj is None else bilingual.localised(obj, field).text


def _paragraphs(text: str) -> SafeString:
    paragraphs = [part.strip("\r\n") for part in _PARAGRAPH_BREAK.split(text.strip()) if part.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = [urlize(line, nofollow=True, autoescape=True) for line in paragraph.splitlines()]
        rendered.append(format_html('<p class="govuk-body">{}</p>', mark_safe("<br>".join(lines))))  # noqa: S308 - each line escaped by urlize
    return mark_safe("\n".join(rendered))  # noqa: S308 - built with format_html


@register.simple_tag
def localised_block(obj, field: str) -> SafeString:
    """Paragraphs of ``obj.field`` in the reader's language; English marked as such for a Welsh reader."""
    if obj is None:
        return mark_safe("")  # noqa: S308 - nothing to show
    shown = bilingual.localised(obj, field)
    body = _paragraphs(shown.text)
    if not shown.missing_welsh:
        return body
    return format_html(
        '<div lang="{}" class="app-english-only">'
        '<p class="govuk-inset-text govuk-!-margin-top-0" lang="{}">{}</p>{}</div>',
        bilingual.ENGLISH,
        get_language() or bilingual.WELSH,
        _("This part has no Welsh version yet."),
        body,
    )
