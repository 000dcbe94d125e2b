"""The request page's personal-data panel: the applicant's data exported as JSON (exactly what
the portal holds, across their requests) and a request anonymised now with its reason; both in
the audit log, for the team only, posted with a CSRF token."""

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from intake.lifecycle import commands
from intake.lifecycle.base import MoveNotAllowed
from intake.models import (
    ActionItem,
    Appointment,
    IntakeRequest,
    InternalNote,
    OutgoingEmail,
    RequestLogEntry,
    RequestMessage,
    SatisfactionAnswer,
    SessionRecord,
)
from tests.html_validity import assert_valid_html
from tests.intake.factories import intake_request
from tests.two_factor import Client

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status


def at(day, hour=10):
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def person(team_member):
    """Two requests of one person (their email typed in two cases), and another's."""
    first = intake_request(
        reference="TE-2026-00101",
        collectivite_name="Plouzané",
        first_name="Gwenaëlle",
        last_name="Kerbrat",
        function="Adjointe",
        email="Gwenaelle.Kerbrat@example.fr",
        phone="+33298765432",
        context="Un budget participatif",
        existing_bodies="",
        created_at=at(2),
        consent_at=at(2),
        status=Status.CLOSED,
        ended_at=at(20),
        closing_summary="Budget voté",
    )
    RequestMessage.objects.create(
        request=first, author="applicant", body="Bonjour, ici Gwenaëlle.", created_at=at(3)
    )
    InternalNote.objects.create(
        request=first, author=team_member, body="Rappeler le matin", created_at=at(4)
    )
    session = Appointment.objects.create(
        request=first,
        starts_at=at(9, 14),
        ends_at=at(9, 15),
        kind=Appointment.Kind.WORKING_SESSION,
        status=Appointment.Status.HELD,
        seat=None,
        video_link="https://visio.example.fr/kerbrat",
    )
    SessionRecord.objects.create(appointment=session, subjects=["strategy"], report="<p>CR</p>")
    ActionItem.objects.create(
        appointment=session, title="Voter le budget", owner="collectivite", created_at=at(9)
    )
    SatisfactionAnswer.objects.create(request=first, score=5, comment="Merci", answered_at=at(21))
    OutgoingEmail.objects.create(
        request=first,
        kind="team_reply",
        to=["Gwenaelle.Kerbrat@example.fr"],
        subject="Votre demande",
        body_text="Bonjour Gwenaëlle",
        status=OutgoingEmail.Status.SENT,
        created_at=at(5),
        sent_at=at(5, 11),
    )
    second = intake_request(
        reference="TE-2026-00102",
        collectivite_name="Plouzané",
        first_name="Gwenaëlle",
        last_name="Kerbrat",
        function="Adjointe",
        email="gwenaelle.kerbrat@example.fr",
        phone="+33298765432",
        context="Un conseil citoyen",
        created_at=at(25),
        consent_at=at(25),
    )
    other = intake_request(email="autre@example.fr")
    return first, second, other


def export(client, intake_request):
    return client.post(f"/admin/demandes/{intake_request.pk}/donnees/export/")


