"""Print the request-form submissions per second that gunicorn sustains on PostgreSQL.

Sets up what production runs, on loopback only: a throw-away PostgreSQL database
(migrated, referential loaded), static files collected into a temporary folder, and
`gunicorn portal.wsgi -w 4` with the production settings (Redis cache, emails enqueued in
the database task queue; no worker runs, so no email leaves). Then, with 20 concurrent
clients, each over its own connection:

1. warm-up: a few submissions per client, which also size the next phase;
2. timed phase: every client posts forms whose page it fetched beforehand (CSRF cookie and
   token, signed `submission` token), once the minimum fill time has passed, choosing
   "call me back" (one seat per slot would make most slot bookings legitimately fail);
   it prints the figures and checks that the requests stored are exactly those answered
   with a redirect to the confirmation;
3. double submit: fresh forms each posted twice at the same moment, then forms of the
   timed phase replayed; the stored count must grow by one per form, then not at all.

Exits with status 1 when a check fails. Needs PostgreSQL on 127.0.0.1:5432 (user postgres,
allowed to create databases) and Redis on 127.0.0.1:6379 (database 14); BENCH_PG_URL and
BENCH_REDIS_URL override them. Other settings (CONN_MAX_AGE, for one) pass through from the
environment to gunicorn. Bounded: every phase has a deadline and the whole run an alarm;
the database, gunicorn and the temporary folder are removed whatever happens.
"""

import http.client
import http.cookies
import itertools
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()  # only to read the form's constants and decode its tokens

from django.core import signing  # noqa: E402

from intake.lifecycle.submission import SIGNING_SALT  # noqa: E402
from intake.views.forms import MIN_FILL_SECONDS  # noqa: E402
from tests.processes import free_port, manage  # noqa: E402

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CLIENTS = 20
WORKERS = 4
DURATION = 15.0  # seconds of the timed phase, at most
WARMUP_PER_CLIENT = 1
MAX_PER_CLIENT = 150
DOUBLE_SUBMIT_PER_CLIENT = 1
REPLAYED = 40
HTTP_TIMEOUT = 30
RUN_TIMEOUT = 240  # the whole script, setup included
SECRET_KEY = secrets.token_urlsafe(50)  # gunicorn's, so the bench can read its form tokens
FORM_PATH = "/demande/"
CONFIRMATION_PATH = "/demande/merci/"


class BenchFailure(Exception):
    """A setup step or a check failed: print it and exit with status 1."""


# --- Setup and teardown -------------------------------------------------------------------


def admin_connection():
    return psycopg.connect(f"{PG_URL}/postgres", autocommit=True)


def run_command(args, env, timeout, label):
    """Time a manage.py step; its output is shown (the end of it) only when it fails."""
    started = time.perf_counter()
    try:
        manage(env, *args, timeout=timeout)
    except RuntimeError as error:
        raise BenchFailure(f"{label} failed:\n{str(error)[-5000:]}") from error
    return time.perf_counter() - started


def prepare_database(env, static_root):
    """Migrate and load the referential; collect static files meanwhile (no database)."""
    # The setup's own commits need not wait for the disk; gunicorn's environment keeps
    # PostgreSQL's default (synchronous commit), which is what the bench measures.
    setup_env = {**env, "PGOPTIONS": "-c synchronous_commit=off"}
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": static_root},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        migrate = run_command(["migrate", "--noinput"], setup_env, 180, "migrate")
        load = run_command(["load_collectivites"], setup_env, 120, "load_collectivites")
        _, errors = collect.communicate(timeout=120)
        if collect.returncode:
            raise BenchFailure(f"collectstatic failed:\n{errors[-3000:]}")
    finally:
        if collect.poll() is None:
            collect.kill()
            collect.wait()
    return migrate, load


def start_gunicorn(env, port, log):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--no-control-socket",  # the default path in $HOME is shared by every gunicorn
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one
    )


