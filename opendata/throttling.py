from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class OpenDataThrottle(AnonRateThrottle):
    """Requests per client address (every caller is anonymous), at ``PORTAL_API_ANON_RATE``, read
    on each request so that the setting can change without a restart of the class."""

    scope = "anon"

    def get_rate(self) -> str:
        return settings.PORTAL_API_ANON_RATE
