"""The stack a deployment runs, started for real for the production check.

Production settings (a dummy secret, secure cookies, HTTPS policy), ``collectstatic`` with the
production storage, gunicorn with 2 workers, a fresh PostgreSQL database, Redis and
``manage.py db_worker``. The browser reaches gunicorn as it would behind the TLS proxy of a
deployment: every request carries ``X-Forwarded-Proto: https``. Emails are written to files
by Django's file backend, which the tests read.

Needs PostgreSQL (the server of ``DATABASE_URL`` when it names one, otherwise
127.0.0.1:5432 as ``postgres``) and Redis (``REDIS_URL``, default database 14 on
127.0.0.1:6379, flushed first).
"""

import email
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis

from tests import chromium
from tests.processes import ROOT, environment, free_port, manage

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
ADMIN_PASSWORD = "smoke-" + secrets.token_urlsafe(12)
# What a TLS-terminating proxy adds in front of gunicorn.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
START_TIMEOUT = 60


def _server_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _maintenance(url):
    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


@dataclass
class Stack:
    url: str
    database_url: str
    email_dir: Path
    env: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)

    def sent_emails(self):
        """Every email the file backend wrote, parsed."""
        messages = []
        for path in sorted(self.email_dir.glob("*.log")):
            separator = b"\n" + b"-" * 79 + b"\n"
            for chunk in path.read_bytes().split(separator):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk.lstrip()))
        return messages

    def query(self, sql, params=()):
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql, params).fetchall()

    def log_text(self, name):
        return self.logs[name].read_text(errors="replace")


def _environment(port, url, database_url, redis_url, work):
    return environment(
        DEBUG="",
        SECURE_SSL_REDIRECT="",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="smoke-" + secrets.token_urlsafe(48),
        ALLOWED_HOSTS="localhost",
        # What the emails carry: the address behind the TLS proxy the browser's headers stand for.
        BASE_URL=f"https://localhost:{port}",
        CSRF_TRUSTED_ORIGINS=url,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "emails"),
        DEMO_ADMIN_PASSWORD=ADMIN_PASSWORD,
        LOG_LEVEL="WARNING",
    )


def _manage(env, *args):
    try:
        manage(env, *args)
    except RuntimeError as failure:
        pytest.fail(str(failure))


def _start(command, env, log):
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def start_gunicorn(port, env, log, workers=2, app="portal.wsgi", options=()):
    """An app server of the stack, with ``workers`` sync workers, on ``port``; the other
    settings are gunicorn.conf.py's, less what ``options`` overrides."""
    command = [sys.executable, "-m", "gunicorn", app, "--workers", str(workers), *options]
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    return _start(command, env, log)


def wait_until_healthy(url, processes, logs):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} exited ({process.returncode}):\n{logs[name].read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while booting, or a first answer slower than the timeout
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s")


def stop(processes):
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("production")
    server = _server_url()
    name = f"portal_smoke_{os.getpid()}"
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    redis.Redis.from_url(redis_url).flushdb()
    with _maintenance(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = _with_database(server, name)
    port = free_port()
    url = f"http://localhost:{port}"
    env = _environment(port, url, database_url, redis_url, work)
    processes = {}
    logs = {"gunicorn": work / "gunicorn.log", "db_worker": work / "db_worker.log"}
    try:
        for command in (
            ["migrate", "--noinput"],
            ["load_collectivites"],
            ["load_demo_content"],
            ["collectstatic", "--noinput"],
        ):
            _manage(env, *command)
        processes["gunicorn"] = start_gunicorn(port, env, logs["gunicorn"])
        processes["db_worker"] = _start(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            env,
            logs["db_worker"],
        )
        wait_until_healthy(url, processes, logs)
        yield Stack(
            url=url, database_url=database_url, email_dir=work / "emails", env=env, logs=logs
        )
    finally:
        stop(processes)
        for log_name, path in logs.items():
            if path.exists():
                print(f"--- {log_name}\n{path.read_text(errors='replace')[-5000:]}")
        with _maintenance(server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser():
    chromium.check_available()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@dataclass
class Problems:
    """What the browser reports that a working deployment never shows."""

    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request_failed(self, request):
        self.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: {response.status}")

    def clear(self):
        self.console_errors.clear()
        self.failed_requests.clear()


@pytest.fixture
def context(browser):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        extra_http_headers=PROXY_HEADERS,
    )
    yield context
    context.close()


@pytest.fixture
def problems():
    return Problems()


@pytest.fixture
def page(context, problems):
    page = context.new_page()
    problems.watch(page)
    return page