def wait_until_serving(server, port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchFailure(f"gunicorn exited with status {server.returncode}")
        try:
            status, _, _ = Client(port).get(FORM_PATH)
            if status == 200:
                return
            raise BenchFailure(f"GET {FORM_PATH} answered {status}")
        except OSError:
            time.sleep(0.3)
    raise BenchFailure(f"gunicorn did not answer within {timeout} s")


def stop_gunicorn(server):
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # the group we started: arbiter and its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def report_log(path):
    """Print the gunicorn log's lines worth a look: tracebacks, errors, worker trouble."""
    lines = Path(path).read_text(errors="replace").splitlines()
    pattern = re.compile(r"Traceback|ERROR|CRITICAL|WORKER TIMEOUT|Exception|Error\b")
    problems = [line for line in lines if pattern.search(line)]
    print(f"\ngunicorn log: {len(lines)} lines, {len(problems)} with errors")
    for line in list(dict.fromkeys(problems))[:10]:
        print(f"  {line[:200]}")


# --- HTTP clients -------------------------------------------------------------------------


class Client:
    """One browser-like client over one connection (reopened when gunicorn closes it)."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)

    def request(self, method, path, body=None, headers=None):
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        return response.status, response.headers, content

    def get(self, path):
        return self.request("GET", path)


@dataclass
class Ticket:
    """A form as a browser holds it after loading /demande/."""

    cookie: str
    csrf: str
    submission: str
    fetched: float  # time.monotonic() of the GET

    @property
    def key(self):
        return signing.loads(self.submission, key=SECRET_KEY, salt=SIGNING_SALT)["key"]


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_INPUT = re.compile(r'name="submission" value="([^"]+)"')
ERROR_SUMMARY = re.compile(r'id="error-summary".*?<ul>(.*?)</ul>', re.S)
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def fetch_ticket(client):
    status, headers, content = client.get(FORM_PATH)
    if status != 200:
        raise BenchFailure(f"GET {FORM_PATH} answered {status}")
    # The production cookie is Secure: a browser would not send it back over plain HTTP,
    # so it is carried by hand (the CSRF check itself does not depend on TLS).
    cookies = http.cookies.SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    html = content.decode()
    return Ticket(
        cookie="; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items()),
        csrf=CSRF_INPUT.search(html).group(1),
        submission=SUBMISSION_INPUT.search(html).group(1),
        fetched=time.monotonic(),
    )


def form_body(ticket, collectivite, number):
    """A valid answer, as tests/intake/conftest.py's `valid_data`, but asking a call back."""
    pk, label = collectivite
    return urlencode(
        [
            ("csrfmiddlewaretoken", ticket.csrf),
            ("submission", ticket.submission),
            ("collectivite", str(pk)),
            ("collectivite_search", label),
            ("first_name", "Camille"),
            ("last_name", f"Martin {number}"),
            ("function", "Adjointe au maire chargée de la participation"),
            ("role", "elected"),
            ("email", f"camille.martin.{number}@example.fr"),
            ("phone", "01 23 45 67 89"),
            ("needs", "strategy"),
            ("needs", "funding"),
            ("rhythm", "regular"),
            ("context", "Nous voulons reconstituer un service participation."),
            ("existing_bodies", "Conseils de quartier"),
            ("first_exchange", "call_back"),
            ("slot", ""),
            ("consent", "on"),
            ("website", ""),
        ]
    )


@dataclass
class Outcome:
    ticket: Ticket
    status: int | str  # HTTP status, or the exception's name when no answer came
    location: str
    seconds: float
    error: str = ""

    @property
    def success(self):
        return self.status == 302 and self.location.endswith(CONFIRMATION_PATH)


def post_form(client, ticket, collectivite, number):
    body = form_body(ticket, collectivite, number)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": ticket.cookie}
    started = time.perf_counter()
    try:
        status, response_headers, content = client.request("POST", FORM_PATH, body, headers)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(ticket, type(error).__name__, "", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    error = "" if status == 302 else page_message(content.decode(errors="replace"))
    return Outcome(ticket, status, response_headers.get("Location", ""), seconds, error)


def page_message(html):
    """What a page refusing a form says: its error summary, or else its heading."""
    found = ERROR_SUMMARY.search(html) or HEADING.search(html)
    if not found:
        return ""
    text = re.sub(r"<[^>]+>", " ", found.group(1).replace("</li>", ";"))
    return re.sub(r"\s+", " ", text).strip(" ;")[:200]


def wait_fill_time(tickets):
    """Let the minimum fill time pass since the last page load, as a person would."""
    latest = max(ticket.fetched for ticket in tickets)
    time.sleep(max(0.0, latest + MIN_FILL_SECONDS + 0.5 - time.monotonic()))


def fetch_tickets(port, per_client, deadline):
    """`per_client` forms for each client, loaded concurrently before any timed phase."""

    def fetch(_):
        client = Client(port)
        tickets = []
        while len(tickets) < per_client:
            if time.monotonic() > deadline:
                raise BenchFailure("pre-fetching the forms took too long")
            tickets.append(fetch_ticket(client))
        return tickets

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(fetch, range(CLIENTS)))


def run_clients(port, forms_per_client, duration):
    """Each client posts its own forms in turn until they run out or time is up.

    Returns the outcomes and the elapsed time. Time stops for everyone as soon as one
    client runs out of forms, so the rate is always that of 20 busy clients.
    """
    stop = threading.Event()
    lock = threading.Lock()
    outcomes = []

    def client_loop(forms):
        client = Client(port)
        mine = []
        for ticket, number, collectivite in forms:
            if stop.is_set():
                break
            mine.append(post_form(client, ticket, collectivite, number))
        else:
            stop.set()  # out of forms
        with lock:
            outcomes.extend(mine)

    threads = [
        threading.Thread(target=client_loop, args=(forms,), daemon=True)
        for forms in forms_per_client
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join(HTTP_TIMEOUT + 5)
    return outcomes, time.perf_counter() - started


def flatten(lists):
    return [item for items in lists for item in items]


# --- Database checks ----------------------------------------------------------------------


def stored_keys(connection):
    rows = connection.execute("SELECT submission_key FROM intake_intakerequest").fetchall()
    return {str(key) for (key,) in rows}


def count(connection, table):
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rollbacks(connection):
    """Transactions rolled back in the bench database: a double click's losing copy is one."""
    time.sleep(1.5)  # let the server flush its statistics
    return connection.execute(
        "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()"
    ).fetchone()[0]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * fraction) - 1)]


