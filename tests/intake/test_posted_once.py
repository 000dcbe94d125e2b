"""A double click sends once: each form of the back office carries a key drawn when the page
renders it, and a second post of the same form changes nothing, says "déjà enregistré" and
leads where the first did."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from intake.lifecycle import commands
from intake.models import (
    Appointment,
    IntakeRequest,
    InternalNote,
    RequestLogEntry,
    RequestMessage,
)
from tests.intake.factories import intake_request
from tests.two_factor import Client

pytestmark = pytest.mark.django_db

REPLAYED = "Déjà enregistré : ce formulaire avait déjà été envoyé."


@pytest.fixture
def client(committing_client, team_member):
    committing_client.force_login(team_member)
    return committing_client


@pytest.fixture
def request_(db):
    return intake_request(status=IntakeRequest.Status.IN_REVIEW)


def page(intake_request):
    return f"/admin/demandes/{intake_request.pk}/"


def form_key(client, url):
    [key] = set(re.findall(r'name="form_key" value="([^"]+)"', client.get(url).content.decode()))
    return key


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def log_actions(intake_request):
    return list(
        RequestLogEntry.objects.for_instance(intake_request)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def post_twice(client, url, data, key):
    first = client.post(url, {**data, "form_key": key})
    client.get(first["Location"])  # the answer is read, as a browser reads it
    second = client.post(url, {**data, "form_key": key})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert said(second) == [REPLAYED]
    return first


def test_a_note_posted_twice_is_added_once(client, request_):
    key = form_key(client, page(request_))
    first = post_twice(client, page(request_), {"action": "note", "body": "Rappeler lundi"}, key)
    assert said(first) == ["La note est ajoutée."]
    assert list(InternalNote.objects.values_list("body", flat=True)) == ["Rappeler lundi"]
    assert log_actions(request_) == ["intake.note_added"]


def test_a_message_posted_twice_is_sent_once(client, request_):
    key = form_key(client, page(request_))
    data = {"action": "write", "subject": "Votre demande", "message": "Bonjour, une question."}
    post_twice(client, page(request_), data, key)
    assert RequestMessage.objects.count() == 1
    assert [email.subject for email in mail.outbox] == ["Votre demande"]
    assert log_actions(request_) == ["intake.message_sent"]


def test_an_appointment_confirmed_twice_is_confirmed_once(client, request_):
    start = timezone.now() + timedelta(days=3)
    appointment = Appointment.objects.create(
        request=request_, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    url = f"{page(request_)}rendez-vous/{appointment.pk}/confirmer/"
    data = {"video_link": "https://webconf.numerique.gouv.fr/te"}
    post_twice(client, url, data, form_key(client, url))
    appointment.refresh_from_db()
    assert appointment.ics_sequence == 1
    assert len(mail.outbox) == 1
    assert log_actions(request_) == ["intake.appointment_confirmed"]


def test_a_move_posted_twice_is_made_once(client, request_):
    url = f"{page(request_)}ask/"
    data = {"subject": "Une précision", "message": "Combien d'habitants ?"}
    post_twice(client, url, data, form_key(client, url))
    assert log_actions(request_) == ["intake.ask"]
    assert len(mail.outbox) == 1


def test_the_forms_of_one_rendering_are_each_posted_once(client, request_):
    key = form_key(client, page(request_))
    client.get(client.post(page(request_), {"action": "note", "body": "x", "form_key": key}).url)
    response = client.post(
        page(request_),
        {"action": "write", "subject": "Objet", "message": "Un message", "form_key": key},
    )
    assert said(response) == ["Le message est envoyé à la collectivité."]
    assert log_actions(request_) == ["intake.note_added", "intake.message_sent"]
    assert InternalNote.objects.get().body == "x"


def test_a_refused_post_leaves_its_key_free(client, request_, team_member):
    key = form_key(client, page(request_))
    commands.mark_spam(request_, by=team_member)
    data = {"action": "write", "subject": "Objet", "message": "Un message", "form_key": key}
    assert client.post(page(request_), data).status_code == 400
    commands.reopen(request_, by=team_member, reason="Pas un spam")
    mail.outbox.clear()
    assert said(client.post(page(request_), data)) == ["Le message est envoyé à la collectivité."]
    assert len(mail.outbox) == 1


def test_a_concurrent_second_post_loses_on_the_unique_key(
    client, request_, team_member, monkeypatch
):
    """The race, forced on SQLite: the second post arrives while the first is still inside its
    transaction (its key written, not committed). Nothing looks the key up beforehand: the
    unique constraint refuses the second, which changes nothing."""
    key = form_key(client, page(request_))
    data = {"action": "note", "body": "Rappeler lundi", "form_key": key}
    second = Client()
    second.force_login(team_member)
    answers = []
    add_note = commands.add_note

    def add_note_while_the_second_post_arrives(*args, **kwargs):
        answers.append(second.post(page(request_), data))
        return add_note(*args, **kwargs)

    monkeypatch.setattr(commands, "add_note", add_note_while_the_second_post_arrives)
    first = client.post(page(request_), data)
    [concurrent] = answers
    assert (first.status_code, concurrent.status_code) == (302, 302)
    assert said(first) == ["La note est ajoutée."]
    assert said(concurrent) == [REPLAYED]
    assert InternalNote.objects.count() == 1
    assert log_actions(request_) == ["intake.note_added"]


def test_a_page_rendered_before_keys_still_posts(client, request_):
    response = client.post(page(request_), {"action": "note", "body": "Sans clé"})
    assert said(response) == ["La note est ajoutée."]
    assert InternalNote.objects.count() == 1
