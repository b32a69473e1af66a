"""``{% language_switch %}``: the English / Cymraeg switch in every page's header."""

from django import template
from django.utils import translation

from compact_portal.language import ENGLISH, WELSH, switch_href

register = template.Library()


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context) -> dict:
    """The current language as text (aria-current), the other as a link to this page in it."""
    request = context.get("request")
    welsh = (translation.get_language() or "").lower().split("-")[0] == WELSH
    other = ENGLISH if welsh else WELSH
    return {
        "reading_welsh": welsh,
        "switch_href": switch_href(request, other) if request is not None else f"/?lang={other}",
    }