def describe_failures(outcomes):
    failed = Counter(str(o.status) for o in outcomes if not o.success)
    if not failed:
        return "none"
    messages = Counter(o.error for o in outcomes if not o.success and o.error)
    described = ", ".join(f"{status}: {n}" for status, n in sorted(failed.items()))
    for message, n in messages.most_common(3):
        described += f"\n    {n} × « {message} »"
    return described


# --- The bench ----------------------------------------------------------------------------


def post_all(port, forms, workers):
    """Post (ticket, number, collectivité) forms from `workers` threads, each over its own
    connection; the order of `forms` is kept, so adjacent copies go out together."""
    local = threading.local()

    def post(form):
        ticket, number, collectivite = form
        if not hasattr(local, "client"):
            local.client = Client(port)
        return post_form(local.client, ticket, collectivite, number)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(post, forms))


def print_timed_phase(outcomes, elapsed, stored):
    successes = sum(o.success for o in outcomes)
    latencies = [o.seconds * 1000 for o in outcomes]
    print(f"\ntimed phase: {CLIENTS} concurrent clients, gunicorn -w {WORKERS}, PostgreSQL")
    print(f"  submissions sent:          {len(outcomes)}")
    print(f"  successful (302):          {successes}")
    print(f"  failed, by status:         {describe_failures(outcomes)}")
    print(f"  elapsed:                   {elapsed:.1f} s")
    print(f"  submissions per second:    {successes / elapsed:.1f}")
    print(
        f"  latency p50 / p95 / max:   {percentile(latencies, 0.5):.0f} / "
        f"{percentile(latencies, 0.95):.0f} / {max(latencies):.0f} ms"
    )
    print(f"  IntakeRequest rows added:  {stored}")


