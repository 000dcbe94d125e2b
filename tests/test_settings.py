"""Settings come from the environment only, read strictly; production refuses to start without
a strong secret, with a wildcard host or without its https:// address."""

import json
import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import env_bool, env_int, env_time

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # Only what the test passes reaches the settings: no secret from the caller's shell, and
    # not the async-safety switch the browser tests set in this process.
    hidden = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in hidden}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(name, **env):
    result = run_manage(
        "shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


STRONG_KEY = "x" * 64 + "-a-long-random-production-secret-for-tests"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "territoires-engagement.example",
    "BASE_URL": "https://territoires-engagement.example",
}
REFUSED = "django.core.exceptions.ImproperlyConfigured: The production settings refuse to start:\n"
WEAK_KEY = (
    "- SECRET_KEY must be a random value of at least 50 characters (at least 5 different ones, "
    "not starting with 'django-insecure-'). Generate one with: "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
)


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="portal.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    "env, name, expected",
    [
        ({}, "LANGUAGE_CODE", "'fr'"),
        ({}, "TIME_ZONE", "'Europe/Paris'"),
        ({}, "DSFR_CONTENT_IS_SAFE", "False"),
        (
            {"DATABASE_URL": "postgres://u@db.example:5432/portal"},
            "DATABASES['default']['ENGINE']",
            "'django.db.backends.postgresql'",
        ),
        ({"DATABASE_URL": ""}, "DATABASES['default']['ENGINE']", "'django.db.backends.sqlite3'"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/3"},
            "CACHES['default']['BACKEND']",
            "'portal.cache.ResilientRedisCache'",
        ),
        (
            {"REDIS_URL": ""},
            "CACHES['default']['BACKEND']",
            "'django.core.cache.backends.locmem.LocMemCache'",
        ),
        ({"ALLOWED_HOSTS": "a.example, b.example"}, "ALLOWED_HOSTS", "['a.example', 'b.example']"),
        ({"BASE_URL": "https://te.example/"}, "BASE_URL", "'https://te.example'"),
    ],
)
def test_settings_read_the_environment(env, name, expected):
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    assert settings_value(name, **env) == expected


def test_production_uses_the_database_task_queue():
    value = settings_value(
        "TASKS['default']['BACKEND']",
        **PRODUCTION,
    )
    assert value == "'django_tasks_db.DatabaseBackend'"


def test_production_serves_static_files_inside_the_security_headers():
    assert settings_value("MIDDLEWARE[:4]", **PRODUCTION) == repr(
        [
            "portal.middleware.PermissionsPolicyMiddleware",
            "portal.csp.ContentSecurityPolicyMiddleware",
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
        ]
    )


def test_production_logs_the_status_pages_without_their_token():
    result = run_manage(
        "shell",
        "-c",
        "import logging; "
        "logging.getLogger('django.request').warning('Not Found: %s', '/suivi/s3cr3t/')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "WARNING",
        "django.request",
        "Not Found: /suivi/[…]/",
    )
    assert set(entry) == {"time", "level", "logger", "message"}


def test_production_logs_plain_text_when_asked():
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('django.request').warning('Not Found: /suivi/s3/')",
        **PRODUCTION,
        LOG_FORMAT="text",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["Not Found: /suivi/[…]/"]


@pytest.mark.parametrize(
    "change, refusals",
    [
        ({"SECRET_KEY": "short-secret"}, WEAK_KEY),
        ({"SECRET_KEY": "s" * 60}, WEAK_KEY),  # one character repeated
        ({"SECRET_KEY": "django-insecure-" + STRONG_KEY}, WEAK_KEY),
        (
            {"SECRET_KEY": "insecure-development-key-never-use-in-production"},
            "- SECRET_KEY is the development key.\n",
        ),
        (
            {"ALLOWED_HOSTS": "territoires-engagement.example,*"},
            "- ALLOWED_HOSTS must name the site's hosts: '*' accepts any Host header.\n",
        ),
        (
            {"BASE_URL": "http://territoires-engagement.example"},
            "- BASE_URL must be the site's https:// address, not "
            "'http://territoires-engagement.example'.\n",
        ),
        (
            {"BASE_URL": "https://"},
            "- BASE_URL must be the site's https:// address, not 'https:'.\n",
        ),
        (
            {"BASE_URL": ""},
            "- BASE_URL is required: the site's public https:// address, used in emails.\n",
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "te-media"},
            "- AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket of its own, never public, "
            "beside AWS_STORAGE_BUCKET_NAME.\n",
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "te-media", "AWS_PRIVATE_STORAGE_BUCKET_NAME": "te-media"},
            "- AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket of its own, never public, "
            "beside AWS_STORAGE_BUCKET_NAME.\n",
        ),
        (
            {"LOG_FORMAT": "jsno"},
            "- LOG_FORMAT must be json or text, not 'jsno'.\n",
        ),
        (
            {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "*", "BASE_URL": "http://te.example"},
            WEAK_KEY
            + "- ALLOWED_HOSTS must name the site's hosts: '*' accepts any Host header.\n"
            + "- BASE_URL must be the site's https:// address, not 'http://te.example'.\n",
        ),
    ],
)
def test_production_refuses_an_unsafe_configuration(change, refusals):
    result = run_manage("check", **{**PRODUCTION, **change})
    assert result.returncode == 1
    assert result.stderr.endswith(REFUSED + refusals)
    assert "s" * 60 not in result.stderr  # the secret is never written out


