"""Settings shared by every environment, read from environment variables only."""

import os
import re
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None, *, required=False):
    """The one place that reads the environment."""
    value = os.environ.get(name)
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    """A yes or a no, nothing else: a typo ("ture") stops the start instead of reading as no."""
    value = env(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false (or 1/0, yes/no, on/off), "
        f"not {value!r}."
    )


def env_int(name, default, *, minimum=0):
    """A whole number in decimal digits, at least ``minimum``: "10m", "-1" or "1e3" stop the
    start (a zero window, say, would switch a limit off)."""
    value = env(name)
    if value is None:
        return default
    text = value.strip()
    if not re.fullmatch(r"[0-9]+", text) or int(text) < minimum:
        bound = f" of at least {minimum}" if minimum else ""
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number{bound}, not {value!r}."
        )
    return int(text)


def env_time(name, default):
    """A time of day, "HH:MM" (24-hour clock): "7h30" or "25:00" stop the start."""
    value = env(name, default)
    match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value.strip())
    if match is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a time of day as HH:MM, not {value!r}."
        )
    return time(int(match[1]), int(match[2]))


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", BASE_URL)

INSTALLED_APPS = [
    "home",
    "intake",
    "dsfr",
    "widget_tweaks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session and anything that reads the database: a page it holds costs no query.
    "home.cache.PageCacheMiddleware",
    "home.serving.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Browser features no page of the portal uses, refused to every origin (names Chromium knows:
# an unknown one costs a console warning on every page).
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "window-management",
    "xr-spatial-tracking",
]

# Content-Security-Policy (portal/csp.py), enforced. The public site runs no inline script and
# no inline style: everything comes from our own static files (DSFR's included), so the policy
# needs no 'unsafe-inline', and no page draws its nonce ("'nonce-{nonce}'", kept for a template
# that would need one). DSFR's stylesheets draw some icons and arrows as data: URLs.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Wagtail 7.4's admin runs inline scripts it writes itself: each chooser widget appends
# `<script>new ImageChooser(…)</script>`, the date and time widgets and the inline panels do the
# same, and jQuery runs the scripts of the HTML it inserts later (choosers' modals, the inline
# panels' new forms, the scheduling dialog). None can carry the response's nonce, and a nonce in
# the policy would switch 'unsafe-inline' off, so the admin allows inline scripts and has no
# nonce; inline event handlers (onclick=…) stay refused. Draftail's libraries insert <style>
# elements: inline style elements are allowed there too, style attributes are not. Images may
# be data: or blob: URLs (previews of an upload), and the admin frames its own page previews.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-attr": ["'none'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]
FORM_RENDERER = "portal.forms.Renderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default holds a few applicants at once: readers never wait (WAL), writers
    # take the lock when their transaction starts and queue up instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Keeps serving without Redis: misses, counters in the process (portal/cache.py).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # An unreachable Redis costs a request a fraction of a second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (home/cache.py), on in every environment: anonymous views of public pages
# kept this many seconds in the shared cache (every change they show renews them at once),
# and announced to browsers and proxies for PAGE_CACHE_MAX_AGE seconds (nothing purges them).
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 3600, minimum=1)
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
# Models whose writes change what public pages show, beside the pages themselves: their
# saves and deletions renew the page cache and the page shell's fragments.
PAGE_CACHE_INVALIDATED_BY = [
    "home.PortalSettings",
    "home.RetentionSettings",
    "home.Theme",
    "home.Partner",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "intake.OpeningRule",
    "intake.Closure",
    "intake.Appointment",
]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The public forms whose typed values the database-down page shows again (portal/unavailable.py).
RESUBMITTED_FORMS = [
    "intake.views.forms.RequestForm",
    "intake.views.forms.MessageForm",
    "intake.views.forms.LostLinkForm",
]
# /healthz fails when a task ready to run has waited longer than this (seconds): no worker.
HEALTHZ_TASK_MAX_AGE = env_int("HEALTHZ_TASK_MAX_AGE", 600, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Locale formats win over DATE_FORMAT & co: the project's French formats live here.
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
# Attachments and received emails: never under MEDIA_ROOT, never served by the web server.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Where django.core.mail.backends.filebased.EmailBackend writes (the production check reads it).
EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Territoires d'engagement <ne-pas-repondre@anct.gouv.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
TEAM_NOTIFICATION_EMAIL = env("TEAM_NOTIFICATION_EMAIL", "territoires-engagement@anct.gouv.fr")
DEMO_ADMIN_PASSWORD = env("DEMO_ADMIN_PASSWORD", "")

# Applicants' replies by email. REPLY_ADDRESS is the team's mailbox that accepts
# plus-addressing: each email to an applicant then says Reply-To: local+r-<token>@domain
# (empty: the team's address, and replies are read by hand). The mailbox job reads IMAP_FOLDER
# over IMAP; it is off while IMAP_HOST is empty.
REPLY_ADDRESS = env("REPLY_ADDRESS", "")
IMAP_HOST = env("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993, minimum=1)
IMAP_USER = env("IMAP_USER", "")
IMAP_PASSWORD = env("IMAP_PASSWORD", "")
IMAP_SSL = env_bool("IMAP_SSL", True)
IMAP_FOLDER = env("IMAP_FOLDER", "INBOX")
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 60, minimum=1)
# A message larger than this (bytes, attachments included) is never imported into a thread.
INBOUND_EMAIL_MAX_BYTES = env_int("INBOUND_EMAIL_MAX_BYTES", 25 * 1024 * 1024, minimum=1)
# The team's daily digest leaves on working days from this time (Paris), at the periodic
# job's first run after it.
DIGEST_TIME = env_time("DIGEST_TIME", "07:30")

WAGTAIL_SITE_NAME = "Territoires d'engagement"
WAGTAIL_I18N_ENABLED = False
# Addresses are read aloud, printed and typed: accents would travel percent-encoded.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# A State service sends no hash of its agents' addresses to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Used by the PostgreSQL backend only; SQLite uses its own FTS.
        "SEARCH_CONFIG": "french",
    }
}
WAGTAILEMBEDS_FINDERS = []
# Documents: the extensions editors may upload, each checked against its content
# (portal/filetypes.py knows these and the 97–2003 office formats; any other is refused), and
# a bound on their size.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.uploads.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Images are read from their content (Willow: the format must match the extension) and decoded
# by the worker that receives them: a bound on the bytes, and on the pixels, since a small file
# can declare a picture whose decoding fills the memory. 25 million pixels holds a 24-megapixel
# photograph; Wagtail's default (128 million) would cost about 512 MB to decode.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000
# Also refuses, at the field, a file Pillow will not decode (a header declaring billions of
# pixels, a truncated file) rather than failing with an error page.
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.uploads.ImageForm"