@dataclass
class Figures:
    """The timed phase's submissions, and those lost over the whole bench: answered with a
    redirect to the confirmation, yet not stored."""

    sent: int
    successes: int
    per_second: float
    p95_ms: float
    lost: int


def bench(port, database_url):
    """Run the phases on the gunicorn at ``port``: (checks, Figures)."""
    checks = []  # (description, passed)
    succeeded = set()  # submission keys answered with a redirect to the confirmation
    db = psycopg.connect(database_url, autocommit=True)
    # Requests spread over the largest communes, labelled as the combobox labels them.
    collectivites = db.execute(
        "SELECT id, name || ' (' || departement_name || ')' FROM intake_collectivite"
        " WHERE kind = 'commune' ORDER BY population DESC NULLS LAST, code LIMIT 200"
    ).fetchall()
    numbers = itertools.count(1)

    def numbered(tickets):
        """Each form gets its own applicant number (in the email) and collectivité."""
        forms = []
        for ticket in tickets:
            number = next(numbers)
            forms.append((ticket, number, collectivites[number % len(collectivites)]))
        return forms

    # 1. Warm-up: wakes every worker and sizes the timed phase.
    tickets = fetch_tickets(port, WARMUP_PER_CLIENT, time.monotonic() + 60)
    wait_fill_time(flatten(tickets))
    outcomes, elapsed = run_clients(port, [numbered(t) for t in tickets], DURATION)
    succeeded |= {o.ticket.key for o in outcomes if o.success}
    warmup_rate = len(outcomes) / elapsed
    print(
        f"warm-up: {len(outcomes)} submissions in {elapsed:.1f} s ({warmup_rate:.1f}/s), "
        f"failures: {describe_failures(outcomes)}"
    )
    if not succeeded:
        raise BenchFailure("no warm-up submission succeeded")

    # 2. Timed phase. Its forms, and those of the double-submit phase, are loaded first:
    # enough for DURATION at the warm-up rate, with a margin.
    per_client = min(MAX_PER_CLIENT, max(5, math.ceil(warmup_rate * 1.25 * DURATION / CLIENTS)))
    started = time.perf_counter()
    tickets = fetch_tickets(port, per_client + DOUBLE_SUBMIT_PER_CLIENT, time.monotonic() + 60)
    wait_fill_time(flatten(tickets))
    reserved = flatten(t[per_client:] for t in tickets)
    tickets = [t[:per_client] for t in tickets]
    print(
        f"loaded {per_client} forms per client in {time.perf_counter() - started:.1f} s "
        f"(not timed), then waited the {MIN_FILL_SECONDS} s minimum fill time"
    )
    before = count(db, "intake_intakerequest")
    outcomes, elapsed = run_clients(port, [numbered(t) for t in tickets], DURATION)
    stored = count(db, "intake_intakerequest") - before
    successes = [o for o in outcomes if o.success]
    succeeded |= {o.ticket.key for o in successes}
    print_timed_phase(outcomes, elapsed, stored)
    p95 = percentile([o.seconds * 1000 for o in outcomes], 0.95)
    figures = Figures(len(outcomes), len(successes), len(successes) / elapsed, p95, lost=0)
    checks.append(
        (
            f"stored requests ({stored}) == successful responses ({len(successes)})",
            stored == len(successes),
        )
    )

    # 3a. Double submit: each form posted twice at the same moment, as a double click does.
    before, rolled_back = count(db, "intake_intakerequest"), rollbacks(db)
    doubled = post_all(
        port, [copy for form in numbered(reserved) for copy in (form, form)], 2 * CLIENTS
    )
    grown = count(db, "intake_intakerequest") - before
    collisions = rollbacks(db) - rolled_back
    succeeded |= {o.ticket.key for o in doubled if o.success}
    answered = sum(o.success for o in doubled)
    print(
        f"\ndouble submit: {len(reserved)} forms each posted twice at once: "
        f"{answered}/{len(doubled)} answered 302, IntakeRequest rows added: {grown}\n"
        f"  {collisions} second copies reached the database together with the first "
        "(transactions rolled back); the others found the request already stored"
    )
    if answered < len(doubled):
        print(f"  failures: {describe_failures(doubled)}")
    checks.append(
        (
            f"double submit stored one request per form ({grown} == {len(reserved)})",
            grown == len(reserved),
        )
    )

    # 3b. Replay: forms of the timed phase sent again (back button and resubmit).
    before = count(db, "intake_intakerequest")
    again = post_all(port, numbered(o.ticket for o in successes[:REPLAYED]), CLIENTS)
    grown = count(db, "intake_intakerequest") - before
    print(
        f"replay: {len(again)} stored forms sent again: {sum(o.success for o in again)} "
        f"answered 302, the count did {'not grow' if grown == 0 else f'grow by {grown}'}"
    )
    checks.append(("replayed forms stored nothing", grown == 0))

    # Every redirect to the confirmation stands for exactly its own stored request.
    keys = stored_keys(db)
    checks.append(
        (
            f"stored requests ({len(keys)}) are exactly the {len(succeeded)} forms answered "
            "with a redirect to the confirmation",
            keys == succeeded,
        )
    )
    emails = count(db, "intake_outgoingemail")
    tasks = db.execute(
        "SELECT task_path, count(*) FROM django_tasks_database_dbtaskresult"
        " GROUP BY task_path ORDER BY task_path"
    ).fetchall()
    print(f"\nin the database: {len(keys)} requests, {emails} emails queued; tasks enqueued:")
    for path, n in tasks:
        print(f"  {n:>6} {path}")
    db.close()
    figures.lost = len(succeeded - keys)
    return checks, figures