def test_production_stops_on_a_misspelt_switch():
    result = run_manage("check", **PRODUCTION, SECURE_SSL_REDIRECT="ture")
    assert result.returncode == 1
    assert result.stderr.endswith(
        "django.core.exceptions.ImproperlyConfigured: The environment variable "
        "SECURE_SSL_REDIRECT must be true or false (or 1/0, yes/no, on/off), not 'ture'.\n"
    )


@pytest.mark.parametrize("value, expected", [("false", "False"), ("", "True"), ("ON", "True")])
def test_production_reads_the_https_redirect_switch(value, expected):
    assert (
        settings_value("SECURE_SSL_REDIRECT", **PRODUCTION, SECURE_SSL_REDIRECT=value) == expected
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        *[(word, True) for word in ("1", "true", "True", "YES", "on", " yes ")],
        *[(word, False) for word in ("0", "false", "FALSE", "no", "Off", "off\n")],
        ("", "the default"),
    ],
)
def test_a_switch_reads_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH", "the default") == expected


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y", " ", "vrai"])
def test_a_switch_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("SOME_SWITCH", value)
    with pytest.raises(ImproperlyConfigured) as refusal:
        env_bool("SOME_SWITCH", True)
    assert str(refusal.value) == (
        "The environment variable SOME_SWITCH must be true or false (or 1/0, yes/no, on/off), "
        f"not {value!r}."
    )


@pytest.mark.parametrize("value, expected", [("600", 600), (" 42 ", 42), ("0", 0), ("", 7)])
def test_a_number_reads_decimal_digits(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_NUMBER", value)
    assert env_int("SOME_NUMBER", 7) == expected


@pytest.mark.parametrize(
    "value, minimum, bound",
    [
        ("10m", 0, ""),
        ("-1", 0, ""),
        ("1e3", 0, ""),
        ("1.5", 0, ""),
        ("+5", 0, ""),
        ("1_000", 0, ""),
        ("\u0663", 0, ""),  # an Arabic-Indic digit, which int() would take
        ("0", 1, " of at least 1"),
    ],
)
def test_a_number_refuses_anything_else(monkeypatch, value, minimum, bound):
    monkeypatch.setenv("SOME_NUMBER", value)
    with pytest.raises(ImproperlyConfigured) as refusal:
        env_int("SOME_NUMBER", 7, minimum=minimum)
    assert str(refusal.value) == (
        f"The environment variable SOME_NUMBER must be a whole number{bound}, not {value!r}."
    )


@pytest.mark.parametrize(
    "value, expected",
    [("07:30", time(7, 30)), ("7:05", time(7, 5)), (" 23:59 ", time(23, 59)), ("", time(8))],
)
def test_a_time_of_day_reads_hours_and_minutes(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_TIME", value)
    assert env_time("SOME_TIME", "08:00") == expected


@pytest.mark.parametrize("value", ["7h30", "24:00", "07:60", "0730", "7:5", "\u0663:30"])
def test_a_time_of_day_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("SOME_TIME", value)
    with pytest.raises(ImproperlyConfigured) as refusal:
        env_time("SOME_TIME", "08:00")
    assert str(refusal.value) == (
        f"The environment variable SOME_TIME must be a time of day as HH:MM, not {value!r}."
    )


@pytest.mark.parametrize(
    "name, value",
    [("RATELIMIT_WINDOW", "0"), ("EMAIL_PORT", "smtp"), ("IMAP_SSL", "oui"), ("DEBUG", "ture")],
)
def test_the_settings_read_strictly(name, value):
    result = run_manage("check", DJANGO_SETTINGS_MODULE="portal.settings.dev", **{name: value})
    assert result.returncode == 1
    assert f"The environment variable {name} must be" in result.stderr.splitlines()[-1]


def test_french_formats_apply():
    from datetime import datetime

    from django.utils import formats, translation

    with translation.override("fr"):
        moment = datetime(2026, 1, 5, 14, 30)
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 janvier 2026 à 14:30"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "05/01/2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_production_keeps_uploads_on_disk_without_buckets():
    assert settings_value("STORAGES['private']['BACKEND']", **PRODUCTION) == repr(
        "django.core.files.storage.FileSystemStorage"
    )


def test_production_puts_uploads_in_two_buckets_when_named():
    buckets = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "te-media",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "te-private",
        "AWS_S3_ENDPOINT_URL": "https://s3.te.example",
    }
    result = run_manage(
        "shell",
        "-c",
        "from django.core.files.storage import storages; "
        "from intake.models.attachments import private_storage; "
        "m, p = storages['default'], private_storage(); "
        "print(type(m).__name__, m.bucket_name, m.querystring_auth, "
        "p.bucket_name, p.querystring_auth, p.default_acl, p.endpoint_url)",
        **buckets,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "S3Storage",
        "te-media",
        "False",
        "te-private",
        "True",
        "private",
        "https://s3.te.example",
    ]
