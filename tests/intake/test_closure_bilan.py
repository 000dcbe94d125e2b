"""Closing an accompaniment asks for its bilan (what it achieved, on which subjects); then the
collectivité is asked once, on its status page, how useful it was, and the team reads it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.lifecycle import commands
from intake.lifecycle.base import MoveNotAllowed, MoveRefused
from intake.lifecycle.history import applicant_timeline
from intake.models import IntakeRequest, RequestLogEntry, SatisfactionAnswer
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.factories import held_session, intake_request, status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status


@pytest.fixture
def ongoing(db, team_member):
    accompaniment = intake_request(
        collectivite_name="Pamiers", status=Status.IN_PROGRESS, decided_at=timezone.now()
    )
    commands.record_session(
        held_session(accompaniment),
        by=team_member,
        subjects=["funding", "strategy"],
        report="",
        report_shared=False,
        partners=[],
    )
    return accompaniment


@pytest.fixture
def team_client(committing_client, client, team_member):
    client.force_login(team_member)
    return committing_client


def close_url(intake_request):
    return f"/admin/demandes/{intake_request.pk}/close/"


CLOSING = {
    "summary": "Une charte de la participation adoptée en conseil.",
    "subjects": ["strategy", "coherence"],
    "subject": "Fin de l'accompagnement",
    "message": "Merci pour ces échanges.",
}


def test_the_close_form_asks_for_the_bilan_and_ticks_the_subjects_discussed(team_client, ongoing):
    form = team_client.get(close_url(ongoing)).context["form"]
    assert list(form.fields)[:2] == ["summary", "subjects"]
    assert form["subjects"].value() == ["strategy", "funding"]
    response = team_client.post(close_url(ongoing), CLOSING)
    assert response.status_code == 302
    ongoing.refresh_from_db()
    assert (ongoing.status, ongoing.closing_summary, ongoing.closing_subjects) == (
        Status.CLOSED,
        "Une charte de la participation adoptée en conseil.",
        ["strategy", "coherence"],
    )
    html = team_client.get(f"/admin/demandes/{ongoing.pk}/").content.decode()
    assert (
        "Vos axes stratégiques en matière de démocratie participative ; "
        "L&#x27;articulation et la cohérence des initiatives locales"
    ) in html


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"subjects": []}, "subjects", "Cochez au moins un sujet travaillé."),
        ({"summary": "  "}, "summary", "Rédigez le bilan de l'accompagnement."),
        (
            {"subjects": ["weather"]},
            "subjects",
            "Sélectionnez un choix valide. weather n’en fait pas partie.",
        ),
    ],
)
def test_a_bilan_without_its_parts_is_refused_at_its_field(
    team_client, ongoing, fields, field, error
):
    response = team_client.post(close_url(ongoing), {**CLOSING, **fields})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [error]
    assert IntakeRequest.objects.get(pk=ongoing.pk).status == Status.IN_PROGRESS


@pytest.fixture
def closed(ongoing, team_member):
    return commands.close(ongoing, by=team_member, summary="Charte adoptée.", subjects=["strategy"])


def test_the_applicant_answers_once_and_the_team_reads_it(client, closed, team_member):
    link = status_link(closed)
    html = client.get(link).content.decode()
    assert "Votre avis sur l'accompagnement" in html
    assert 'name="satisfaction-score"' in html and 'value="5"' in html
    response = client.post(
        link,
        {
            "action": "satisfaction",
            "satisfaction-score": "4",
            "satisfaction-comment": "  Très clair sur les financements.  ",
        },
    )
    assert response.status_code == 302
    answer = SatisfactionAnswer.objects.get(request=closed)
    assert (answer.score, answer.comment) == (4, "Très clair sur les financements.")
    entry = RequestLogEntry.objects.for_instance(closed).get(action="intake.satisfaction_answered")
    assert (entry.user, entry.data) == (None, {"score": 4, "detail": "4/5"})
    html = client.get(link).content.decode()
    assert "Merci pour votre avis : l&#x27;équipe le lira avec attention." in html
    assert 'name="satisfaction-score"' not in html
    assert "Vous avez donné votre avis sur l&#x27;accompagnement" in html

    # A second answer is refused, and the first one stays.
    response = client.post(link, {"action": "satisfaction", "satisfaction-score": "1"})
    assert response.status_code == 400
    assert "Vous avez déjà donné votre avis : merci." in response.content.decode()
    assert SatisfactionAnswer.objects.get(request=closed).score == 4

    client.force_login(team_member)
    page = client.get(f"/admin/demandes/{closed.pk}/").content.decode()
    assert "Avis de la collectivité" in page
    assert "Utilité : 4 sur 5 (4 — Utile)" in page
    assert "Très clair sur les financements." in page


@pytest.mark.parametrize(
    ("score", "error"),
    [("", "Choisissez une note de 1 à 5."), ("7", "Choisissez une note de 1 à 5.")],
)
def test_a_missing_or_wrong_score_is_said_at_its_field(client, closed, score, error):
    response = client.post(
        status_link(closed),
        {"action": "satisfaction", "satisfaction-score": score, "satisfaction-comment": "Gardé."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "Gardé." in html
    assert not SatisfactionAnswer.objects.exists()


def test_only_a_closed_accompaniment_is_asked(client, ongoing):
    link = status_link(ongoing)
    assert 'name="satisfaction-score"' not in client.get(link).content.decode()
    response = client.post(link, {"action": "satisfaction", "satisfaction-score": "5"})
    assert response.status_code == 400
    assert not SatisfactionAnswer.objects.exists()
    with pytest.raises(MoveNotAllowed):
        commands.answer_satisfaction(ongoing, score=5)
    declined = intake_request(status=Status.DECLINED, ended_at=timezone.now())
    response = client.post(
        status_link(declined), {"action": "satisfaction", "satisfaction-score": "5"}
    )
    assert response.status_code == 400
    assert not SatisfactionAnswer.objects.exists()


def test_the_command_refuses_a_second_answer_and_the_database_too(closed):
    commands.answer_satisfaction(closed, score=5, comment="")
    with pytest.raises(MoveRefused, match="déjà donné votre avis"):
        commands.answer_satisfaction(closed, score=3)
    with pytest.raises(MoveRefused, match="de 1 à 5"):
        commands.answer_satisfaction(closed, score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionAnswer.objects.create(request=closed, score=2)
    assert [str(event["label"]) for event in applicant_timeline(closed)][-1] == (
        "Vous avez donné votre avis sur l'accompagnement"
    )


def test_the_close_form_and_the_satisfaction_form_are_valid_html(
    team_client, client, ongoing, team_member
):
    vnu_command()
    documents = {"close form": team_client.get(close_url(ongoing)).content}
    response = team_client.post(close_url(ongoing), {**CLOSING, "subjects": []})
    documents["close form with an error"] = response.content
    documents["request page of an accompaniment"] = team_client.get(
        f"/admin/demandes/{ongoing.pk}/"
    ).content
    commands.close(ongoing, by=team_member, summary="Charte adoptée.", subjects=["strategy"])
    client.logout()
    link = status_link(ongoing)
    documents["satisfaction form"] = client.get(link).content
    response = client.post(link, {"action": "satisfaction", "satisfaction-score": ""})
    documents["satisfaction form with an error"] = response.content
    assert_valid_html(documents)
