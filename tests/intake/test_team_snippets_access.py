"""The team's labels and reply templates are the team's: no screen of their snippets (the
listing, the choosers Wagtail opens from any form, their results, usage, history) shows an
editor or a moderator their names."""

import pytest
from django.contrib.auth import get_user_model

from intake.models import Label, ReplyTemplate

pytestmark = pytest.mark.django_db

LABEL = "Élus très remontés"
TEMPLATE = "Relance des mauvais payeurs"


@pytest.fixture
def snippets(db):
    label = Label.objects.create(name=LABEL)
    template = ReplyTemplate.objects.create(
        name=TEMPLATE, purpose="message", subject="Relance", body="Bonjour"
    )
    return {"label": label, "replytemplate": template}


def snippet_urls(snippets):
    for model, instance in snippets.items():
        pk = instance.pk
        yield from (
            f"/admin/snippets/intake/{model}/",
            f"/admin/snippets/intake/{model}/results/",
            f"/admin/snippets/intake/{model}/edit/{pk}/",
            f"/admin/snippets/intake/{model}/usage/{pk}/",
            f"/admin/snippets/intake/{model}/history/{pk}/",
            f"/admin/snippets/intake/{model}/history-results/{pk}/",
            f"/admin/snippets/intake/{model}/delete/{pk}/",
            f"/admin/snippets/choose/intake/{model}/",
            f"/admin/snippets/choose/intake/{model}/results/",
            f"/admin/snippets/choose/intake/{model}/results/?q=e",
            f"/admin/snippets/choose/intake/{model}/chosen/{pk}/",
            f"/admin/snippets/choose/intake/{model}/chosen-multiple/?id={pk}",
        )


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_read_no_name_of_the_teams_snippets(client, request, snippets, role):
    client.force_login(request.getfixturevalue(role))
    for url in snippet_urls(snippets):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        content = response.content.decode()
        assert LABEL not in content and TEMPLATE not in content, url


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_nor_create_one_through_a_chooser(client, request, snippets, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post("/admin/snippets/choose/intake/label/create/", {"name": "Intrus"})
    assert response.status_code in (302, 403)
    assert not Label.objects.filter(name="Intrus").exists()


@pytest.mark.parametrize("who", ["team", "superuser"])
def test_the_team_still_chooses_them(client, snippets, team_member, who):
    user = (
        team_member
        if who == "team"
        else get_user_model().objects.create_superuser("chef", "chef@example.org", "mdp-test")
    )
    client.force_login(user)
    response = client.get("/admin/snippets/choose/intake/label/")
    assert response.status_code == 200
    assert LABEL in response.json()["html"]
    response = client.get("/admin/snippets/choose/intake/replytemplate/results/")
    assert response.status_code == 200
    assert TEMPLATE in response.content.decode()
