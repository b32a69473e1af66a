"""Template tags for pages of other apps that offer a step of signing up (the dashboard, the Compact page)."""

from django import template

from signatories import permissions, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def can_record_signups(context, compact) -> bool:
    """Whether the person viewing may record a sign-up for an organisation under the Compact (an officer
    of an approved public body, or its coordinator)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and permissions.can_record_on_behalf(user, compact))


@register.simple_tag(takes_context=True)
def compacts_to_record_signups(context) -> list:
    """The Compacts under which the person viewing, an officer of an approved public body, records sign-ups."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.is_public_officer(user):
        return []
    return list(selectors.compacts_for_officer(user=user))


@register.simple_tag
def organisations_awaiting_approval_count() -> int:
    """How many organisations wait for a coordinator to approve their sector (for coordinators' pages)."""
    return selectors.organisations_awaiting_approval().count()
