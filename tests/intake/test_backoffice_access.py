"""Who reaches what of the back office: every admin URL of the intake app for the anonymous,
an editor, a moderator, a team member and a superuser. Personal data reaches only the last
two; editors and moderators change nothing, see no menu item, no panel, no history."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from intake import attachments
from intake.backoffice.request_page import AppointmentView
from intake.lifecycle import commands
from intake.lifecycle.moves import TEAM_MOVES
from intake.models import (
    Appointment,
    Attachment,
    Closure,
    IntakeRequest,
    Label,
    OutgoingEmail,
    RequestLogEntry,
    RequestMessage,
    TeamSettings,
)
from tests.intake.factories import intake_request
from tests.intake.files import PDF

pytestmark = pytest.mark.django_db

SECRET = "Bérénice Sansonnet-Privée"  # the applicant's name: personal data
EMAIL = "berenice.privee@example.fr"
ROLES = ["anonymous", "editor", "moderator", "team", "superuser"]
TRUSTED = {"team", "superuser"}


@pytest.fixture
def users(editor, moderator, team_member):
    return {
        "anonymous": None,
        "editor": editor,
        "moderator": moderator,
        "team": team_member,
        "superuser": get_user_model().objects.create_superuser(
            "chef", "chef@example.org", "motdepasse-test"
        ),
    }


@pytest.fixture
def request_with_appointment(db, team_member):
    first, last = SECRET.split(" ", 1)
    request = intake_request(first_name=first, last_name=last, email=EMAIL)
    start = timezone.now() + timedelta(days=3)
    appointment = Appointment.objects.create(
        request=request, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    commands.add_note(request, by=team_member, body="Note confidentielle")
    message = RequestMessage.objects.create(
        request=request, author=RequestMessage.Author.APPLICANT, body="Ci-joint."
    )
    attachments.store(message, [("deliberation.pdf", PDF)])
    closure = Closure.objects.create(start_date=start.date(), end_date=start.date())
    return request, appointment, closure


def admin_urls(intake_request, appointment, closure):
    pk = intake_request.pk
    email = OutgoingEmail.objects.create(
        request=intake_request,
        kind="message",
        to=[intake_request.email],
        subject=f"Votre demande {intake_request.reference}",
        body_text="Bonjour",
        status=OutgoingEmail.Status.FAILED,
    )
    urls = [
        "/admin/",
        "/admin/demandes/",
        "/admin/demandes/?vue=toutes",
        "/admin/demandes/results/?vue=toutes",
        "/admin/accompagnements/",
        "/admin/accompagnements/results/?state=late",
        "/admin/demandes/?vue=toutes&export=csv",
        "/admin/demandes/?vue=toutes&export=xlsx",
        f"/admin/demandes/?vue=toutes&q={intake_request.last_name.split()[0]}",
        f"/admin/demandes/{pk}/",
        "/admin/demandes/nouvelle/",
        f"/admin/demandes/{pk}/coordonnees/",
        f"/admin/demandes/history/{pk}/",
        f"/admin/demandes/history-results/{pk}/",
        f"/admin/demandes/{pk}/rendez-vous/nouveau/",
        f"/admin/demandes/{pk}/donnees/anonymiser/",
        *(
            f"/admin/demandes/{pk}/pieces-jointes/{attachment.pk}/"
            for attachment in Attachment.objects.of_request(intake_request)
        ),
        *(f"/admin/demandes/{pk}/{move.name}/" for move in TEAM_MOVES),
        *(
            f"/admin/demandes/{pk}/rendez-vous/{appointment.pk}/{action}/"
            for action in AppointmentView.ACTIONS
        ),
        f"/admin/bulk/intake/intakerequest/assign/?id={pk}",
        f"/admin/bulk/intake/intakerequest/label/?id={pk}",
        f"/admin/bulk/intake/intakerequest/spam/?id={pk}",
        "/admin/bulk/intake/intakerequest/spam/?id=all",
        "/admin/snippets/intake/label/",
        "/admin/snippets/intake/replytemplate/",
        "/admin/permanence/regles/",
        "/admin/permanence/fermetures/",
        f"/admin/permanence/fermetures/rendez-vous/{closure.pk}/",
        "/admin/agenda/",
        f"/admin/agenda/?semaine={appointment.starts_at.date().isoformat()}",
        "/admin/rapports/",
        "/admin/rapports/?periode=annee&annee=2026",
        "/admin/rapports/export/issues/csv/?periode=12-mois",
        "/admin/rapports/export/departements/xlsx/?periode=12-mois",
        f"/admin/settings/intake/teamsettings/{TeamSettings.load().pk}/",
        "/admin/reports/site-history/",
        "/admin/courriels-sortants/",
        "/admin/courriels-sortants/?status=sent",
        f"/admin/courriels-sortants/{email.pk}/",
    ]
    return urls


# The pages that show the applicant's name and address (the queue itself shows neither).
PERSONAL_DATA_URLS = {
    "/admin/demandes/?vue=toutes&export=csv",
    "/admin/demandes/{pk}/",
    "/admin/courriels-sortants/",
}


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_every_intake_admin_url_by_role(client, users, request_with_appointment, role):
    request, appointment, closure = request_with_appointment
    user = users[role]
    if user is not None:
        client.force_login(user)
    for url in admin_urls(request, appointment, closure):
        response = client.get(url)
        content = body(response) if response.status_code == 200 else ""
        shows_personal_data = SECRET.split()[1].split("-")[0] in content or EMAIL in content
        if role in TRUSTED:
            assert response.status_code == 200, url
            if url.replace(str(request.pk), "{pk}") in PERSONAL_DATA_URLS:
                assert shows_personal_data, url
        else:
            assert not shows_personal_data, url
            assert request.reference not in content, url
            if url in ("/admin/", "/admin/reports/site-history/") and role != "anonymous":
                assert response.status_code == 200, url
                assert "Note interne" not in content and request.reference not in content
            else:
                assert response.status_code in (302, 403, 404), (url, response.status_code)
                if response.status_code == 302:
                    # To the login page, or to the dashboard with "permission denied".
                    assert urlparse(response["Location"]).path in ("/admin/login/", "/admin/")


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
def test_posts_by_outsiders_change_nothing(client, users, request_with_appointment, role):
    request, appointment, closure = request_with_appointment
    if users[role] is not None:
        client.force_login(users[role])
    before = IntakeRequest.objects.filter(pk=request.pk).values().get()
    label = Label.objects.create(name="Urgent")
    posts = [
        (f"/admin/demandes/{request.pk}/", {"action": "note", "body": "Intrus"}),
        (f"/admin/demandes/{request.pk}/", {"action": "labels", "labels": [label.pk]}),
        (f"/admin/demandes/{request.pk}/", {"action": "assign", "assignee": ""}),
        (
            f"/admin/demandes/{request.pk}/",
            {"action": "pin", "note": request.notes.get().pk},
        ),
        (f"/admin/demandes/{request.pk}/spam/", {"confirm": "on"}),
        (f"/admin/demandes/{request.pk}/decline/", {"reason": "x", "subject": "x", "message": "x"}),
        (
            f"/admin/demandes/{request.pk}/rendez-vous/{appointment.pk}/annuler/",
            {"message": "Annulé."},
        ),
        (f"/admin/bulk/intake/intakerequest/spam/?id={request.pk}", {}),
        (f"/admin/demandes/{request.pk}/coordonnees/", {"email": "intrus@example.fr"}),
        ("/admin/demandes/nouvelle/", {"email": "intrus@example.fr", "consent_channel": "oral"}),
        (f"/admin/demandes/{request.pk}/donnees/export/", {}),
        (
            f"/admin/demandes/{request.pk}/donnees/anonymiser/",
            {"reason": "Intrus", "confirm": "on"},
        ),
    ]
    entries = RequestLogEntry.objects.count()
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), url
    assert IntakeRequest.objects.filter(pk=request.pk).values().get() == before
    assert IntakeRequest.objects.count() == 1
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    assert request.notes.count() == 1
    assert RequestLogEntry.objects.count() == entries


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_outsiders_see_no_menu_item_and_no_panel(client, users, request_with_appointment, role):
    client.force_login(users[role])
    html = client.get("/admin/").content.decode()
    assert "/admin/demandes/" not in html
    assert "Nouvelles demandes à prendre en charge" not in html
    assert "/admin/permanence/" not in html
    assert "/admin/agenda/" not in html
    assert "/admin/rapports/" not in html
    assert "/admin/settings/intake/teamsettings/" not in html


def test_team_sees_its_menu_and_panels(client, users, request_with_appointment):
    client.force_login(users["team"])
    html = client.get("/admin/").content.decode()
    for text in (
        "/admin/demandes/",
        "Nouvelles demandes à prendre en charge",
        "Mes demandes en cours",
        "Réponses en retard",
        "Rendez-vous de la semaine",
        # The empty panels say so in French: "0 demandes" is English grammar.
        "Aucune demande — voir la file",
    ):
        assert text in html
    assert "0 demande" not in html


def test_querysets_are_filtered_for_outsiders(users, request_with_appointment):
    for role, user in users.items():
        if user is None:
            continue
        visible = IntakeRequest.objects.visible_to(user).count()
        assert visible == (1 if role in TRUSTED else 0), role


def test_inactive_team_member_sees_nothing(users, request_with_appointment):
    member = users["team"]
    member.is_active = False
    assert IntakeRequest.objects.visible_to(member).count() == 0


def test_moderators_cannot_reach_the_team_notification_address(
    client, users, request_with_appointment
):
    client.force_login(users["moderator"])
    response = client.post(
        f"/admin/settings/intake/teamsettings/{TeamSettings.load().pk}/",
        {"notification_email": "pirate@example.org"},
    )
    assert response.status_code in (302, 403)
    assert TeamSettings.load().notification_email == ""
    # The portal settings that moderators edit no longer route any team email.
    portal = client.get("/admin/settings/home/portalsettings/").content.decode()
    assert "notifications" not in portal


def test_admin_pages_do_not_load_gravatar(client, users, request_with_appointment):
    client.force_login(users["team"])
    for url in ("/admin/", f"/admin/demandes/{request_with_appointment[0].pk}/"):
        assert "gravatar" not in client.get(url).content.decode().lower()


def test_the_team_group_holds_the_triage_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Équipe").permissions.values_list("codename", flat=True))
    assert {
        "access_admin",
        "view_personal_data",
        "triage",
        "change_teamsettings",
        "add_label",
        "change_replytemplate",
        "add_closure",
    } <= codenames
    for name in ("Éditeurs", "Modérateurs"):
        others = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert not others & {"view_personal_data", "triage", "change_teamsettings"}, name
