"""Settings for escape_events.

Development works with no configuration at all (SQLite, mails on the console). Production is
switched on with ESCAPE_PRODUCTION=1 and then takes every secret and host from the environment.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.csp import CSP

from escape_events.core.release import release_id

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def gettext_noop(text: str) -> str:
    """Marks a text for makemessages; Django's own gettext_noop would read these settings while
    they are being read (and leave Django configured with half of them)."""
    return text


def env_count(name: str, default: int) -> int:
    """A whole number, 0 or more; anything else stops start-up with a message naming it."""
    raw = os.environ.get(name, "").strip() or str(default)
    if not (raw.isascii() and raw.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more (not {raw!r}).")
    return int(raw)


PRODUCTION = env_bool("ESCAPE_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
    except KeyError:
        raise ImproperlyConfigured("SECRET_KEY must be set when ESCAPE_PRODUCTION=1") from None
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when ESCAPE_PRODUCTION=1")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-only-insecure-key-never-use-in-production-1f9c2b7e4a"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if PRODUCTION and not os.environ.get("SITE_URL"):
    raise ImproperlyConfigured(
        "SITE_URL must be set when ESCAPE_PRODUCTION=1, e.g. SITE_URL=https://events.example.org: "
        "it is the address in every mail and the domain of every calendar UID (without it feeds "
        "carry @127.0.0.1 UIDs, and calendars duplicate every event once it is fixed)."
    )
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address, not {SITE_URL!r}.")
# The public address decides whether cookies are Secure and plain HTTP is redirected: a trial of
# the production stack on http://127.0.0.1 works, and `check --deploy` says what it lacks.
SITE_IS_HTTPS = urlsplit(SITE_URL).scheme == "https"
# Calendar feeds: the domain in every iCalendar UID (keep it when the site moves, or clients
# duplicate events), how far back feeds reach, and how long clients and the cache keep a feed.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", urlsplit(SITE_URL).hostname)
FEEDS_PAST_MONTHS = int(os.environ.get("FEEDS_PAST_MONTHS", "12"))
FEEDS_MAX_AGE_SECONDS = int(os.environ.get("FEEDS_MAX_AGE_SECONDS", "900"))
FEEDS_CACHE_SECONDS = int(os.environ.get("FEEDS_CACHE_SECONDS", "86400"))
# Personal feeds: requests an hour per person (a valid token) or per address (an unknown one).
FEEDS_RATE_LIMIT = (env_count("FEEDS_RATE_LIMIT", 120), 3600)
# Privacy: the notice published first (later versions come from the admin or
# `manage.py publish_privacy_notice`), who answers questions about it, and how long registration
# data of an event are kept after it ends (organisers may shorten it per event).
PRIVACY_NOTICE_FILE = Path(
    os.environ.get(
        "PRIVACY_NOTICE_FILE", BASE_DIR / "escape_events" / "accounts" / "privacy_notice.md"
    )
)
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
REGISTRATION_RETENTION_MONTHS = int(os.environ.get("REGISTRATION_RETENTION_MONTHS", "12"))

INSTALLED_APPS = [
    "escape_events.core.apps.EscapeAdminConfig",  # django.contrib.admin, branded as the site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "escape_events.core",
    "escape_events.accounts",
    "escape_events.events",
    "escape_events.outbox",
    "escape_events.timetable",
    "escape_events.calendars",
    "escape_events.feeds",
    "escape_events.registrations",
    "escape_events.surveys",
    "escape_events.organisers",
    "escape_events.api",
    "escape_events.site",
    "ninja",
    "django_countries",  # ISO 3166 country names, translated (question kind "country")
]

MIDDLEWARE = [
    "escape_events.feeds.middleware.CookieFreePublicFeedsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the language cookie (the header's switcher), else the browser's
    # Accept-Language; a signed-in person's stored preference wins (UserLanguageMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "escape_events.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "escape_events.urls"
WSGI_APPLICATION = "escape_events.wsgi.application"

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
                "escape_events.core.context_processors.site",
            ],
        },
    },
]

if PRODUCTION and not os.environ.get("DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
):
    raise ImproperlyConfigured(
        "escape_events needs PostgreSQL in production: set DATABASE_URL=postgres://user:password@"
        "host:5432/dbname. SQLite cannot serve several app servers: it locks the whole file on "
        "every write, and seats, waiting lists and the mail outbox rely on PostgreSQL's row locks."
    )
# Production keeps each worker's database connection open between requests (a new PostgreSQL
# connection costs more than a whole page's queries). Sync workers serve one request at a time,
# so a persistent connection per worker is all a pool would give.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        # A connection kept open is tested before reuse, so the app recovers on its own after a
        # database restart instead of failing every request on a dead connection.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Where a ticket's QR code leads (the organisers' check-in page), named here so that
# registrations, which makes the tickets, never names a front room's URLs.
TICKET_SCAN_URL = "organisers:scan"
# The account page's links to pages of the apps above accounts, by URL name (label, name).
PROFILE_PAGE_LINKS = [
    (gettext_noop("My registrations"), "site:mine"),
    (gettext_noop("API tokens"), "api_tokens:list"),
]
# Where the apps below the public site link to its pages (their models' get_absolute_url(), and
# "My registrations" in mails); the site's URL names are known up here only.
ABSOLUTE_URL_OVERRIDES = {
    "events.event": lambda event: reverse("site:event_detail", kwargs={"slug": event.slug}),
    "events.series": lambda series: reverse("site:series_detail", kwargs={"slug": series.slug}),
    "events.attachment": lambda item: reverse(
        "site:attachment", kwargs={"slug": item.event.slug, "pk": item.pk}
    ),
    "surveys.survey": lambda survey: reverse("site:survey", kwargs={"slug": survey.event.slug}),
}
MY_REGISTRATIONS_URL = "site:mine"
SITE_ID = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
# The languages of the collaboration's institutes (CERN works in English and French). Each has a
# complete catalogue in locale/ (tests/core/test_catalogues.py); names are shown in their own
# language in the switcher.
LANGUAGES = [
    ("en-gb", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("es", "Español"),
]
# Our wording of texts from the libraries (allauth headings in sentence case) and every text of
# our own, per language: locale/<language>/LC_MESSAGES/django.po, compiled by `make messages`.
LOCALE_PATHS = [BASE_DIR / "escape_events" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "escape_events" / "static"]
# Uploads live where every app server finds them: MEDIA_ROOT (a shared folder, e.g. NFS) by
# default, or an S3-compatible bucket (AWS, MinIO, Ceph/EOS S3) when AWS_STORAGE_BUCKET_NAME is set.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                # Private objects: files are served through the attachment view, never by URL.
                "default_acl": None,
                "file_overwrite": False,
                "location": os.environ.get("AWS_LOCATION", "media"),
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads above this size are refused with a form error rather than stored.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# Temporary files of exports (an .xlsx is written to disk): one folder, swept at start-up by
# manage.py sweep_scratch (core/scratch.py). Local disk of each app server is right.
SCRATCH_DIR = os.environ.get("SCRATCH_DIR") or os.path.join(tempfile.gettempdir(), "escape_events")
# Uploads (event files, agenda materials, CSV imports): posts an hour per person.
UPLOAD_RATE_LIMIT = (env_count("UPLOAD_RATE_LIMIT", 60), 3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Caches: Redis when REDIS_URL is set (shared between workers, needed for rate limits), else
# each process's memory. Every key starts with the release (core/release.py): a deploy never
# serves HTML that the code before it rendered. Computed once here, at start-up.
RELEASE_ID = release_id(BASE_DIR, given=os.environ.get("RELEASE_ID", ""))
CACHE_KEY_PREFIX = f"{os.environ.get('CACHE_KEY_PREFIX', 'escape_events')}:{RELEASE_ID}"
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    # Sessions are read from Redis on every signed-in request and kept in the database too, so
    # a flushed or restarted cache signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Mail: SMTP from the environment in production (or whenever EMAIL_HOST is set), else the console.
# In production every mail goes into the outbox first (stored in the transaction of the change it
# reports) and `manage.py deliver_mail` hands it to the "delivery" mailer, retrying with backoff:
# the one durable queue, lease and retry policy of the site.
SMTP_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    DELIVERY_MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": SMTP_TIMEOUT,
        },
    }
else:
    DELIVERY_MAILER = {"BACKEND": "escape_events.accounts.mail.ConsoleBackend"}
if env_bool("MAIL_OUTBOX", default=PRODUCTION):
    MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": DELIVERY_MAILER,
    }
else:
    MAILERS = {"default": DELIVERY_MAILER, "delivery": DELIVERY_MAILER}
OUTBOX_MAILER = "delivery"
# Bounded retries: 8 tries spread over about two hours (30 s, 1, 2, 4 ... 60 min apart), then
# the mail is shown as not delivered. A worker renews its lease every third of
# OUTBOX_LEASE_SECONDS while it sends; one that dies mid-send loses it within that time and
# another worker sends the mail.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
# Sent mails are forgotten after this many days (`manage.py prune_outbox`, a scheduled job).
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "30"))
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "escape_events <events@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Names and affiliation are asked at sign-up (prefilled from the provider's claims on OIDC).
ACCOUNT_SIGNUP_FORM_CLASS = "escape_events.accounts.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "escape_events.accounts.models.display_name_of"
# Mails name SITE_URL, never the address a request happened to arrive at.
ACCOUNT_ADAPTER = "escape_events.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "escape_events.accounts.adapters.SocialAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# allauth rate limits stay at their defaults (on); they use the shared cache above.
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
SOCIALACCOUNT_ONLY = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[escape_events] "
# OpenID Connect (INDIGO IAM, Keycloak, CERN SSO): "Sign in with <OIDC_NAME>" when configured.
# Group claims (groups, wlcg.groups, entitlements, eduperson_entitlement) become Django groups.
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [], "OAUTH_PKCE_ENABLED": True}}
if OIDC_SERVER_URL:
    if not os.environ.get("OIDC_CLIENT_ID"):
        raise ImproperlyConfigured("OIDC_CLIENT_ID must be set with OIDC_SERVER_URL")
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "oidc",
            "name": os.environ.get("OIDC_NAME", "OpenID Connect"),
            "client_id": os.environ["OIDC_CLIENT_ID"],
            "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": OIDC_SERVER_URL,
                "scope": os.environ.get("OIDC_SCOPES", "openid email profile").split(),
            },
        }
    )
SOCIALACCOUNT_STORE_TOKENS = False
# Never attach a provider login to an existing account just because the e-mail matches.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# Behind HAProxy/nginx every request comes from the proxy: rate limits (allauth's, which the
# admin login goes through too) must count the client address the proxies appended instead.
# A chain shorter than this is not trusted: the connecting address counts (core/limits.py).
ALLAUTH_TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None

# Security: on in production (served over HTTPS), quiet in development.
HTTPS_ONLY = PRODUCTION and SITE_IS_HTTPS
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY and env_bool("SECURE_SSL_REDIRECT", True)
# Health checks come from the load balancer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# Preload lists commit the domain and every subdomain to HTTPS in browsers for months, beyond
# this site's control: an operator opts in (SECURE_HSTS_PRELOAD=1) after reading hstspreload.org.
SECURE_HSTS_PRELOAD = HTTPS_ONLY and env_bool("SECURE_HSTS_PRELOAD")
# Django's deploy check warns when preload is off (security.W021); off is this site's default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy on every page: scripts, styles and images only from this site (no
# inline script or style, no plugins, no framing); forms post here or to the OpenID provider.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF]
    + (
        [f"{urlsplit(OIDC_SERVER_URL).scheme}://{urlsplit(OIDC_SERVER_URL).netloc}"]
        if OIDC_SERVER_URL
        else []
    ),
}
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# JSON API rate limits: (requests, seconds) per token or signed-in person, and per address for
# anonymous callers. Counted in the shared cache, so set REDIS_URL when several workers run.
API_RATE_LIMIT = (
    int(os.environ.get("API_RATE_LIMIT", "600")),
    int(os.environ.get("API_RATE_WINDOW_SECONDS", "60")),
)
# How long the log of writes made through the API is kept (manage.py purge_api_records).
API_WRITE_LOG_DAYS = int(os.environ.get("API_WRITE_LOG_DAYS", "365"))
API_ANONYMOUS_RATE_LIMIT = (
    int(os.environ.get("API_ANONYMOUS_RATE_LIMIT", "120")),
    int(os.environ.get("API_RATE_WINDOW_SECONDS", "60")),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint (PDF printouts) reports each layout step at INFO: keep the log for problems.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
