"""The mailbox job: reads the team's mailbox over IMAP and hands each new message to the
lifecycle (``lifecycle.mailbox.receive``), which lands it in a thread or in "À trier".

A message is flagged on the server (keyword PROCESSED, and \\Seen once imported) only after
its row is committed; a message whose row exists already (a run that died between the two)
is flagged without being received again. Off while IMAP_HOST is empty.
"""

import imaplib
import logging
import re

from django.conf import settings
from django.db import transaction

from .lifecycle import mailbox
from .models import InboundEmail

logger = logging.getLogger(__name__)

# The IMAP keyword of a message the portal has taken (imported or put in "À trier").
PROCESSED = "$TE-Processed"
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The IMAP server refused a command."""


def enabled():
    return bool(settings.IMAP_HOST)


def _ok(response):
    status, data = response
    if status != "OK":
        raise MailboxError(f"{status} {data!r}")
    return data


def _connect():
    kind = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    imap = kind(settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT)
    _ok(imap.login(settings.IMAP_USER, settings.IMAP_PASSWORD))
    return imap


def _folder_name(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_validity(imap, folder):
    data = _ok(imap.status(_folder_name(folder), "(UIDVALIDITY)"))
    return int(_UIDVALIDITY.search(data[0]).group(1))


def _fetch(imap, uid, what):
    """The bytes of ``what`` (BODY.PEEK[] or BODY.PEEK[HEADER]) of message ``uid``."""
    data = _ok(imap.uid("FETCH", uid, f"({what})"))
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    raise MailboxError(f"no {what} for UID {uid.decode()}")


def _size(imap, uid):
    data = _ok(imap.uid("FETCH", uid, "(RFC822.SIZE)"))
    return int(_SIZE.search(data[0]).group(1))


def _flag(imap, uid, email):
    flags = (
        f"({PROCESSED} \\Seen)"
        if email.status == InboundEmail.Status.IMPORTED
        else (f"({PROCESSED})")
    )
    _ok(imap.uid("STORE", uid, "+FLAGS.SILENT", flags))
    mailbox.flagged(email)


def fetch_replies():
    """Receive every message of IMAP_FOLDER not yet processed; returns how many were new."""
    folder = settings.IMAP_FOLDER
    limit = settings.INBOUND_EMAIL_MAX_BYTES
    imap = _connect()
    try:
        uid_validity = _uid_validity(imap, folder)
        _ok(imap.select(_folder_name(folder)))
        uids = _ok(imap.uid("SEARCH", None, "UNKEYWORD", PROCESSED))[0].split()
        received = 0
        for uid in uids:
            email = InboundEmail.objects.filter(
                folder=folder, uid_validity=uid_validity, uid=int(uid)
            ).first()
            if email is None:
                size = _size(imap, uid)
                what = "BODY.PEEK[]" if size <= limit else "BODY.PEEK[HEADER]"
                email = mailbox.receive(
                    folder=folder,
                    uid_validity=uid_validity,
                    uid=int(uid),
                    size=size,
                    raw=_fetch(imap, uid, what),
                )
                if email is None:
                    # Another run claimed it meanwhile: it flags it.
                    continue
                received += 1
            transaction.on_commit(lambda uid=uid, email=email: _flag(imap, uid, email))
        return received
    finally:
        # After the flags, which wait for their rows to be committed.
        transaction.on_commit(lambda: _logout(imap))


def _logout(imap):
    try:
        imap.logout()
    except (imaplib.IMAP4.error, OSError):
        logger.warning("IMAP logout failed", exc_info=True)
