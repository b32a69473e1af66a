"""The portal's one status tag (a GOV.UK tag), built in to every template (TEMPLATES' "builtins"):

    {% status_tag signature.get_status_display "positive" %}
    {% status_tag _("Replaced edition") "warning" %}

The second argument says what the status means, never which colour to paint it: the colour of each
meaning is fixed here, so that the same meaning looks the same on every page. Each app decides what
its statuses mean (``consultations.selectors``, ``funding.selectors``, the status includes of
signatures, editions and concerns).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

# What a status means → its GOV.UK tag colour.
TAG_COLOURS = {
    "positive": "green",  # signed, current, open, meets the Compact, added
    "waiting": "yellow",  # awaiting approval or a check, a draft, awaiting feedback, a reason given
    "negative": "red",  # not approved, does not meet the Compact, escalated, returned, removed
    "neutral": "grey",  # withdrawn, replaced, closed, feedback published, unchanged, internal
    "information": "blue",  # forthcoming, informal dialogue, exceptional circumstances, changed, new
    "warning": "orange",  # mediation, an application for a replaced edition
    "action": "purple",  # asked to re-affirm
    "highlight": "turquoise",  # the organisation's champion
}


def tag_html(label, meaning: str) -> str:
    """The tag's HTML; ``label`` is escaped. An unknown meaning is a programming error."""
    try:
        colour = TAG_COLOURS[meaning]
    except KeyError:
        raise ValueError(f"Unknown status tag meaning {meaning!r}: use one of {', '.join(TAG_COLOURS)}") from None
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.simple_tag
def status_tag(label, meaning: str) -> str:
    return tag_html(label, meaning)
