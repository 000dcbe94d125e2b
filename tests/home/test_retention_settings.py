"""The retention periods: the team (and superusers) change them, moderators read them without
changing them, editors do neither; the privacy page shows them as they are set, and a change
reaches it at once, cached or not."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from home.models import RetentionSettings
from tests import factories

pytestmark = pytest.mark.django_db

READ_URL = "/admin/conservation/"
PERIODS = {
    "anonymise_after_months": "36",
    "spam_deleted_after_days": "15",
    "sent_emails_purged_after_days": "60",
    "unused_feeds_deleted_after_months": "3",
}


def edit_url():
    return f"/admin/settings/home/retentionsettings/{RetentionSettings.load().pk}/"


def stored():
    retention = RetentionSettings.load()
    return {name: str(getattr(retention, name)) for name in PERIODS}


DEFAULTS = {
    "anonymise_after_months": "24",
    "spam_deleted_after_days": "30",
    "sent_emails_purged_after_days": "90",
    "unused_feeds_deleted_after_months": "6",
}


@pytest.fixture
def team(db):
    return factories.user_in_group("Équipe", "equipe")


def test_the_groups_permissions():
    def codenames(name):
        permissions = Group.objects.get(name=name).permissions
        return set(
            permissions.filter(content_type__app_label="home").values_list("codename", flat=True)
        )

    assert {"view_retentionsettings", "change_retentionsettings"} <= codenames("Équipe")
    assert "view_retentionsettings" in codenames("Modérateurs")
    assert "change_retentionsettings" not in codenames("Modérateurs")
    assert not {"view_retentionsettings", "change_retentionsettings"} & codenames("Éditeurs")


@pytest.mark.parametrize("role", ["team", "superuser"])
def test_the_team_changes_the_periods(client, team, role):
    user = (
        team
        if role == "team"
        else get_user_model().objects.create_superuser("chef", "c@example.org", "x")
    )
    client.force_login(user)
    menu = client.get("/admin/").content.decode()
    # Wagtail's own item, to the form; not the read-only one.
    assert "/admin/settings/home/retentionsettings/" in menu and READ_URL not in menu

    response = client.post(edit_url(), PERIODS)

    assert response.status_code == 302
    assert stored() == PERIODS
    read = client.get(READ_URL).content.decode()
    assert "Modifier les durées" in read and ">36<" in read


def test_a_period_of_zero_is_refused(client, team):
    client.force_login(team)

    response = client.post(edit_url(), {**PERIODS, "spam_deleted_after_days": "0"})

    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in response.content.decode()
    assert stored() == DEFAULTS


def test_moderators_read_the_periods_without_changing_them(client, moderator):
    client.force_login(moderator)

    read = client.get(READ_URL)
    menu = client.get("/admin/").content.decode()
    form = client.get(edit_url())
    posted = client.post(edit_url(), PERIODS)

    assert read.status_code == 200
    html = read.content.decode()
    assert "Demandes terminées anonymisées après (mois)" in html and "<dd>24</dd>" in html
    assert "Modifier les durées" not in html
    assert READ_URL in menu and "/admin/settings/home/retentionsettings/" not in menu
    assert form.status_code in (302, 403) and posted.status_code in (302, 403)
    assert stored() == DEFAULTS


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_editors_and_the_anonymous_neither_read_nor_change(client, editor, role):
    if role == "editor":
        client.force_login(editor)

    assert client.get(READ_URL).status_code in (302, 403)
    assert client.post(edit_url(), PERIODS).status_code in (302, 403)
    assert stored() == DEFAULTS
    if role == "editor":
        assert READ_URL not in client.get("/admin/").content.decode()


def test_the_privacy_page_shows_the_periods_and_follows_them(
    client, demo_site, django_assert_max_num_queries
):
    first = client.get("/donnees-personnelles/").content.decode()
    assert "est anonymisée 24 mois après sa fin" in first
    assert "sont effacés 30 jours après." in first
    assert "sont effacés 90 jours après leur envoi." in first
    # Kept: the next reading costs no query.
    with django_assert_max_num_queries(0):
        assert client.get("/donnees-personnelles/").content.decode() == first

    retention = RetentionSettings.load()
    retention.anonymise_after_months, retention.spam_deleted_after_days = 36, 1
    retention.save()

    changed = client.get("/donnees-personnelles/").content.decode()
    assert "est anonymisée 36 mois après sa fin" in changed
    assert "sont effacés 1 jour après." in changed
