"""The pages an applicant meets after the form, and the team's agenda, are valid HTML too
(RGAA 8.2)."""

import uuid
from datetime import date, datetime, time, timedelta

import pytest

from intake.lifecycle.commands import submit
from intake.models import PARIS, Appointment, Closure, OpeningRule
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.conftest import submission_token
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

FORM = "/demande/"
HALF_HOUR = timedelta(minutes=30)


@pytest.fixture
def checker():
    vnu_command()


def test_the_applicants_own_pages_are_valid_html(
    checker, client, demo_site, settings, request_fields, first_slot, valid_data
):
    """The status page with and without errors, a wrong link, the confirmation (and its
    reload), the lost link's answer, the limited form and the too-many-attempts page: every
    page an applicant meets after the form."""
    submission = submit(request_fields, submission_key=uuid.uuid4(), slot=first_slot)
    status = f"/suivi/{submission.token}/"
    documents = {"status page": client.get(status).content}
    response = client.post(status, {"action": "message", "message-body": ""})
    assert response.status_code == 400
    documents["status page with an error"] = response.content
    response = client.get("/suivi/un-lien-qui-ne-marche-pas/")
    assert response.status_code == 404
    documents["wrong link"] = response.content
    response = client.post(FORM, {**valid_data, "first_exchange": "call_back", "slot": ""})
    assert response.status_code == 302
    documents["confirmation"] = client.get(response["Location"]).content
    documents["confirmation reloaded"] = client.get(response["Location"]).content
    response = client.post("/suivi/", {"email": "camille@example.fr"})
    assert response.status_code == 200
    documents["lost link sent"] = response.content
    settings.RATELIMIT_FORM_POSTS = 0
    response = client.post(FORM, {**valid_data, "submission": submission_token()})
    assert response.status_code == 429
    documents["limited form"] = response.content
    response = client.post("/_util/login/", {"username": "admin", "password": "devine"})
    assert response.status_code == 429
    documents["too many attempts"] = response.content
    assert_valid_html(documents)


def test_the_team_s_agenda_is_valid_html(checker, client, team_member):
    """A week with every kind of slot (free, taken, closed by a closure, by a public holiday)
    and of appointment (a first exchange, a session outside the permanence with its video
    link), the week after it, empty, and today's."""
    OpeningRule.objects.create(weekday=4, start_time=time(10), end_time=time(11), slot_minutes=60)
    Closure.objects.create(
        start_date=date(2026, 12, 21), start_time=time(16), end_date=date(2026, 12, 21)
    )
    accepted = intake_request(collectivite_name="Lavaur", status="accepted")
    start = datetime(2026, 12, 21, 14, tzinfo=PARIS)
    Appointment.objects.create(request=accepted, starts_at=start, ends_at=start + HALF_HOUR)
    session = Appointment.objects.create(
        request=accepted,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        kind=Appointment.Kind.WORKING_SESSION,
        seat=None,
        video_link="https://webconf.numerique.gouv.fr/te",
    )
    session.hosts.add(team_member)
    client.force_login(team_member)
    documents = {
        url: client.get(url).content
        for url in (
            "/admin/agenda/?semaine=2026-12-21",
            "/admin/agenda/?semaine=2026-12-28",
            "/admin/agenda/",
        )
    }
    assert_valid_html(documents)
