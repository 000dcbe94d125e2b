"""Variables are filled in the team's templates and messages only, never in what someone else
typed: an applicant who writes "{lien_suivi}" in a message, a name or a collectivité does not
make an email carry a status link (nor a reference, nor a name) where the team put none."""

import re
import uuid

import pytest

from intake.lifecycle import commands
from intake.models import AccessToken, IntakeRequest, RequestMessage
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db

TEAM = "equipe@example.fr"
TYPED = "Voici {lien_suivi}, {reference}, {contact} et {agent}."
LINK = re.compile(r"https?://[^\s\"<]*/suivi/([\w-]{40,})/")


@pytest.fixture(autouse=True)
def team_address(settings):
    settings.TEAM_NOTIFICATION_EMAIL = TEAM


def links(email):
    return LINK.findall(email.body) + LINK.findall(email.alternatives[0][0])


def test_an_applicants_message_reaches_the_team_as_typed(committing_client):
    request = intake_request()
    response = committing_client.post(
        status_link(request), {"action": "message", "message-body": TYPED}
    )
    assert response.status_code == 302
    [notice] = sent_to(TEAM)
    assert f"\n\n{TYPED}\n\n" in notice.body
    assert "Voici {lien_suivi}, {reference}, {contact} et {agent}." in notice.alternatives[0][0]
    assert links(notice) == []
    assert AccessToken.objects.filter(request=request).count() == 1  # the test's own link


def test_a_name_and_a_collectivite_typed_as_variables_are_shown_as_typed(request_fields, committed):
    fields = {
        **request_fields,
        "collectivite": None,
        "collectivite_name": "Commune {lien_suivi}",
        "collectivite_kind": "commune",
        "first_name": "{lien_suivi}",
        "last_name": "{reference}",
    }
    committed(commands.submit, fields, submission_key=uuid.uuid4())
    request = IntakeRequest.objects.get()
    [notice] = sent_to(TEAM)
    # "la": a typed name opening with "Commune" takes its article.
    assert f"Nouvelle demande {request.reference} de la Commune {{lien_suivi}}." in notice.body
    assert links(notice) == []
    [acknowledgement] = sent_to("camille@example.fr")
    assert acknowledgement.body.startswith("Bonjour {lien_suivi} {reference},")
    assert "de la Commune {lien_suivi}." in acknowledgement.body
    assert len(set(links(acknowledgement))) == 1  # the template's own link, and no other


def test_the_teams_reply_fills_its_own_variables_only(team_member, committed, settings):
    request = intake_request(first_name="{lien_suivi}", last_name="{reference}")
    committed(
        commands.team_writes,
        request,
        by=team_member,
        subject="Demande {reference}",
        body="Bonjour {contact}, voici votre lien : {lien_suivi}",
    )
    [email] = sent_to(request.email)
    assert email.subject == f"Demande {request.reference}"
    [link] = LINK.findall(email.body)
    assert email.body.startswith(
        "Bonjour {lien_suivi} {reference}, voici votre lien : "
        f"{settings.BASE_URL}/suivi/{link}/\n"
    )
    assert len(set(links(email))) == 1
    message = RequestMessage.objects.get()
    assert message.body == "Bonjour {lien_suivi} {reference}, voici votre lien : {lien_suivi}"


def test_a_default_reply_greets_a_name_typed_as_a_variable_as_typed(team_member, committed):
    request = intake_request(first_name="{lien_suivi}", last_name="Martin")
    committed(commands.take, request, by=team_member)
    [email] = sent_to(request.email)
    assert email.body.startswith("Bonjour {lien_suivi} Martin,\n")
    assert len(set(links(email))) == 1  # "Suivre votre demande et nous écrire : …"
