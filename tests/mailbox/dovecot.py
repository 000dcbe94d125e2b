"""A real IMAP server for the tests: Debian's Dovecot, started on a free port with a
configuration of its own (maildir in a temporary directory, one passwd-file user, no TLS).

Skipped locally when Dovecot is missing, a failure in CI (CI=true): `.ci/run` installs
`dovecot-imapd`.
"""

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "equipe", "mot-de-passe-de-test"


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"IMAP tests cannot be skipped in CI: {reason}")
    pytest.skip(reason)


def _accounts(root):
    """(login user, internal user, mail uid, mail gid): Dovecot refuses to run its login and
    mail processes as root, so under root they run as Debian's dovecot users."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.getuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid
    dovecot = pwd.getpwnam("dovecot")
    for directory in ("mail", "home"):
        os.chown(root / directory, dovecot.pw_uid, dovecot.pw_gid)
    return "dovenull", "dovecot", dovecot.pw_uid, dovecot.pw_gid


CONFIG = """\
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
"""


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def connect(self):
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, raw, folder="INBOX"):
        imap = self.connect()
        try:
            status, _data = imap.append(folder, None, None, raw)
            assert status == "OK"
        finally:
            imap.logout()

    def messages(self, folder="INBOX"):
        """{uid: (flags, size)} of the folder's messages."""
        imap = self.connect()
        try:
            _status, [count] = imap.select(folder, readonly=True)
            if not int(count):
                return {}
            _status, data = imap.uid("FETCH", "1:*", "(FLAGS RFC822.SIZE)")
        finally:
            imap.logout()
        found = {}
        for line in data:
            if not line:
                continue
            parts = imaplib.ParseFlags(line)
            uid = int(line.split(b"UID ")[1].split()[0].rstrip(b")"))
            size = int(line.split(b"RFC822.SIZE ")[1].split()[0].rstrip(b")"))
            found[uid] = ({flag.decode() for flag in parts}, size)
        return found

    def empty(self, folder="INBOX"):
        imap = self.connect()
        try:
            _status, [count] = imap.select(folder)
            if int(count):
                imap.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
                imap.expunge()
        finally:
            imap.logout()


def start():
    """A running Dovecot and the function that stops it."""
    if not Path(DOVECOT).exists():
        unavailable(f"{DOVECOT} is missing (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="dovecot-tests-"))
    # Dovecot's unprivileged processes walk into it.
    root.chmod(0o755)
    for directory in ("run", "state", "mail", "home"):
        (root / directory).mkdir()
    login_user, internal_user, uid, gid = _accounts(root)
    port = free_port()
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            port=port,
            login_user=login_user,
            internal_user=internal_user,
            uid=uid,
            gid=gid,
        )
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Dovecot("127.0.0.1", port, USER, PASSWORD, root)

    def stop():
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)

    deadline = time.monotonic() + 15
    while True:
        try:
            server.connect().logout()
            return server, stop
        except (OSError, imaplib.IMAP4.error):
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode(errors="replace") if process.poll() else ""
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                stop()
                pytest.fail(f"Dovecot did not start: {error}{log}")
            time.sleep(0.1)
