"""Django settings for renkei. Every operator-facing value comes from a RENKEI_* variable;
docs/operations.md lists them and .env.example shows each with a comment."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from renkei.config import data_dir, env_bool, env_int, env_list, env_str, secret_key
from renkei.jobs.conf import broker_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("RENKEI_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("RENKEI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("RENKEI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc files for /api/docs/, served locally
    "django_filters",
    "django_htmx",
    "simple_history",
    "renkei.core",
    "renkei.directory",
    "renkei.programs",
    "renkei.imports",
    "renkei.accounts",
    "renkei.matching",
    "renkei.brokerage",
    "renkei.events",
    "renkei.network",
    "renkei.web",
    "renkei.api",
    "renkei.demo",
    "renkei.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "renkei.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "renkei.urls"
WSGI_APPLICATION = "renkei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renkei.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("RENKEI_DATABASE_URL", f"sqlite:///{DATA_DIR / 'renkei.sqlite3'}"),
        conn_max_age=env_int("RENKEI_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Failed sign-ins allowed per username and per client address within the window below.
LOGIN_FAILURE_LIMIT = env_int("RENKEI_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("RENKEI_LOGIN_FAILURE_WINDOW", 900)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("RENKEI_TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Largest file a coordinator may attach to a CRM record (interaction or introduction), in MB.
# Uploads are never served from MEDIA_URL: the CRM's download view checks who may read them.
CRM_ATTACHMENT_MAX_BYTES = env_int("RENKEI_CRM_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
if CRM_ATTACHMENT_MAX_BYTES <= 0:
    raise ImproperlyConfigured("RENKEI_CRM_ATTACHMENT_MAX_MB must be at least 1")
# Parser processes of a large corporate-number import (docs/imports.md); -1: automatic.
IMPORT_PARSE_WORKERS = env_int("RENKEI_IMPORT_PARSE_WORKERS", -1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# plotly.js ships inside the plotly package; serve it from there so nothing loads from a CDN.
STATICFILES_DIRS = [("plotly", importlib.util.find_spec("plotly").submodule_search_locations[0] + "/package_data")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("RENKEI_CACHE_URL"),
    }
    if env_str("RENKEI_CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Security defaults: secure cookies and HSTS outside debug unless the operator serves plain HTTP
# on a trusted network (RENKEI_INSECURE_HTTP=1, which `renkei demo` sets for 127.0.0.1).
_SECURE = not DEBUG and not env_bool("RENKEI_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _SECURE:
    SECURE_HSTS_SECONDS = env_int("RENKEI_HSTS_SECONDS", 0)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background jobs (docs/jobs.md). RENKEI_BROKER_URL unset: jobs run inline in the process that
# starts them, right after its transaction commits. Set to redis://… or amqp://…: they go to
# Celery workers started with `renkei worker`. The Job row is the result; a Celery result
# backend is only for operators who want one (RENKEI_RESULT_BACKEND).
JOBS_BROKER_URL = broker_url("RENKEI_BROKER_URL")
JOBS_QUEUE = env_str("RENKEI_JOBS_QUEUE", "renkei")
JOBS_HEARTBEAT_SECONDS = env_int("RENKEI_JOBS_HEARTBEAT", 15)
JOBS_STALE_SECONDS = env_int("RENKEI_JOBS_STALE_AFTER", 120)
# The matching index's change journal is folded into the saved index past this many entries or
# this percentage of the collection, whichever comes first (docs/matching.md, "Change journal").
MATCHING_JOURNAL_MAX_ENTRIES = env_int("RENKEI_MATCHING_JOURNAL_MAX_ENTRIES", 20_000)
MATCHING_JOURNAL_MAX_PERCENT = env_int("RENKEI_MATCHING_JOURNAL_MAX_PERCENT", 5)
CELERY_BROKER_URL = JOBS_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = env_str("RENKEI_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = not CELERY_RESULT_BACKEND
CELERY_TASK_DEFAULT_QUEUE = JOBS_QUEUE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge a message when its job has run, one message per worker process at a time: a
# worker lost mid-job leaves the message to be redelivered, and the Job's claim makes the
# redelivery a no-op (the staleness rule reports the job as failed instead).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
if JOBS_HEARTBEAT_SECONDS < 1 or JOBS_STALE_SECONDS < 2 * JOBS_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "RENKEI_JOBS_STALE_AFTER must be at least twice RENKEI_JOBS_HEARTBEAT (and the heartbeat at least 1 second)"
    )

EMAIL_BACKEND = env_str("RENKEI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("RENKEI_FROM_EMAIL", "renkei@localhost")
# For RENKEI_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend:
EMAIL_HOST = env_str("RENKEI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("RENKEI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("RENKEI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("RENKEI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("RENKEI_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = env_int("RENKEI_EMAIL_TIMEOUT", 30)
# The site's public address, for links and check-in QR codes in mails sent outside a request.
RENKEI_BASE_URL = env_str("RENKEI_BASE_URL", "http://localhost:8000").rstrip("/")
if not RENKEI_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("RENKEI_BASE_URL must start with http:// or https://")

# Events: the reminder mail, the public registration form's spam protection, follow-up surveys.
EVENT_REMINDER_DAYS_BEFORE = env_int("RENKEI_EVENT_REMINDER_DAYS", 1)
EVENT_FORM_MIN_SECONDS = env_int("RENKEI_EVENT_FORM_MIN_SECONDS", 3)
EVENT_FORM_MAX_AGE_SECONDS = env_int("RENKEI_EVENT_FORM_MAX_AGE", 24 * 3600)
EVENT_FORM_RATE_LIMIT = env_int("RENKEI_EVENT_FORM_RATE_LIMIT", 20)
EVENT_FORM_RATE_WINDOW_SECONDS = env_int("RENKEI_EVENT_FORM_RATE_WINDOW", 3600)
EVENT_FOLLOWUP_ANSWER_DAYS = env_int("RENKEI_EVENT_FOLLOWUP_ANSWER_DAYS", 60)
if EVENT_REMINDER_DAYS_BEFORE < 1 or EVENT_FORM_RATE_LIMIT < 1 or EVENT_FOLLOWUP_ANSWER_DAYS < 1:
    raise ImproperlyConfigured(
        "RENKEI_EVENT_REMINDER_DAYS, RENKEI_EVENT_FORM_RATE_LIMIT and RENKEI_EVENT_FOLLOWUP_ANSWER_DAYS"
        " must be at least 1"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute", "user": "3000/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "renkei API",
    "DESCRIPTION": "Directory, programmes and clusters of the renkei collaboration platform.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs pages load Swagger UI and Redoc from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "source"; give each its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "RecordSourceEnum": "renkei.core.models.RecordSource",
        "BudgetSourceEnum": "renkei.programs.choices.BudgetSource",
        # Seeds and needs share "visibility" with organisations and people, "kind" with others.
        "ListingVisibilityEnum": "renkei.matching.choices.ListingVisibility",
        "VisibilityEnum": "renkei.core.models.Visibility",
        "MatchKindEnum": "renkei.matching.api.serializers.MATCH_KINDS",
        # The CRM's pipeline stages share "stage" with seeds.
        "IntroductionStageEnum": "renkei.brokerage.choices.IntroductionStage",
        # Events, registrations, meeting requests and meetings each have their own "status".
        "EventStatusEnum": "renkei.events.choices.EventStatus",
        "RegistrationStatusEnum": "renkei.events.choices.RegistrationStatus",
        "MeetingRequestStatusEnum": "renkei.events.choices.MeetingRequestStatus",
        "MeetingStatusEnum": "renkei.events.choices.MeetingStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("RENKEI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
