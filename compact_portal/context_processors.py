from django.conf import settings


def portal(request) -> dict:
    """The council's name and service name, shown in every page's header and title."""
    return {
        "PORTAL_COUNCIL_NAME": settings.PORTAL_COUNCIL_NAME,
        "PORTAL_SERVICE_NAME": settings.PORTAL_SERVICE_NAME,
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
    }
