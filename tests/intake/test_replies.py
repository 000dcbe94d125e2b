"""Reply templates: the variables they may use, their filling, the default kept when the team
deletes them all, and their admin screens; the partners the team redirects to."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from home.models import Partner
from intake.lifecycle.moves import ACCEPT, REPLIES
from intake.models import ReplyTemplate, fill_variables
from intake.replies import default_draft
from tests.intake.factories import collectivite, intake_request

pytestmark = pytest.mark.django_db


def test_known_variables_are_filled_and_anything_else_left_as_typed():
    text = "Bonjour {contact}, {inconnu} {reference} {{ accolades }}"
    assert fill_variables(text, {"contact": "Camille", "reference": "TE-1"}) == (
        "Bonjour Camille, {inconnu} TE-1 {{ accolades }}"
    )


def test_the_collectivite_opens_a_sentence_with_a_capital():
    text = "{collectivite} a écrit. {collectivite} aussi !\n{de_collectivite} ; pour {collectivite}"
    values = {"collectivite": "la CA du Pays de Gex", "de_collectivite": "de la CA"}
    assert fill_variables(text, values) == (
        "La CA du Pays de Gex a écrit. La CA du Pays de Gex aussi !\nDe la CA ; pour la CA du "
        "Pays de Gex"
    )


REPLY = {reply.purpose: reply for reply in REPLIES}
GEX = {"name": "CA du Pays de Gex", "kind": "epci", "name_type": 3}
GERS = {"name": "Gers", "kind": "departement", "name_type": 2, "departement_code": "32"}


@pytest.mark.parametrize(
    ("fields", "purpose", "sentence"),
    [
        (GERS, "accept", "la cellule de conseil et d'orientation accompagnera le Gers."),
        (
            GEX,
            "accept",
            "la cellule de conseil et d'orientation accompagnera la CA du Pays de Gex.",
        ),
        (GEX, "decline", "Nous avons étudié avec attention la demande de la CA du Pays de Gex."),
        (GERS, "decline", "Nous avons étudié avec attention la demande du Gers."),
        (GERS, "ask", "Pour bien préparer l'accompagnement du Gers, nous avons besoin"),
        (GEX, "duplicate", "\n\nLa CA du Pays de Gex nous a déjà adressé une demande"),
        (GERS, "take", "Votre demande d'accompagnement pour le Gers est désormais suivie"),
        (GERS, "close", "L'accompagnement du Gers par la cellule"),
        (GERS, "reopen", "Nous rouvrons la demande du Gers et"),
        (GERS, "withdraw", "le retrait de la demande du Gers."),
    ],
)
def test_default_replies_put_the_article_before_the_collectivite(
    fields, purpose, sentence, team_member
):
    request = intake_request(collectivite=collectivite(**fields), collectivite_name="")
    _subject, body = default_draft(REPLY[purpose], request, by=team_member)
    assert sentence in body


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("Les Ulis", "la demande des Ulis."),
        ("Syndicat mixte du Pays de Gex", "la demande du Syndicat mixte du Pays de Gex."),
        ("Établissement public du Gers", "la demande de l'Établissement public du Gers."),
        ("CC du Pays de Lunel", "la demande de la CC du Pays de Lunel."),
        ("Ussel", "la demande d'Ussel."),
        ("Tulle", "la demande de Tulle."),
    ],
)
def test_a_collectivite_typed_outside_the_referential_gets_its_article(typed, sentence):
    request = intake_request(collectivite_name=typed)
    _subject, body = default_draft(REPLY["decline"], request)
    assert sentence in body


def test_stored_templates_join_de_with_the_article(team_member):
    """The migration that gives {collectivite} its article turns "de {collectivite}" into
    {de_collectivite} in every stored template, the team's own too."""
    migration = importlib.import_module(
        "intake.migrations.0021_collectivite_arrondissements_aliases_articles"
    )
    own = ReplyTemplate.objects.create(
        name="Relance",
        purpose="message",
        subject="La demande de {collectivite}",
        body="Bonjour, où en est le projet de {collectivite} ? {collectivite} avance-t-elle ?",
    )
    migration.join_de_with_the_article(django_apps, None)
    own.refresh_from_db()
    assert own.subject == "La demande {de_collectivite}"
    assert own.body == (
        "Bonjour, où en est le projet {de_collectivite} ? {collectivite} avance-t-elle ?"
    )
    migration.split_de_from_the_article(django_apps, None)
    own.refresh_from_db()
    assert own.subject == "La demande de {collectivite}"


def test_a_template_with_an_unknown_variable_is_refused():
    template = ReplyTemplate(name="Test", purpose="accept", subject="{objet}", body="{nom}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    known = (
        "{collectivite}, {de_collectivite}, {contact}, {reference}, {lien_suivi}, {rendez_vous}, "
        "{partenaire}, {agent}"
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
