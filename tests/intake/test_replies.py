"""Reply templates: the variables they may use, their filling, the default kept when the team
deletes them all, and their admin screens; the partners the team redirects to."""

import pytest
from django.core.exceptions import ValidationError

from home.models import Partner
from intake.lifecycle.moves import ACCEPT, REPLIES
from intake.models import ReplyTemplate, fill_variables
from intake.replies import default_draft
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db


def test_known_variables_are_filled_and_anything_else_left_as_typed():
    text = "Bonjour {contact}, {inconnu} {reference} {{ accolades }}"
    assert fill_variables(text, {"contact": "Camille", "reference": "TE-1"}) == (
        "Bonjour Camille, {inconnu} TE-1 {{ accolades }}"
    )


def test_a_template_with_an_unknown_variable_is_refused():
    template = ReplyTemplate(name="Test", purpose="accept", subject="{objet}", body="{nom}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    known = (
        "{collectivite}, {contact}, {reference}, {lien_suivi}, {rendez_vous}, {partenaire}, {agent}"
    )
    assert error.value.message_dict == {
        "subject": [f"Variable inconnue : {{objet}}. Variables possibles : {known}."],
        "body": [f"Variable inconnue : {{nom}}. Variables possibles : {known}."],
    }


def test_every_move_has_a_template_and_a_default_when_they_are_deleted(team_member):
    purposes = set(ReplyTemplate.objects.values_list("purpose", flat=True))
    assert purposes == {reply.purpose for reply in REPLIES}
    ReplyTemplate.objects.filter(purpose="accept").delete()
    request = intake_request(first_name="Lou", last_name="Roux")
    subject, body = default_draft(ACCEPT.reply, request, by=team_member)
    assert subject == f"Votre demande {request.reference} est acceptée"
    assert body.startswith("Bonjour Lou Roux,")
    assert body.endswith("Camille Agent, pour l'équipe Territoires d'engagement")
    assert "{lien_suivi}" in body  # each email fills its own link


def test_the_team_edits_reply_templates_and_labels(client, team_member, editor):
    client.force_login(team_member)
    assert client.get("/admin/snippets/intake/replytemplate/").status_code == 200
    response = client.post(
        "/admin/snippets/intake/replytemplate/add/",
        {"name": "Relance", "purpose": "message", "subject": "Relance {reference}", "body": "{x}"},
    )
    assert response.status_code == 200
    assert "Variable inconnue : {x}." in response.content.decode()
    # The purposes are the declared replies, named as the moves' emails.
    form = client.get("/admin/snippets/intake/replytemplate/add/").context["form"]
    assert form.fields["purpose"].choices == [(reply.purpose, reply.label) for reply in REPLIES]
    response = client.post(
        "/admin/snippets/intake/replytemplate/add/",
        {"name": "Relance", "purpose": "bogus", "subject": "Relance", "body": "Bonjour"},
    )
    assert response.context["form"].errors["purpose"] == [
        "Sélectionnez un choix valide. bogus n’en fait pas partie."
    ]
    listing = client.get("/admin/snippets/intake/replytemplate/", {"purpose": "decline"})
    cells = " ".join(listing.content.decode().split())
    assert "<td > Refus </td>" in cells and "<td > Acceptation </td>" not in cells
    assert (
        client.post(
            "/admin/snippets/intake/label/add/", {"name": "Urgent", "colour": "red"}
        ).status_code
        == 302
    )
    client.force_login(editor)
    assert client.get("/admin/snippets/intake/replytemplate/").status_code in (302, 403)


def test_partners_are_searchable_in_the_admin(client, editor):
    Partner.objects.create(name="Institut de la concertation", kind="expert")
    Partner.objects.create(name="Banque des territoires", kind="funder")
    client.force_login(editor)
    html = client.get("/admin/snippets/home/partner/", {"q": "concertation"}).content.decode()
    assert "Institut de la concertation" in html
    assert "Banque des territoires" not in html
