from django.conf import settings
from django.utils.functional import lazy

from compact_portal.names import council_name, service_name

# Made once: ``lazy()`` builds a proxy class with every method of ``str`` each time it is called,
# milliseconds a page when it was called per request.
_council_name = lazy(council_name, str)
_service_name = lazy(service_name, str)


def portal(request) -> dict:
    """The council's name and service name, shown in every page's header and title, in the page's
    language (worked out when the page is drawn, after the language is known)."""
    return {
        "PORTAL_COUNCIL_NAME": _council_name(),
        "PORTAL_SERVICE_NAME": _service_name(),
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
    }
