"""Settings come from the environment only; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 64 + "-a-long-random-production-secret-for-tests",
        ALLOWED_HOSTS="territoires-engagement.example",
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
            "'django.core.cache.backends.redis.RedisCache'",
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
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="s" * 60,
    )
    assert value == "'django_tasks_db.DatabaseBackend'"


def test_production_logs_the_status_pages_without_their_token():
    result = run_manage(
        "shell",
        "-c",
        "import logging; "
        "logging.getLogger('django.request').warning('Not Found: %s', '/suivi/s3cr3t/')",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="s" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["Not Found: /suivi/[…]/"]


def test_french_formats_apply():
    from datetime import datetime

    from django.utils import formats, translation

    with translation.override("fr"):
        moment = datetime(2026, 1, 5, 14, 30)
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 janvier 2026 à 14:30"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "05/01/2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