def test_the_export_holds_everything_of_the_person_across_their_requests(
    client, team_member, person
):
    first, second, other = person
    client.force_login(team_member)

    response = export(client, first)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="donnees-personnelles-TE-2026-00101.json"'
    )
    data = json.loads(response.content)
    assert datetime.fromisoformat(data.pop("exported_at")) <= timezone.now()
    contact = {
        "first_name": "Gwenaëlle",
        "last_name": "Kerbrat",
        "function": "Adjointe",
        "role": "Agent ou agente",
        "phone": "+33298765432",
    }
    common = {
        "collectivite": "Plouzané",
        "needs": ["Vos axes stratégiques en matière de démocratie participative"],
        "themes": [],
        "rhythm": "Un échange ponctuel",
        "first_exchange": "Je choisis un créneau",
        "decision_note": "",
        "existing_bodies": "",
    }
    assert data == {
        "email": "Gwenaelle.Kerbrat@example.fr",
        "requests": [
            {
                **common,
                "reference": "TE-2026-00101",
                "status": "Clôturée",
                "created_at": "2026-03-02T10:00:00Z",
                "ended_at": "2026-03-20T10:00:00Z",
                "contact": {**contact, "email": "Gwenaelle.Kerbrat@example.fr"},
                "consent": {
                    "at": "2026-03-02T10:00:00Z",
                    "channel": "En ligne, dans le formulaire",
                },
                "context": "Un budget participatif",
                "closing_summary": "Budget voté",
                "messages": [
                    {
                        "author": "Collectivité",
                        "sent_at": "2026-03-03T10:00:00Z",
                        "body": "Bonjour, ici Gwenaëlle.",
                        "attachments": [],
                    }
                ],
                "internal_notes": [
                    {"written_at": "2026-03-04T10:00:00Z", "body": "Rappeler le matin"}
                ],
                "appointments": [
                    {
                        "kind": "Séance de travail",
                        "status": "Tenu",
                        "starts_at": "2026-03-09T14:00:00Z",
                        "ends_at": "2026-03-09T15:00:00Z",
                        "video_link": "https://visio.example.fr/kerbrat",
                        "record": {
                            "subjects": [
                                "Vos axes stratégiques en matière de démocratie participative"
                            ],
                            "report": "<p>CR</p>",
                            "shared": False,
                        },
                        "action_items": [
                            {
                                "title": "Voter le budget",
                                "owner": "La collectivité",
                                "due_on": None,
                                "done_at": None,
                            }
                        ],
                    }
                ],
                "satisfaction": {
                    "score": 5,
                    "comment": "Merci",
                    "answered_at": "2026-03-21T10:00:00Z",
                },
                "emails_sent": [
                    {
                        "to": ["Gwenaelle.Kerbrat@example.fr"],
                        "subject": "Votre demande",
                        "body": "Bonjour Gwenaëlle",
                        "status": "Envoyé",
                        "created_at": "2026-03-05T10:00:00Z",
                        "sent_at": "2026-03-05T11:00:00Z",
                    }
                ],
                "emails_received": [],
            },
            {
                **common,
                "reference": "TE-2026-00102",
                "status": "Nouvelle",
                "created_at": "2026-03-25T10:00:00Z",
                "ended_at": None,
                "contact": {**contact, "email": "gwenaelle.kerbrat@example.fr"},
                "consent": {
                    "at": "2026-03-25T10:00:00Z",
                    "channel": "En ligne, dans le formulaire",
                },
                "context": "Un conseil citoyen",
                "closing_summary": "",
                "messages": [],
                "internal_notes": [],
                "appointments": [],
                "satisfaction": None,
                "emails_sent": [],
                "emails_received": [],
            },
        ],
    }
    for found in (first, second):
        entry = RequestLogEntry.objects.filter(intake_request=found).get()
        assert (entry.action, entry.user, entry.data) == (
            "intake.data_exported",
            team_member,
            {"detail": "2 demandes", "requests": 2},
        )
    assert not RequestLogEntry.objects.filter(intake_request=other).exists()


