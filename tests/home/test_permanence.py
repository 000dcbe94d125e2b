"""The permanence is open on its weekday between its hours, in Paris time."""

from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from home.models import PortalSettings

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
    assert "chaque lundi de 14h00 à 17h00" in html
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    ):
        html = client.get("/").content.decode()
    assert "Permanence ouverte" not in html
    assert "chaque lundi de 14h00 à 17h00" in html
