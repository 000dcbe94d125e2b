"""The permanence is open on its weekday between its hours, in Paris time."""

from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from home.models import PortalSettings
from home.templatetags.portal_tags import french_hour

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


@pytest.fixture
def portal(db):
    return PortalSettings.load()


@pytest.mark.parametrize(
    "moment, is_open",
    [
        (datetime(2026, 11, 30, 14, 0, tzinfo=PARIS), True),  # Monday, opening minute
        (datetime(2026, 11, 30, 16, 59, tzinfo=PARIS), True),
        (datetime(2026, 11, 30, 13, 59, tzinfo=PARIS), False),
        (datetime(2026, 11, 30, 17, 0, tzinfo=PARIS), False),  # closing time excluded
        (datetime(2026, 12, 1, 15, 0, tzinfo=PARIS), False),  # Tuesday
        (datetime(2026, 11, 29, 15, 0, tzinfo=PARIS), False),  # Sunday
        # Winter: 13:30 UTC is 14:30 in Paris; summer: 12:30 UTC is 14:30 in Paris.
        (datetime(2026, 11, 30, 13, 30, tzinfo=UTC), True),
        (datetime(2026, 6, 29, 12, 30, tzinfo=UTC), True),
        (datetime(2026, 6, 29, 15, 30, tzinfo=UTC), False),  # 17:30 in Paris
    ],
)
def test_open_now_follows_paris_time(portal, moment, is_open):
    assert portal.permanence_is_open(moment) is is_open


def test_hours_come_from_the_settings(portal):
    portal.permanence_weekday = PortalSettings.Weekday.THURSDAY
    portal.permanence_start, portal.permanence_end = time(9, 30), time(12, 0)
    thursday = datetime(2026, 12, 3, 10, 0, tzinfo=PARIS)
    assert portal.permanence_is_open(thursday)
    assert not portal.permanence_is_open(datetime(2026, 11, 30, 14, 30, tzinfo=PARIS))


def test_home_shows_open_badge_only_while_open(client, home):
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 11, 30, 13, 30, tzinfo=UTC)
    ):
        html = client.get("/").content.decode()
    assert "Permanence ouverte" in html
    assert "chaque lundi de 14\u00a0h à 17\u00a0h" in html
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    ):
        html = client.get("/").content.decode()
    assert "Permanence ouverte" not in html
    assert "chaque lundi de 14\u00a0h à 17\u00a0h" in html


@pytest.mark.parametrize(
    "value, expected",
    [
        (time(14, 0), "14\u00a0h"),
        (time(9, 0), "9\u00a0h"),
        (time(14, 30), "14\u00a0h\u00a030"),
        (time(9, 5), "9\u00a0h\u00a005"),
        (time(0, 0), "0\u00a0h"),
        (None, ""),
    ],
)
def test_french_hour_follows_french_typography(value, expected):
    assert french_hour(value) == expected


def test_home_shows_minutes_only_when_there_are_some(client, portal):
    portal.permanence_start, portal.permanence_end = time(9, 30), time(12, 0)
    portal.save()
    html = client.get("/").content.decode()
    assert "de 9\u00a0h\u00a030 à 12\u00a0h." in html


@pytest.mark.parametrize("start, end", [(time(17, 0), time(14, 0)), (time(14, 0), time(14, 0))])
def test_end_of_the_permanence_must_follow_its_start(portal, start, end):
    portal.permanence_start, portal.permanence_end = start, end
    with pytest.raises(ValidationError) as error:
        portal.full_clean()
    assert error.value.message_dict == {
        "permanence_end": [
            "L'heure de fin de la permanence doit être postérieure à son heure de début."
        ]
    }


def test_valid_hours_pass_validation(portal):
    portal.permanence_start, portal.permanence_end = time(14, 0), time(14, 30)
    portal.full_clean()


def permanence_section(client):
    html = client.get("/").content.decode()
    return html.split('id="permanence-title"', 1)[1].split("</section>", 1)[0]


def test_team_email_is_shown_as_a_mailto_link_when_set(client, portal):
    assert "mailto:" not in permanence_section(client)
    portal.team_email = "territoires-engagement@anct.gouv.fr"
    portal.save()
    section = permanence_section(client)
    assert (
        '<a href="mailto:territoires-engagement@anct.gouv.fr">'
        "territoires-engagement@anct.gouv.fr</a>" in section
    )
