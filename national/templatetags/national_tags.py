"""What the account page offers the national body (accounts imports no app above it)."""

from django import template

from national.permissions import can_view_national

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_national_view(context) -> bool:
    """Whether the signed-in person may open the directory of Compacts."""
    return can_view_national(context["request"].user)
