from django.conf import settings

from compact_portal.names import council_name_lazy, service_name_lazy


def portal(request) -> dict:
    """The council's name and service name, shown in every page's header and title, in the page's
    language (worked out when the page is drawn, after the language is known)."""
    return {
        "PORTAL_COUNCIL_NAME": council_name_lazy(),
        "PORTAL_SERVICE_NAME": service_name_lazy(),
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
    }
