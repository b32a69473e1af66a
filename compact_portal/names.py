"""The council's and the service's names in the reader's language (settings PORTAL_COUNCIL_NAME,
PORTAL_SERVICE_NAME and their _CY Welsh)."""

from django.conf import settings
from django.utils.functional import lazy

from compact_portal.bilingual import is_welsh


def council_name(language: str | None = None) -> str:
    """The council's name in ``language`` (the active language when not given)."""
    if is_welsh(language) and settings.PORTAL_COUNCIL_NAME_CY:
        return settings.PORTAL_COUNCIL_NAME_CY
    return settings.PORTAL_COUNCIL_NAME


def service_name(language: str | None = None) -> str:
    """The service's name in ``language`` (the active language when not given)."""
    if is_welsh(language) and settings.PORTAL_SERVICE_NAME_CY:
        return settings.PORTAL_SERVICE_NAME_CY
    return settings.PORTAL_SERVICE_NAME


# The same, worked out when shown (in the language active then): for contexts made before the
# reader's language is known, such as a reminder rendered once per language.
council_name_lazy = lazy(council_name, str)
service_name_lazy = lazy(service_name, str)
