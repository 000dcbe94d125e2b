"""The partners the team redirects to: the team creates and edits them, the redirect form
says how to add the first one, and the redirect email gives their contact details."""

from html import unescape

import pytest

from home.models import Partner
from intake.lifecycle import commands
from intake.lifecycle.moves import REDIRECT
from intake.models import ReplyTemplate
from intake.replies import default_draft
from tests.html_validity import assert_valid_html
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/home/partner/add/"
APPLICANT = "camille@example.fr"


@pytest.fixture
def institute(db):
    return Partner.objects.create(
        name="Institut de la concertation",
        kind="expert",
        description="Formations et accompagnement à la concertation.",
        territory="national",
        website="https://institut-concertation.example.org",
        contact_email="contact@institut-concertation.example.org",
        contact_phone="01 40 00 00 00",
    )


def test_the_team_adds_and_edits_a_partner(client, team_member):
    client.force_login(team_member)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(
        ADD_URL,
        {
            "name": "Banque des territoires",
            "kind": "funder",
            "description": "Financement de projets de démocratie participative.",
            "territory": "Occitanie",
            "website": "https://banque.example.org",
            "contact_email": "participation@banque.example.org",
            "contact_phone": "05 00 00 00 00",
            "contact_name": "",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert (partner.territory, partner.contact_email) == (
        "Occitanie",
        "participation@banque.example.org",
    )
    edit_url = f"/admin/snippets/home/partner/edit/{partner.pk}/"
    assert client.get(edit_url).status_code == 200
    form = unescape(client.get(ADD_URL).content.decode())
    for label in ("Ce que propose le partenaire", "Site internet", "Courriel", "Téléphone"):
        assert label in form


def test_the_team_finds_partners_among_its_snippets(client, team_member):
    client.force_login(team_member)
    assert "/admin/snippets/home/partner/" in client.get("/admin/snippets/").content.decode()


def test_an_empty_partner_list_says_how_to_add_one(client, team_member):
    request = intake_request()
    client.force_login(team_member)
    html = unescape(client.get(f"/admin/demandes/{request.pk}/redirect/").content.decode())
    assert (
        f'Aucun partenaire n\'est encore enregistré. <a href="{ADD_URL}">Ajouter un partenaire '
        "(nom, offre, territoire, coordonnées)</a>"
    ) in html


def test_the_partner_list_gives_no_hint_once_filled(client, team_member, institute):
    request = intake_request()
    client.force_login(team_member)
    html = client.get(f"/admin/demandes/{request.pk}/redirect/").content.decode()
    assert ADD_URL not in html


def test_the_redirect_email_gives_the_partner_contact_details(committed, team_member, institute):
    request = intake_request(email=APPLICANT)
    subject, message = default_draft(REDIRECT.reply, request, by=team_member, partner=institute)
    committed(
        commands.redirect,
        request,
        by=team_member,
        partner=institute,
        message=message,
        subject=subject,
    )
    [email] = sent_to(APPLICANT)
    assert (
        "Coordonnées du partenaire :\n"
        "Institut de la concertation\n"
        "Site internet : https://institut-concertation.example.org\n"
        "Courriel : contact@institut-concertation.example.org\n"
        "Téléphone : 01 40 00 00 00\n"
    ) in email.body
    assert (
        "Après examen, nous vous orientons vers Institut de la concertation, dont l'offre répond "
        "le mieux aux besoins de"
    ) in email.body
    # Words that need no grammatical gender: neither "il", "elle", "lui" nor "placé(e)".
    words = set(email.body.replace(",", " ").replace(".", " ").split())
    assert not words & {"il", "elle", "lui", "placé", "placée"}
    html = email.alternatives[0][0]
    assert '<a href="mailto:contact@institut-concertation.example.org">' in html
    assert_valid_html({"redirect email": html})
    # The thread keeps the team's message; the contact details are the email's.
    assert "Coordonnées du partenaire" not in request.messages.get().body


def test_other_team_messages_carry_no_partner(committed, team_member, institute):
    request = intake_request(email=APPLICANT)
    committed(commands.team_writes, request, by=team_member, body="Bonjour", subject="Objet")
    [email] = sent_to(APPLICANT)
    assert "Coordonnées du partenaire" not in email.body


def test_the_default_redirect_text_needs_no_gender():
    body = ReplyTemplate.for_purpose(REDIRECT.reply)[0].body
    assert "mieux placé" not in body and "avec lui" not in body
    assert "Ses coordonnées figurent sous ce message" in body
