from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle


class OpenDataThrottle(AnonRateThrottle):
    """Requests per client address (every caller is anonymous), at ``PORTAL_API_ANON_RATE``, counted
    in the cache the portal's other throttles count in (``PORTAL_THROTTLE_CACHE``: Redis in production,
    shared by every worker). Both settings are read on each request."""

    scope = "anon"

    @property
    def cache(self):
        return caches[settings.PORTAL_THROTTLE_CACHE]

    def get_rate(self) -> str:
        return settings.PORTAL_API_ANON_RATE
