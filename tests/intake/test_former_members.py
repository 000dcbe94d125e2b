"""A team member who left (account deactivated, or no longer in Équipe) hears nothing more of
the requests they followed: the applicant's doings reach the team's address instead."""

import pytest
from django.contrib.auth.models import Group

from intake import booking
from intake.fields import slot_value
from intake.lifecycle import commands
from tests.intake.conftest import sent_to

pytestmark = pytest.mark.django_db

TEAM = "equipe@example.fr"
FORMER = "camille.agent@example.org"


@pytest.fixture
def client(committing_client):
    return committing_client


def leave_by_deactivation(user):
    user.is_active = False
    user.save()


def leave_the_team(user):
    user.groups.remove(Group.objects.get(name="Équipe"))


@pytest.fixture(params=[leave_by_deactivation, leave_the_team], ids=["deactivated", "left"])
def followed_by_a_former_member(request, submitted, team_member, committed, settings):
    """The submitted request, taken by a team member who then left."""
    settings.TEAM_NOTIFICATION_EMAIL = TEAM
    committed(commands.take, submitted.intake_request, by=team_member)
    request.param(team_member)
    return submitted


def status_page(submission):
    return f"/suivi/{submission.token}/"


def test_the_applicants_message_reaches_the_team(client, followed_by_a_former_member):
    submission = followed_by_a_former_member
    response = client.post(
        status_page(submission), {"action": "message", "message-body": "Une question."}
    )
    assert response.status_code == 302
    assert sent_to(FORMER) == []
    [notice] = sent_to(TEAM)
    assert notice.subject == f"Nouveau message sur la demande {submission.intake_request.reference}"


def test_an_appointment_moved_by_the_applicant_reaches_the_team(
    client, followed_by_a_former_member, first_slot
):
    submission = followed_by_a_former_member
    other = next(
        slot for slot in booking.available_slots() if slot.starts_at != first_slot.starts_at
    )
    response = client.post(
        status_page(submission), {"action": "book", "slot-slot": slot_value(other)}
    )
    assert response.status_code == 302
    assert sent_to(FORMER) == []
    [notice] = sent_to(TEAM)
    assert notice.subject == (
        "Rendez-vous pris ou déplacé par la collectivité — demande "
        f"{submission.intake_request.reference}"
    )


def test_a_withdrawal_reaches_the_team(client, followed_by_a_former_member):
    submission = followed_by_a_former_member
    response = client.post(
        status_page(submission), {"action": "withdraw", "withdraw-confirm": "on"}
    )
    assert response.status_code == 302
    assert sent_to(FORMER) == []
    [notice] = sent_to(TEAM)
    assert submission.intake_request.reference in notice.subject


def test_a_current_member_still_hears_of_the_requests_they_follow(
    client, submitted, team_member, committed, settings
):
    settings.TEAM_NOTIFICATION_EMAIL = TEAM
    committed(commands.take, submitted.intake_request, by=team_member)
    client.post(status_page(submitted), {"action": "message", "message-body": "Une question."})
    assert sent_to(TEAM) == []
    [notice] = sent_to(FORMER)
    assert notice.subject == f"Nouveau message sur la demande {submitted.intake_request.reference}"