# Costly answers of the public forms (a request stored, emails sent) per client and window
# (seconds); behind N reverse proxies, set the count so the client address is read from
# X-Forwarded-For.
RATELIMIT_TRUSTED_PROXY_COUNT = env_int("RATELIMIT_TRUSTED_PROXY_COUNT", 0)
RATELIMIT_FORM_POSTS = env_int("RATELIMIT_FORM_POSTS", 10, minimum=1)
RATELIMIT_WINDOW = env_int("RATELIMIT_WINDOW", 600, minimum=1)
# New status links sent to one address per window, whoever asks for them.
RATELIMIT_LINKS_PER_ADDRESS = env_int("RATELIMIT_LINKS_PER_ADDRESS", 3, minimum=1)
# Password-reset emails sent to one admin account per window, whoever asks for them.
RATELIMIT_RESETS_PER_ACCOUNT = env_int("RATELIMIT_RESETS_PER_ACCOUNT", 3, minimum=1)
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "portal.public_posts.PasswordResetForm"
# While a request's messages are unread, the team is emailed of them once per this window.
RATELIMIT_MESSAGE_NOTICE_WINDOW = env_int("RATELIMIT_MESSAGE_NOTICE_WINDOW", 900, minimum=1)

# The admin's sign-in (portal/lockout.py): failed attempts per account and per client address
# (read as the rate limits read it) in each window of seconds, and how long the lock lasts.
WAGTAILADMIN_USER_LOGIN_FORM = "portal.login.LoginForm"
LOGIN_LOCKOUT_ACCOUNT_FAILURES = env_int("LOGIN_LOCKOUT_ACCOUNT_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_ADDRESS_FAILURES = env_int("LOGIN_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
LOGIN_LOCKOUT_WINDOW = env_int("LOGIN_LOCKOUT_WINDOW", 900, minimum=1)
LOGIN_LOCKOUT_DURATION = env_int("LOGIN_LOCKOUT_DURATION", 900, minimum=1)

# The admin's second factor (portal/two_factor.py): whoever may see personal data (the team,
# superusers) enrols an authenticator app on their first sign-in, then types one of its codes
# (TOTP) or a recovery code after the password, before any admin URL. Wrong codes are counted
# in their own lockout, with the numbers above; django-otp's throttling, which would refuse
# even a right code for a while after a wrong one without saying so, is off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# django-dsfr: nothing an editor types is trusted as HTML.
DSFR_CONTENT_IS_SAFE = False
DSFR_MARK_OPTIONAL_FIELDS = True
# The DSFR is served from our own static files, and collectstatic's manifest storage rewrites
# the url()s inside its CSS: django-dsfr's integrity hashes (of the original files) would
# make browsers block the stylesheets. Same-origin assets gain nothing from SRI.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Status tokens are redacted where the records are made (the request, CSRF and development
# server loggers, whose lines carry the path) and again on the way out, for any other record.
REDACT_STATUS_TOKENS = ["redact_status_tokens"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_status_tokens": {"()": "portal.log_filters.RedactStatusTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": REDACT_STATUS_TOKENS},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": REDACT_STATUS_TOKENS,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Per-task and per-edit lines drown the useful ones; the audit log keeps the edits.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django.request": {"filters": REDACT_STATUS_TOKENS},
        "django.security.csrf": {"filters": REDACT_STATUS_TOKENS},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": REDACT_STATUS_TOKENS,
        },
    },
}
