"""Requests carry personal data: only the team group lists and inspects them."""

import pytest
from django.contrib.auth.models import Group

from intake.models import IntakeRequest
from tests import factories
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

INDEX = "/admin/demandes/"


@pytest.fixture
def team_member(db):
    return factories.user_in_group("Équipe", "agent-equipe")


@pytest.fixture
def requests_(db):
    return [intake_request(last_name="Martin"), intake_request(last_name="Durand")]


def test_team_lists_and_inspects_requests(
    client, team_member, requests_, django_assert_max_num_queries
):
    client.force_login(team_member)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for request in requests_:
        assert request.reference in html
    inspect = client.get(f"{INDEX}inspect/{requests_[0].pk}/")
    assert inspect.status_code == 200
    assert "Martin" in inspect.content.decode()


def test_request_list_query_count_does_not_grow_with_rows(
    client, team_member, django_assert_max_num_queries
):
    client.force_login(team_member)
    for _ in range(3):
        intake_request()
    with django_assert_max_num_queries(40) as few:
        client.get(INDEX)
    for _ in range(30):
        intake_request()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


def test_editors_never_see_requests(client, editor, requests_):
    client.force_login(editor)
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(f"{INDEX}inspect/{requests_[0].pk}/").status_code in (302, 403, 404)
    assert not IntakeRequest.objects.visible_to(editor).exists()


def test_team_queryset_and_anonymous(team_member, requests_, django_user_model):
    assert IntakeRequest.objects.visible_to(team_member).count() == 2
    from django.contrib.auth.models import AnonymousUser

    assert not IntakeRequest.objects.visible_to(AnonymousUser()).exists()


def test_team_configures_the_permanence(client, team_member):
    client.force_login(team_member)
    assert client.get("/admin/permanence/regles/").status_code == 200
    assert client.get("/admin/permanence/fermetures/new/").status_code == 200


def test_team_group_exists_with_admin_access():
    team = Group.objects.get(name="Équipe")
    codenames = set(team.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_intakerequest", "view_personal_data", "add_closure"} <= codenames


def test_requests_are_read_only_in_the_admin(client, admin_user, requests_):
    client.force_login(admin_user)
    assert client.get(f"{INDEX}new/").status_code in (302, 403)
    assert client.get(f"{INDEX}edit/{requests_[0].pk}/").status_code in (302, 403)
    assert client.post(f"{INDEX}delete/{requests_[0].pk}/").status_code in (302, 403)
    assert IntakeRequest.objects.count() == 2
