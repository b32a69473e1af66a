"""Template tags for pages of other apps that offer a step about consultations (the account dashboard)."""

from django import template

from consultations import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can_register_consultation(context) -> bool:
    """Whether the person viewing may register a consultation (an officer of an approved public body)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and permissions.can_register(user))
