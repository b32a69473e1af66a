from django.conf import settings
from django.utils.functional import lazy

from compact_portal.names import council_name, service_name


def portal(request) -> dict:
    """The council's name and service name, shown in every page's header and title, in the page's
    language (worked out when the page is drawn, after the language is known)."""
    return {
        "PORTAL_COUNCIL_NAME": lazy(council_name, str)(),
        "PORTAL_SERVICE_NAME": lazy(service_name, str)(),
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
    }
