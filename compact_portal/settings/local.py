"""Settings for a developer's machine (`make run`): debug on, a fixed development key."""

from compact_portal.settings.base import *  # noqa: F403
from compact_portal.settings.base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