def main():
    database = f"bench_submissions_{os.getpid()}"
    database_url = f"{PG_URL}/{database}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BASE_URL": "https://127.0.0.1",  # the emails' links, which the bench never follows
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "false",
        "RATELIMIT_FORM_POSTS": "100000000",  # the bench measures throughput, not the limiter
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }

    def on_alarm(signum, frame):
        raise BenchFailure(f"the bench ran for more than {RUN_TIMEOUT} s: stopped")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))  # still clean up
    signal.alarm(RUN_TIMEOUT)
    failed = True
    with tempfile.TemporaryDirectory(prefix="bench_submissions_") as workdir:
        static_root = os.path.join(workdir, "static")
        log_path = os.path.join(workdir, "gunicorn.log")
        server = None
        created = False
        try:
            with admin_connection() as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            created = True
            migrate, load = prepare_database(env, static_root)
            print(f"database {database}: migrate {migrate:.1f} s, load_collectivites {load:.1f} s")
            port = free_port()
            with open(log_path, "w") as log:
                server = start_gunicorn({**env, "STATIC_ROOT": static_root}, port, log)
            wait_until_serving(server, port)
            checks, _ = bench(port, database_url)
            print()
            for description, passed in checks:
                print(f"{'ok  ' if passed else 'FAIL'} {description}")
            failed = not all(passed for _, passed in checks)
        except (BenchFailure, subprocess.TimeoutExpired) as error:
            print(f"FAIL {error}", file=sys.stderr)
        finally:
            signal.alarm(0)
            if server is not None:
                stop_gunicorn(server)
                report_log(log_path)
            if created:
                with admin_connection() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
