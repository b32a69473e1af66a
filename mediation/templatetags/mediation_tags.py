from django import template

from mediation import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def mediation_links(context) -> dict:
    """What the dashboard offers about mediation: the pool (coordinators, the national body) and the
    mediator's own page."""
    user = context["request"].user
    return {"pool": permissions.can_view_pool(user), "mediator": permissions.live_mediator(user) is not None}
