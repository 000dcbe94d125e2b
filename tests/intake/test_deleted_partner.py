"""Where a request was sent stays known after its partner is deleted from the admin."""

import pytest
from django.contrib.auth import get_user_model

from home.models import Partner
from intake.models import IntakeRequest
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

NAME = "Institut de la concertation"


@pytest.fixture
def redirected(client, team_member):
    partner = Partner.objects.create(name=NAME, kind="expert")
    request = intake_request(status=IntakeRequest.Status.IN_REVIEW)
    client.force_login(team_member)
    response = client.post(
        f"/admin/demandes/{request.pk}/redirect/",
        {"partner": partner.pk, "subject": "Un partenaire", "message": "Contactez-les."},
    )
    assert response.status_code == 302
    return request, partner


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chef", "chef@example.org", "mdp-test")


def orientation(client, intake_request):
    html = client.get(f"/admin/demandes/{intake_request.pk}/").content.decode()
    return html.split("<dt>Orientée vers</dt>", 1)[1].split("</dd>", 1)[0]


def test_the_request_page_names_the_deleted_partner(client, redirected, team_member, superuser):
    request, partner = redirected
    client.force_login(superuser)
    response = client.post(f"/admin/snippets/home/partner/delete/{partner.pk}/")
    assert response.status_code == 302
    assert not Partner.objects.exists()
    client.force_login(team_member)
    assert orientation(client, request) == f"<dd>{NAME}"
    request.refresh_from_db()
    assert (request.partner, request.partner_name) == (None, NAME)


def test_a_bulk_deletion_keeps_the_name_too(client, redirected, team_member, superuser):
    request, partner = redirected
    client.force_login(superuser)
    response = client.post(f"/admin/bulk/home/partner/delete/?id={partner.pk}")
    assert response.status_code == 302
    assert not Partner.objects.exists()
    client.force_login(team_member)
    assert orientation(client, request) == f"<dd>{NAME}"


def test_a_renamed_partner_is_shown_by_its_current_name(client, redirected):
    request, partner = redirected
    partner.name = "Institut de la concertation et de la participation"
    partner.save()
    assert orientation(client, request) == f"<dd>{partner.name}"
