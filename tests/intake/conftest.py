import time
import uuid

import pytest
from django.core import mail, signing

from intake import booking
from intake.fields import slot_value
from intake.lifecycle.commands import submit
from intake.lifecycle.submission import SIGNING_SALT
from intake.models import Collectivite, IntakeFormPage
from tests import factories


def submission_token(started_seconds_ago=60, key=None):
    """A form token as the page hands it out, issued some time ago."""
    return signing.dumps(
        {"key": str(key or uuid.uuid4()), "started": time.time() - started_seconds_ago},
        salt=SIGNING_SALT,
    )


@pytest.fixture
def form_page(home):
    return IntakeFormPage.objects.get()


@pytest.fixture
def fresnes(db):
    return Collectivite.objects.create(
        kind="commune",
        code="94034",
        name="Fresnes",
        search_name="fresnes",
        departement_code="94",
        departement_name="Val-de-Marne",
        population=27000,
    )


@pytest.fixture
def first_slot(db):
    return booking.available_slots()[0]


@pytest.fixture
def request_fields(fresnes):
    """What a valid form gives the submission service."""
    return {
        "collectivite": fresnes,
        "collectivite_name": "",
        "collectivite_kind": "",
        "first_name": "Camille",
        "last_name": "Martin",
        "function": "Adjointe",
        "role": "elected",
        "email": "camille@example.fr",
        "phone": "+33123456789",
        "needs": ["strategy"],
        "themes": [],
        "rhythm": "one_off",
        "context": "Contexte",
        "existing_bodies": "",
        "first_exchange": "slot",
    }


@pytest.fixture
def valid_data(fresnes, first_slot):
    return {
        "submission": submission_token(),
        "collectivite": str(fresnes.pk),
        "collectivite_search": "Fresnes (Val-de-Marne)",
        "first_name": "Camille",
        "last_name": "Martin",
        "function": "Adjointe au maire chargée de la participation",
        "role": "elected",
        "email": "camille.martin@example.fr",
        "phone": "01 23 45 67 89",
        "needs": ["strategy", "funding"],
        "rhythm": "regular",
        "context": "Nous voulons reconstituer un service participation.",
        "existing_bodies": "Conseils de quartier",
        "first_exchange": "slot",
        "slot": slot_value(first_slot),
        "consent": "on",
        "website": "",
    }


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """A client whose requests run their on-commit work (email delivery), as in production."""

    class CommittingClient:
        def __getattr__(self, name):
            method = getattr(client, name)
            if name not in ("get", "post"):
                return method

            def call(*args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return method(*args, **kwargs)

            return call

    return CommittingClient()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a command and the work it schedules on commit (its emails): committed(fn, ...)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def submitted(request_fields, first_slot, committed):
    """A request sent through the form's service, with its slot; the outbox emptied."""
    submission = committed(submit, request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    mail.outbox.clear()
    return submission


@pytest.fixture
def team_member(db):
    return factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille", last_name="Agent"
    )


@pytest.fixture
def other_team_member(db):
    return factories.user_in_group(
        "Équipe", "dominique.agent", first_name="Dominique", last_name="Agent"
    )


def sent_to(address):
    """The emails of the outbox addressed to ``address``, oldest first."""
    return [message for message in mail.outbox if message.to == [address]]


def invitation(message):
    """(calendar text, method) of the invitation an email carries: the .ics file attached and
    the text/calendar part of its alternative, which must agree."""
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("rendez-vous.ics", "application/ics")
    [part] = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    text = content.decode()
    assert part.get_payload(decode=True).decode() == text
    return text, part.get_param("method")
