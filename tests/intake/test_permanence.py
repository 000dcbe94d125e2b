"""The permanence has one owner, its opening rules: they drive the booking and what the home
page, the request form and the 429 page say of the day and hours."""

from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from home.models import PortalSettings
from home.typography import french_hour
from intake.booking import describe_permanence, permanence_is_open
from intake.models import Closure, OpeningRule

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(db):
    return list(OpeningRule.objects.active())


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
        (datetime(2026, 4, 6, 15, 0, tzinfo=PARIS), False),  # Easter Monday
    ],
)
def test_open_now_follows_the_rules_in_paris_time(rules, moment, is_open):
    assert permanence_is_open(rules, moment) is is_open


def test_a_closure_closes_the_permanence(rules):
    monday = datetime(2026, 11, 30, 15, 0, tzinfo=PARIS)
    Closure.objects.create(start_date=date(2026, 11, 30), end_date=date(2026, 11, 30))
    assert permanence_is_open(rules, monday) is False


def test_hours_are_described_from_the_rules(rules):
    assert describe_permanence(rules) == "chaque lundi de 14\u00a0h à 17\u00a0h"
    OpeningRule.objects.create(weekday=3, start_time=time(9, 30), end_time=time(12, 0))
    OpeningRule.objects.create(weekday=4, start_time=time(10, 0), end_time=time(11, 0))
    assert describe_permanence(OpeningRule.objects.active()) == (
        "chaque lundi de 14\u00a0h à 17\u00a0h, chaque jeudi de 9\u00a0h\u00a030 à 12\u00a0h "
        "et chaque vendredi de 10\u00a0h à 11\u00a0h"
    )
    assert describe_permanence([]) == ""


def test_home_shows_the_rules_and_the_open_badge_only_while_open(client, home):
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 11, 30, 13, 30, tzinfo=UTC)
    ):
        html = client.get("/").content.decode()
    assert "Permanence ouverte" in html
    assert "l'équipe vous répond chaque lundi de 14\u00a0h à 17\u00a0h." in html.replace(
        "&#x27;", "'"
    )
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    ):
        html = client.get("/").content.decode()
    assert "Permanence ouverte" not in html


def test_the_team_changes_the_hours_and_every_page_follows(client, home, form_page):
    OpeningRule.objects.update(weekday=3, start_time=time(9, 30), end_time=time(12, 0))
    expected = "chaque jeudi de 9\u00a0h\u00a030 à 12\u00a0h"
    assert expected in client.get("/").content.decode()
    assert f"Pendant la permanence : {expected}." in client.get("/demande/").content.decode()


def test_without_rules_nothing_is_promised(client, home):
    OpeningRule.objects.update(active=False)
    html = client.get("/").content.decode()
    section = html.split('id="permanence-title"', 1)[1].split("</section>", 1)[0]
    assert "l&#x27;équipe vous répond" not in section


def test_a_limited_answer_gives_the_hours(client, home, settings, form_page, valid_data):
    settings.RATELIMIT_FORM_POSTS = 0
    response = client.post("/demande/", valid_data)
    assert response.status_code == 429
    assert (
        "Vous pouvez aussi appeler l'équipe pendant la permanence, chaque lundi de 14\u00a0h à "
        "17\u00a0h." in response.content.decode()
    )


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


def permanence_section(client):
    html = client.get("/").content.decode()
    return html.split('id="permanence-title"', 1)[1].split("</section>", 1)[0]


def test_team_email_is_shown_as_a_mailto_link_when_set(client, home):
    assert "mailto:" not in permanence_section(client)
    portal = PortalSettings.load()
    portal.team_email = "territoires-engagement@anct.gouv.fr"
    portal.save()
    section = permanence_section(client)
    assert (
        '<a href="mailto:territoires-engagement@anct.gouv.fr">'
        "territoires-engagement@anct.gouv.fr</a>" in section
    )
