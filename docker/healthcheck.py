"""Health check for the web container: GET / from gunicorn inside the container.

Exits 0 when the portal answers 2xx, 1 otherwise. It sends a Host header the production
settings accept (the first entry of DJANGO_ALLOWED_HOSTS) and X-Forwarded-Proto: https, as
the TLS-terminating proxy would, so that SECURE_SSL_REDIRECT does not answer with a redirect.
The home page reads the database, so a healthy answer also means PostgreSQL is reachable.
Standard library only: the image has no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def host_header(allowed_hosts: str) -> str:
    for entry in allowed_hosts.split(","):
        host = entry.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is a misconfiguration here
        return None


def check(url: str, host: str, timeout: float) -> tuple[bool, str]:
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError) as error:
        return False, f"{url} (Host: {host}): {error}"
    return 200 <= status < 300, f"{url} (Host: {host}): HTTP {status}"


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/")
    host = os.environ.get("HEALTHCHECK_HOST") or host_header(os.environ.get("DJANGO_ALLOWED_HOSTS", ""))
    healthy, message = check(url, host, float(os.environ.get("HEALTHCHECK_TIMEOUT", "5")))
    print(("healthy: " if healthy else "unhealthy: ") + message)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