def test_the_export_is_posted_with_its_csrf_token(team_member, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    first = person[0]

    assert client.get(f"/admin/demandes/{first.pk}/donnees/export/").status_code == 405
    assert export(client, first).status_code == 403
    page = client.get(f"/admin/demandes/{first.pk}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        f"/admin/demandes/{first.pk}/donnees/export/", {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert RequestLogEntry.objects.filter(action="intake.data_exported").count() == 2


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
def test_outsiders_neither_export_nor_anonymise(client, request, role, person):
    first = person[0]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = IntakeRequest.objects.filter(pk=first.pk).values().get()

    assert export(client, first).status_code in (302, 403, 404)
    page = client.get(f"/admin/demandes/{first.pk}/donnees/anonymiser/")
    posted = client.post(
        f"/admin/demandes/{first.pk}/donnees/anonymiser/", {"reason": "x", "confirm": "on"}
    )

    assert page.status_code in (302, 403, 404) and posted.status_code in (302, 403, 404)
    assert "Kerbrat" not in page.content.decode() + posted.content.decode()
    assert IntakeRequest.objects.filter(pk=first.pk).values().get() == before
    assert not RequestLogEntry.objects.exists()


def test_a_team_member_without_the_triage_permission_cannot(client, person):
    reader = get_user_model().objects.create_user("lecteur", "l@example.org", "x")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_personal_data"),
    )
    client.force_login(reader)
    first = person[0]

    assert client.get(f"/admin/demandes/{first.pk}/").status_code == 200
    assert export(client, first).status_code in (302, 403)
    assert client.get(f"/admin/demandes/{first.pk}/donnees/anonymiser/").status_code in (302, 403)
    assert not RequestLogEntry.objects.exists()


def test_the_team_anonymises_a_request_now(client, team_member, person):
    first = person[0]
    client.force_login(team_member)
    page = client.get(f"/admin/demandes/{first.pk}/").content.decode()
    assert "Exporter les données de la personne" in page
    assert f'href="/admin/demandes/{first.pk}/donnees/anonymiser/"' in page

    form = client.get(f"/admin/demandes/{first.pk}/donnees/anonymiser/")
    assert form.status_code == 200
    assert_valid_html({"page": page, "anonymise": form.content.decode()})
    refused = client.post(f"/admin/demandes/{first.pk}/donnees/anonymiser/", {"confirm": "on"})
    assert refused.status_code == 400
    assert "Indiquez pourquoi la demande est anonymisée." in refused.content.decode()
    assert IntakeRequest.objects.get(pk=first.pk).anonymised_at is None

    response = client.post(
        f"/admin/demandes/{first.pk}/donnees/anonymiser/",
        {"reason": "Demande d'effacement du 2 avril", "confirm": "on"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/admin/demandes/{first.pk}/"
    html = response.content.decode()
    assert "La demande est anonymisée." in html
    assert "Kerbrat" not in html and "Exporter les données de la personne" not in html
    assert "Demande anonymisée le" in html
    assert_valid_html({"anonymised": html})
    anonymised = IntakeRequest.objects.get(pk=first.pk)
    assert (anonymised.last_name, anonymised.email, anonymised.context) == ("", "", "")
    entry = RequestLogEntry.objects.filter(intake_request=first).first()
    assert (entry.action, entry.user, entry.data) == (
        "intake.anonymised",
        team_member,
        {"detail": "Demande d'effacement du 2 avril"},
    )
    # The person's other request, still open, keeps its data.
    assert IntakeRequest.objects.get(pk=person[1].pk).last_name == "Kerbrat"


def test_an_open_request_offers_no_anonymisation(client, team_member, person):
    second = person[1]
    client.force_login(team_member)

    page = client.get(f"/admin/demandes/{second.pk}/").content.decode()
    form = client.get(f"/admin/demandes/{second.pk}/donnees/anonymiser/").content.decode()
    posted = client.post(
        f"/admin/demandes/{second.pk}/donnees/anonymiser/", {"reason": "x", "confirm": "on"}
    )

    assert "/donnees/anonymiser/" not in page
    assert "Cette action n'est plus possible" in form
    assert posted.status_code == 400
    assert "Une demande en cours ne s&#x27;anonymise pas" in posted.content.decode()
    assert IntakeRequest.objects.get(pk=second.pk).anonymised_at is None


def test_an_anonymised_request_takes_no_move(team_member, person):
    first = person[0]
    commands.anonymise(first, by=team_member, reason="Effacement")
    first.refresh_from_db()

    with pytest.raises(MoveNotAllowed, match="Cette demande est anonymisée."):
        commands.reopen(first, by=team_member, reason="Erreur")
    assert IntakeRequest.objects.get(pk=first.pk).status == Status.CLOSED
