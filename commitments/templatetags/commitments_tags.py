"""Template tags for pages of other apps that show a person's Compacts (the account dashboard)."""

from django import template

from commitments import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def compacts_coordinated(context) -> list:
    """The Compacts the person viewing coordinates, each with ``pending_count`` (sign-ups awaiting approval)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return list(selectors.compacts_coordinated_by(user))
