"""Settings for a developer's machine (`make run`): debug on, a fixed development key."""

import os

from compact_portal.settings.base import *  # noqa: F403
from compact_portal.settings.base import VAR_DIR, env_bool, env_list

# Embedded mode keeps its database, broker folders, mail and logs in var/: make it before
# anything (migrate included) tries to open a file there.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def local_base_url() -> str:
    """The address `make run` serves on (HOST and PORT), so links in emails and calendar feeds
    point at this server. 0.0.0.0 / :: listen everywhere; links then use the loopback address."""
    host = os.environ.get("HOST", "127.0.0.1").strip() or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = os.environ.get("PORT", "8000").strip() or "8000"
    return f"http://{host}:{port}"


PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL") or local_base_url()

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
