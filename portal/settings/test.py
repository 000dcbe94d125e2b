from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["KEY_PREFIX"] = "portal-test"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "tests" / ".media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "tests" / ".private-media"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# The production queue's table, so that what reads it (the health check) is tested; tasks
# still run at once.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
