"""The embedded default holds a handful of applicants at once: twelve people send the form at
the same moment to the dev server on a SQLite file, and every one gets their confirmation.

A real server and real concurrent clients, whatever database the rest of the suite uses."""

import re
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.processes import ROOT, environment, free_port, manage

CLIENTS = 12
MIN_FILL_SECONDS = 3  # intake.views.forms.MIN_FILL_SECONDS: a form sent faster is refused


@pytest.fixture
def dev_server(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = environment(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL="",
        RATELIMIT_FORM_POSTS="1000",
    )
    manage(env, "migrate", "--noinput", "-v0")
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(url + "/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield url, database
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def filled_form(session, url, number):
    html = session.get(url + "/demande/", timeout=30).text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
        "submission": fields["submission"],
        "not_listed": "on",
        "other_name": f"Syndicat intercommunal n° {number}",
        "other_kind": "epci",
        "first_name": "Camille",
        "last_name": f"Martin {number}",
        "function": "Chargée de mission",
        "role": "staff",
        "email": f"camille{number}@example.fr",
        "phone": "01 23 45 67 89",
        "needs": "strategy",
        "rhythm": "one_off",
        "context": "Nous lançons une démarche participative.",
        "first_exchange": "call_back",
        "consent": "on",
        "website": "",
    }


def test_twelve_applicants_at_once_all_get_their_confirmation(dev_server):
    url, database = dev_server
    sessions = [requests.Session() for _ in range(CLIENTS)]
    forms = [filled_form(session, url, number) for number, session in enumerate(sessions)]
    time.sleep(MIN_FILL_SECONDS + 0.5)
    barrier = threading.Barrier(CLIENTS)
    answers = [None] * CLIENTS

    def send(number):
        barrier.wait()
        answers[number] = sessions[number].post(
            url + "/demande/",
            data=forms[number],
            headers={"Referer": url + "/demande/"},
            allow_redirects=False,
            timeout=60,
        )

    threads = [threading.Thread(target=send, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers] == [302] * CLIENTS
    assert {answer.headers["Location"] for answer in answers} == {"/demande/merci/"}
    with sqlite3.connect(database) as connection:
        references = [
            row[0] for row in connection.execute("SELECT reference FROM intake_intakerequest")
        ]
        names = {row[0] for row in connection.execute("SELECT last_name FROM intake_intakerequest")}
    assert len(references) == len(set(references)) == CLIENTS
    assert names == {f"Martin {number}" for number in range(CLIENTS)}
