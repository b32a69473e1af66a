"""Filters for the printed edition: a part's text in the active language, marked when it stands in.

``{{ principle|localised_inline:"title" }}`` and ``{{ edition|localised_block:"introduction" }}``
give the Welsh text under Welsh and the English otherwise (compact_portal.bilingual.localised).
English standing in for missing Welsh carries ``lang="en"``, so the tagged PDF says so too.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from compact_portal.bilingual import localised
from compact_portal.dates import long_date

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


@register.filter
def signatory_lines(rows, gap: str) -> SafeString:
    """The annex's lines for a list of signatories (``commitments.pdf.SignatoryRow``), one ``<li>``
    each: the organisation in a span of its own, then who signed, their role and the date signed,
    ``gap`` between them; each part escaped, as ``{{ }}`` would.

    The same HTML as a ``{% for %}`` loop in the template, made in a fifth of the time: a loop
    there resolves a dozen variables and tags per line, a few hundred lines per edition. Dates are
    written once each (many signatories signed on the same day), in the active language.
    """
    gap = conditional_escape(gap)
    dates: dict = {}
    lines = []
    for row in rows:
        line = '<li><span class="signatory__organisation">' + conditional_escape(row.organisation) + "</span>"
        if row.signed_by:
            line += conditional_escape(row.signed_by)
        if row.role:
            line += gap + conditional_escape(row.role)
        if row.signed_on:
            date = dates.get(row.signed_on)
            if date is None:
                date = dates[row.signed_on] = conditional_escape(long_date(row.signed_on))
            line += gap + date
        lines.append(line + "</li>")
    return mark_safe("".join(lines))  # noqa: S308 (each part escaped above)
