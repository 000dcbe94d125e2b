import pytest

from tests.intake.conftest import (  # noqa: F401
    committed,
    first_slot,
    fresnes,
    request_fields,
    submitted,
    team_member,
)

from . import dovecot

TEAM_MAILBOX = "territoires-engagement@anct.gouv.fr"


@pytest.fixture(scope="session")
def dovecot_server():
    server, stop = dovecot.start()
    yield server
    stop()


@pytest.fixture
def imap(dovecot_server, settings):
    """The team's mailbox, empty, that the portal reads and whose address replies go to."""
    dovecot_server.empty()
    settings.IMAP_HOST = dovecot_server.host
    settings.IMAP_PORT = dovecot_server.port
    settings.IMAP_USER = dovecot_server.user
    settings.IMAP_PASSWORD = dovecot_server.password
    settings.IMAP_SSL = False
    settings.IMAP_FOLDER = "INBOX"
    settings.REPLY_ADDRESS = TEAM_MAILBOX
    yield dovecot_server
    dovecot_server.empty()


@pytest.fixture(autouse=True)
def reply_address(settings):
    settings.REPLY_ADDRESS = TEAM_MAILBOX
