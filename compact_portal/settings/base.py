"""Settings shared by every environment. Everything that differs comes from the environment.

With no environment variables set the portal runs embedded: SQLite, a Celery broker on the
filesystem, emails written to var/mail/. Set DATABASE_URL and CELERY_BROKER_URL to use
PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "accounts",
    "commitments",
    "signatories",
    "notifications",
    "consultations",
    "funding",
    "disputes",
    "monitoring",
    "mediation",
    "actionplans",
    "national",
    "opendata",
    "reviews",
    "benchmarks",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "compact_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language of the page: the header's switch, the person's choice, Welsh-first Compacts.
    "commitments.middleware.LanguageMiddleware",
    "compact_portal.middleware.PrivateCacheControlMiddleware",
    "compact_portal.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Public pages for anonymous visitors from the shared cache, emptied by any write (make load).
    "compact_portal.pagecache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.MfaMiddleware",
]

ROOT_URLCONF = "compact_portal.urls"
WSGI_APPLICATION = "compact_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "compact_portal.context_processors.portal",
            ],
            # |long_date, |clock_time and |long_date_and_time in every template, unloaded.
            "builtins": [
                "compact_portal.templatetags.dates",
                "compact_portal.templatetags.status_tags",
                "compact_portal.templatetags.language",
                "compact_portal.templatetags.bilingual",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on with the council's identity provider (accounts/oidc.py); does nothing when off.
    "accounts.oidc.CouncilSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# --- Single sign-on with the council's OpenID Connect provider (accounts/oidc.py, README, decision 0024).
# Off unless a client id, a provider (OIDC_ISSUER, read by discovery, or the endpoints) and at least
# one email domain are set. OIDC_DOMAIN_ORGANISATIONS maps email domains to the organisation their
# people join (by slug of its name or by id): "council.gov.uk=riverside-council;nhs.net=42".
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_DOMAIN_ORGANISATIONS = os.environ.get("OIDC_DOMAIN_ORGANISATIONS", "")
# The `acr` values of the provider that mean the person used a second factor (an `amr` holding
# "mfa" always does): then the portal's own code is not asked again.
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR_VALUES")
# Whether a first single sign-on may link, by its verified email, an account with a coordinator's, the
# national body's, staff or superuser rights (off: those sign in with their password; README).
OIDC_LINK_PRIVILEGED = env_bool("OIDC_LINK_PRIVILEGED", False)
OIDC_USE_PKCE = True
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = True

# Login throttling: five failures for the same user name from the same address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Coordinators and superusers (who can see withheld identities) sign in with a code from an
# authenticator app too (accounts/middleware.py), and are signed out after this many seconds
# without a request.
PORTAL_IDLE_TIMEOUT = int(os.environ.get("PORTAL_IDLE_TIMEOUT", str(30 * 60)))
OTP_TOTP_ISSUER = os.environ.get("PORTAL_SERVICE_NAME", "Compact Portal")
# Successful sign-ins (who, when, from where) are kept this long, for security; then deleted nightly.
PORTAL_SIGN_IN_RECORDS_KEPT_DAYS = int(os.environ.get("PORTAL_SIGN_IN_RECORDS_KEPT_DAYS", "90"))
# Behind the reverse proxy REMOTE_ADDR is the proxy's address: the throttles and axes read the
# client's address from X-Forwarded-For instead, trusting only the entries our own proxies added.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "compact_portal.throttle.client_ip"
# A refused single sign-on is no guessed password (the provider throttles its own sign-ins); counted,
# it would lock every sign-on from a council office's shared address (accounts/oidc.py).
AXES_WHITELIST_CALLABLE = "accounts.oidc.axes_not_counted"

# The cache alias the throttles (compact_portal/throttle.py) count requests in.
PORTAL_THROTTLE_CACHE = "default"

# Sessions last a working day; after that, sign in again. The cookies are never read by scripts.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # "Strict" would sign people out when they follow an emailed link
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers, the same in every environment ------------------------------------------
# Content-Security-Policy (django-csp): everything from our own origin, no inline script or style
# (tests/test_hardening.py scans the templates for them), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (compact_portal/middleware.py): the portal uses none of these features.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A visitor's choice of language (commitments/middleware.py) is kept for a year; a signed-in
# person's is kept in their profile too. production.py makes the cookie secure and HTTP-only.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# How long each process keeps its list of Welsh-first Compacts (commitments/welsh_first.py).
PORTAL_WELSH_FIRST_CACHE_SECONDS = int(os.environ.get("PORTAL_WELSH_FIRST_CACHE_SECONDS", "60"))
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.9.0"
# crispy-forms-gds gives a widget its GOV.UK class by the widget's class name: the filters' select written
# in Python (compact_portal.forms.QuickSelect) is a GOV.UK select too.
CRISPY_CLASS_CONVERTERS = {"quickselect": "govuk-select"}

# GOV.UK Notify (docs/decisions/0023): with NOTIFY_API_KEY set, emails go through Notify's API, in
# one generic email template (NOTIFY_EMAIL_TEMPLATE_ID, subject "((subject))", body "((body))");
# delivery receipts come back to /notify/callback/ with NOTIFY_CALLBACK_TOKEN as the bearer token.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
NOTIFY_TIMEOUT = int(os.environ.get("NOTIFY_TIMEOUT", "30"))
NOTIFY_LETTER_POSTAGE = os.environ.get("NOTIFY_LETTER_POSTAGE", "second")

# What hands emails over: the environment's EMAIL_BACKEND (SMTP: django.core.mail.backends.smtp.EmailBackend),
# else GOV.UK Notify with NOTIFY_API_KEY, else files in var/mail/. Django's EMAIL_BACKEND is the pace
# in front of it (notifications.backends.PacedEmailBackend), so that every email counts.
PORTAL_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "notifications.backends.NotifyEmailBackend"
    if NOTIFY_API_KEY
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_BACKEND = "notifications.backends.PacedEmailBackend"
# The pace of outgoing messages (notifications/pacing.py, docs/decisions/0029): at most this many a
# minute, all workers and every backend together, spread evenly over the minute's seconds (3,000:
# 50 a second, never 3,000 at once). 3,000 is GOV.UK Notify's limit, and the default for SMTP too:
# a council's relay that takes fewer needs its own figure here (Exchange Online's SMTP submission:
# 30). 0: not paced. NOTIFY_RATE_LIMIT, its former name, is still read.
_rate = os.environ.get("EMAIL_RATE_LIMIT_PER_MINUTE") or os.environ.get("NOTIFY_RATE_LIMIT") or "3000"
if not _rate.strip().isdigit():
    raise ImproperlyConfigured(
        f"EMAIL_RATE_LIMIT_PER_MINUTE is {_rate!r}: set it to a whole number of emails a minute (3000 for "
        "GOV.UK Notify), or 0 for no limit"
    )
EMAIL_RATE_LIMIT_PER_MINUTE = int(_rate)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Compact Portal <compact@example.org>")

# Celery: Redis when CELERY_BROKER_URL is set, otherwise kombu's filesystem transport,
# which needs no server (the worker and the web process share var/broker/).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_IMPORTS = ["compact_portal.tasks"]  # the platform is not an app: its tasks are listed here
CELERY_BEAT_SCHEDULE: dict = {
    # Every morning at 07:00 (CELERY_TIMEZONE, Europe/London); a day missed is caught up later.
    "send-due-reminders": {
        "task": "notifications.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 12 * 60 * 60},
    },
    # PDFs of editions whose text or signatories have changed since are never served again.
    "prune-edition-documents": {
        "task": "commitments.tasks.prune_edition_documents",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 12 * 60 * 60},
    },
    # PDFs (editions, letters) whose render task was lost (a worker died) are queued again.
    "requeue-lost-documents": {
        "task": "compact_portal.tasks.requeue_lost_documents",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
    # Ended sessions and old sign-in records (the privacy notice says how long they are kept).
    "remove-expired-records": {
        "task": "accounts.tasks.remove_expired_records",
        "schedule": crontab(hour=3, minute=0),
        "options": {"expires": 12 * 60 * 60},
    },
    # Re-affirmation requests whose task was lost after an edition was published are queued again.
    "request-missing-reaffirmations": {
        "task": "signatories.tasks.request_missing_reaffirmations",
        "schedule": crontab(minute=40),
        "options": {"expires": 50 * 60},
    },
    # Emails recorded but lost on the way (a worker died) are queued again.
    "deliver-unsent-notifications": {
        "task": "notifications.tasks.deliver_unsent_notifications",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
    # The pace's counters (one row a second of sending) kept for an hour (notifications/pacing.py).
    "prune-send-rate-windows": {
        "task": "notifications.tasks.prune_send_rate_windows",
        "schedule": crontab(minute="7-59/15"),
        "options": {"expires": 10 * 60},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The cache (used by the throttles): Redis when CACHE_URL is set or the broker is Redis, so that
# every gunicorn worker counts in the same place; otherwise each process's own memory.
CACHE_URL = os.environ.get("CACHE_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    # Room for every Compact's figures, kept one Compact at a time (monitoring/indicators.py: two
    # entries for each of 200 Compacts, each year and day asked for): at Django's default of 300
    # entries, a third of the cache was dropped whenever it filled, and the national pages computed
    # every Compact's figures again on each request (make bench runs with this cache).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Public pages kept for anonymous visitors (compact_portal/pagecache.py): at most this long; any write
# to the database empties the cache sooner. 0 turns it off: off by default (make run, make bench
# measure the pages themselves), on in production (production.py).
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "0"))

# The council that runs this portal: its name and colour appear in the header.
PORTAL_COUNCIL_NAME = os.environ.get("PORTAL_COUNCIL_NAME", "Example Borough Council")
PORTAL_SERVICE_NAME = os.environ.get("PORTAL_SERVICE_NAME", "Compact Portal")
# Their Welsh, shown on Welsh pages (compact_portal/names.py). Empty: the English name is shown,
# marked lang="en". The defaults go with the demo's names above.
PORTAL_COUNCIL_NAME_CY = os.environ.get(
    "PORTAL_COUNCIL_NAME_CY", "" if "PORTAL_COUNCIL_NAME" in os.environ else "Cyngor Bwrdeistref Enghraifft"
)
PORTAL_SERVICE_NAME_CY = os.environ.get(
    "PORTAL_SERVICE_NAME_CY", "" if "PORTAL_SERVICE_NAME" in os.environ else "Porth y Compact"
)
PORTAL_BRAND_COLOUR = os.environ.get("PORTAL_BRAND_COLOUR", "#1d70b8")
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "compact@example.org")
# Where people send questions and requests about their personal data (the privacy notice):
# usually the council's data protection officer.
PORTAL_PRIVACY_CONTACT_EMAIL = os.environ.get("PORTAL_PRIVACY_CONTACT_EMAIL", PORTAL_CONTACT_EMAIL)

# Where `make backup` writes (scripts/backup.sh): one timestamped folder per backup.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))

# The largest request body accepted: three 10 MB files (a breach concern's evidence) and the form.
# Larger requests are refused with a 413 page before they are read (compact_portal.middleware); the
# reverse proxy in front must refuse them first (README, "Production": client_max_body_size 32m).
PORTAL_MAX_REQUEST_BYTES = int(os.environ.get("PORTAL_MAX_REQUEST_BYTES", str(32 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "compact_portal.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The open data API (opendata/, docs/decisions/0021-open-data-api.md): public data only, so no
# authentication at all (every caller is anonymous, no session or CSRF), read-only, JSON only,
# paginated, and throttled per client address (read as the other throttles read it).
PORTAL_API_ANON_RATE = os.environ.get("PORTAL_API_ANON_RATE", "120/minute")
PORTAL_API_PAGE_SIZE = 50
# How long a browser or a shared cache may keep an API answer (seconds), before asking again
# (an unchanged answer then costs a 304).
PORTAL_API_MAX_AGE = int(os.environ.get("PORTAL_API_MAX_AGE", "300"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "opendata.pagination.PageNumberPagination",
    "PAGE_SIZE": PORTAL_API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": PORTAL_API_ANON_RATE},
    "NUM_PROXIES": PORTAL_TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compact Portal open data API",
    "DESCRIPTION": (
        "Read-only public data of the local Compacts: their editions and undertakings, signatories, "
        "consultations with their compliance, and anonymised figures. Published under the Open "
        "Government Licence v3.0."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {
        "EditionStatusEnum": "opendata.serializers.PUBLIC_EDITION_STATUSES",
        "RegisterStatusEnum": "opendata.serializers.REGISTER_STATUSES",
        "ConsultationStatusEnum": "opendata.serializers.CONSULTATION_STATUSES",
    },
}

# Largest Compact text a coordinator may upload for import.
COMPACT_IMPORT_MAX_BYTES = 1024 * 1024

AUDITLOG_INCLUDE_ALL_MODELS = False

# Every record through one handler, whose filter takes out the secrets some addresses carry
# (compact_portal/redaction.py): Django's "Not Found: /invitations/<token>/", and the development
# server's request lines. Django's own loggers are given it instead of the handlers Django sets up
# for them (a console without the filter when DEBUG is on, and an email to ADMINS).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "compact_portal.redaction.RedactingFilter"}},
    "formatters": {
        # The development server's request lines, as Django writes them: its time, then the line.
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
