from urllib.parse import urlsplit

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    BASE_URL,
    DATABASES,
    DEVELOPMENT_SECRET_KEY,
    INSTALLED_APPS,
    LOGGING,
    MIDDLEWARE,
    STORAGES,
    env,
    env_bool,
    env_int,
)

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
LOG_FORMAT = env("LOG_FORMAT", "json")
MEDIA_BUCKET = env("AWS_STORAGE_BUCKET_NAME", "")
PRIVATE_BUCKET = env("AWS_PRIVATE_STORAGE_BUCKET_NAME", "")


def _refusals():
    """What a deployment must not start with; the secret itself is never echoed."""
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        yield "SECRET_KEY is the development key."
    elif (
        len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
        or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        yield (
            f"SECRET_KEY must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters "
            f"(at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, not starting with "
            f"{SECRET_KEY_INSECURE_PREFIX!r}). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if MEDIA_BUCKET and (not PRIVATE_BUCKET or PRIVATE_BUCKET == MEDIA_BUCKET):
        yield (
            "AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket of its own, never public, "
            "beside AWS_STORAGE_BUCKET_NAME."
        )
    if LOG_FORMAT not in {"json", "text"}:
        yield f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}."
    if "*" in ALLOWED_HOSTS:
        yield "ALLOWED_HOSTS must name the site's hosts: '*' accepts any Host header."
    if env("BASE_URL") is None:
        yield "BASE_URL is required: the site's public https:// address, used in emails."
    elif urlsplit(BASE_URL).scheme != "https" or not urlsplit(BASE_URL).hostname:
        yield f"BASE_URL must be the site's https:// address, not {BASE_URL!r}."


if refusals := list(_refusals()):
    raise ImproperlyConfigured(
        "The production settings refuse to start:\n" + "\n".join(f"- {r}" for r in refusals)
    )

# A connection per worker kept for ten minutes (opening one costs about 6 ms of a page),
# checked before reuse so that a database restart costs no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
# Static files are served by the app server itself, right after the security middleware.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_after_security],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_after_security:],
]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads on S3-compatible object storage (django-storages) when buckets are named, else on
# the servers' disk: the public media (Wagtail's images and documents) in one bucket, the
# private files (attachments, received emails) in another that is never public, read through
# the portal only. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
if MEDIA_BUCKET:
    _s3 = {
        "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
        "region_name": env("AWS_S3_REGION_NAME"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": MEDIA_BUCKET, "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": PRIVATE_BUCKET, "default_acl": "private"},
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS ends at a reverse proxy (its X-Forwarded-Proto is trusted above): the client address
# that the rate limits count is the one it appends to X-Forwarded-For.
RATELIMIT_TRUSTED_PROXY_COUNT = int(env("RATELIMIT_TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain HTTP, without X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# One JSON object per line for the log collector; LOG_FORMAT=text for a person reading.
if LOG_FORMAT == "json":
    LOGGING["formatters"]["json"] = {"()": "portal.log_format.JsonFormatter"}
    for handler in LOGGING["handlers"].values():
        handler["formatter"] = "json"

# Errors reported to Sentry when its DSN is given; never the users' personal data.
if SENTRY_DSN := env("SENTRY_DSN", ""):
    import sentry_sdk

    from portal.log_filters import redact_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        before_send=redact_event,
        traces_sample_rate=0.0,
    )
