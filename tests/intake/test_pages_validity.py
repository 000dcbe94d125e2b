"""The pages an applicant meets after the form are valid HTML too (RGAA 8.2)."""

import uuid

import pytest

from intake.lifecycle.commands import submit
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.conftest import submission_token

pytestmark = pytest.mark.django_db

FORM = "/demande/"


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
