"""A team member turns the daily digest off, and on again, from their account page (the
"Notifications" tab); someone outside the team has no such switch."""

import re

import pytest

from intake.digest import receives_daily_digest
from intake.models import TeamMemberPreference
from tests import factories

ACCOUNT = "/admin/account/"
FIELD = 'name="daily_digest-daily_digest"'


def digest_box(page):
    """The digest's checkbox on the account page."""
    [box] = re.findall(rf"<input[^>]*{FIELD}[^>]*>", page)
    return box


def account_form(member, digest):
    """What the account page posts: the member's name and email kept, the digest's box."""
    data = {
        "name_email-first_name": member.first_name,
        "name_email-last_name": member.last_name,
        "name_email-email": member.email,
        "locale-preferred_language": "fr",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    if digest:
        data["daily_digest-daily_digest"] = "on"
    return data


@pytest.mark.django_db
def test_a_team_member_turns_it_off_and_on(client, team_member):
    client.force_login(team_member)
    page = client.get(ACCOUNT).content.decode()
    assert "Récapitulatif quotidien" in page
    assert 'type="checkbox"' in digest_box(page)
    assert "checked" in digest_box(page)

    response = client.post(ACCOUNT, account_form(team_member, digest=False))
    assert response.status_code == 302
    assert receives_daily_digest(team_member) is False
    assert "checked" not in digest_box(client.get(ACCOUNT).content.decode())

    client.post(ACCOUNT, account_form(team_member, digest=True))
    assert TeamMemberPreference.objects.get(user=team_member).daily_digest is True


@pytest.mark.django_db
def test_someone_outside_the_team_has_no_switch(client):
    editor = factories.user_in_group("Éditeurs", "claude.redac")
    client.force_login(editor)
    assert FIELD not in client.get(ACCOUNT).content.decode()
