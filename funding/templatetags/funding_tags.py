"""Template tags for pages of other apps that offer a step about funding-change notices (the account dashboard)."""

from django import template

from funding import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can_record_notice(context) -> bool:
    """Whether the person viewing may record a funding-change notice (an officer of an approved public body)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and permissions.can_record(user))
