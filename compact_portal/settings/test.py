"""Settings for the test suite: fast hashing, emails kept in memory, tasks run in-process
unless a test starts a real worker."""

from compact_portal.settings.base import *  # noqa: F403

SECRET_KEY = "django-insecure-test-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Not paced: run in-process, a batch put back for the next second would run again at once, in the
# same second. tests/notifications/test_pacing.py sets a limit where it tests the pace.
EMAIL_RATE_LIMIT_PER_MINUTE = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# The whole suite posts from 127.0.0.1 within one window, so the throttles count in a cache that
# remembers nothing; tests/test_hardening.py points them at a real one to test them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-test"},
    "throttle-off": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
PORTAL_THROTTLE_CACHE = "throttle-off"
# Writes in a test are rolled back, never committed, so they would not empty the page cache:
# off, except in tests/test_pagecache.py.
PORTAL_PAGE_CACHE_SECONDS = 0  # (the default; said again here)
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Browser tests use the live server: serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
