"""Two copies of the periodic entry point at once (two cron lines, two servers): each reply
is imported once. Real processes on a SQLite file, against the real IMAP server."""

import sqlite3
import subprocess
import sys

from tests.processes import ROOT, environment, manage

from . import messages
from .conftest import TEAM_MAILBOX

CREATE_REQUEST = """
from intake import inbound
from tests.intake import factories
request = factories.intake_request(status="awaiting_applicant", paused_on="2026-11-30")
print(inbound.reply_address(request.pk))
"""


def test_two_concurrent_runs_import_a_reply_once(dovecot_server, tmp_path):
    dovecot_server.empty()
    database = tmp_path / "db.sqlite3"
    env = environment(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL="",
        REPLY_ADDRESS=TEAM_MAILBOX,
        IMAP_HOST=dovecot_server.host,
        IMAP_PORT=str(dovecot_server.port),
        IMAP_USER=dovecot_server.user,
        IMAP_PASSWORD=dovecot_server.password,
        IMAP_SSL="false",
    )
    manage(env, "migrate", "--noinput", "-v0")
    address = manage(env, "shell", "-c", CREATE_REQUEST).stdout.split()[-1]
    for number in range(3):
        dovecot_server.append(messages.outlook_reply(to=address, subject=f"RE: {number}"))

    copies = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_periodic", "--job", "mailbox"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _copy in range(2)
    ]
    outputs = sorted(copy.communicate(timeout=120) for copy in copies)

    assert [copy.returncode for copy in copies] == [0, 0], outputs
    assert sorted(out for out, _err in outputs) in (
        # One took the job while the other held it, or ran after it and found nothing new.
        ["mailbox : 3\n", "mailbox : pas due, désactivée ou déjà en cours\n"],
        ["mailbox : 0\n", "mailbox : 3\n"],
    )
    with sqlite3.connect(database) as connection:
        [(replies,)] = connection.execute(
            "SELECT count(*) FROM intake_requestmessage WHERE author = 'applicant'"
        ).fetchall()
        [(emails,)] = connection.execute("SELECT count(*) FROM intake_inboundemail").fetchall()
    assert (replies, emails) == (3, 3)
    dovecot_server.empty()
