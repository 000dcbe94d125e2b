"""Saved filters of the queue: each team member saves a search and its filters under a name,
finds it as a link on the queue, deletes it; nobody else sees or deletes it."""

import pytest

from intake.models import SavedQueueFilter
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

QUEUE = "/admin/demandes/"
SAVE = "/admin/demandes/filtres/"


def delete_url(saved):
    return f"/admin/demandes/filtres/{saved.pk}/supprimer/"


@pytest.fixture
def client(client, team_member):
    client.force_login(team_member)
    return client


def test_a_saved_filter_is_a_link_of_its_owner(client, team_member, other_team_member):
    intake_request(reference="TE-2026-00001", first_exchange="call_back")
    page = client.get(QUEUE, {"vue": "toutes", "premier_echange": "call_back", "p": "1"})
    form = page.context["save_filter_form"]
    # The page number is no part of it.
    assert form["querystring"].value() == "vue=toutes&premier_echange=call_back"
    querystring = "vue=toutes&premier_echange=call_back&export=csv"
    response = client.post(SAVE, {"name": "  Mes rappels ", "querystring": querystring})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?vue=toutes&premier_echange=call_back"
    saved = SavedQueueFilter.objects.get()
    assert (saved.user, saved.name, saved.querystring) == (
        team_member,
        "Mes rappels",
        "vue=toutes&premier_echange=call_back",
    )
    html = client.get(QUEUE).content.decode()
    assert f'<a href="{QUEUE}?vue=toutes&amp;premier_echange=call_back">Mes rappels</a>' in html
    assert f'action="{delete_url(saved)}"' in html
    # Another team member sees none of it.
    client.force_login(other_team_member)
    assert "Mes rappels" not in client.get(QUEUE).content.decode()


def test_nobody_deletes_someone_elses_filter(client, team_member, other_team_member):
    saved = SavedQueueFilter.objects.create(user=team_member, name="Mes", querystring="vue=miennes")
    client.force_login(other_team_member)
    assert client.post(delete_url(saved)).status_code == 404
    assert SavedQueueFilter.objects.filter(pk=saved.pk).exists()
    client.force_login(team_member)
    assert client.get(delete_url(saved)).status_code == 405
    response = client.post(delete_url(saved), follow=True)
    assert not SavedQueueFilter.objects.exists()
    assert "Filtre « Mes » supprimé." in response.content.decode()


def test_a_refused_name_comes_back_with_its_error(client, team_member, other_team_member):
    SavedQueueFilter.objects.create(user=team_member, name="Mes", querystring="vue=miennes")
    # Another member's filter of the same name is no obstacle.
    SavedQueueFilter.objects.create(user=other_team_member, name="Urgent", querystring="vue=toutes")
    response = client.post(SAVE, {"name": "Mes", "querystring": "vue=toutes&q=budget"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous avez déjà un filtre de ce nom." in html
    assert 'value="Mes"' in html and 'value="vue=toutes&amp;q=budget"' in html
    assert f'href="{QUEUE}?vue=toutes&amp;q=budget"' in html
    empty = client.post(SAVE, {"name": "", "querystring": "vue=toutes"})
    assert "Donnez un nom au filtre." in empty.content.decode()
    too_long = client.post(SAVE, {"name": "Long", "querystring": "q=" + "a" * 2000})
    assert "Ces filtres sont trop longs pour être enregistrés." in too_long.content.decode()
    assert client.post(SAVE, {"name": "Urgent", "querystring": "vue=toutes"}).status_code == 302
    assert SavedQueueFilter.objects.filter(name="Urgent").count() == 2


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator"])
def test_outsiders_save_and_delete_nothing(client, team_member, editor, moderator, role):
    saved = SavedQueueFilter.objects.create(user=team_member, name="Mes", querystring="vue=miennes")
    client.logout()
    if role != "anonymous":
        client.force_login({"editor": editor, "moderator": moderator}[role])
    assert client.post(SAVE, {"name": "x", "querystring": "vue=toutes"}).status_code in (302, 403)
    assert client.post(delete_url(saved)).status_code in (302, 403, 404)
    assert list(SavedQueueFilter.objects.values_list("name", flat=True)) == ["Mes"]
