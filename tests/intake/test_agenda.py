"""The team's agenda: a week of the permanence's slots (free, taken, closed by a closure or a
public holiday) and of every first exchange and working session, in Paris time, with the
previous and next weeks; for the team only, in a number of queries that does not grow."""

from datetime import date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from intake import agenda
from intake.backoffice.agenda import asked_monday
from intake.models import PARIS, Appointment, Closure, IntakeRequest, OpeningRule
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
Kind = Appointment.Kind
URL = "/admin/agenda/"
LINK = "https://webconf.numerique.gouv.fr/te-lavaur"


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


@pytest.fixture
def lavaur(db, other_team_member):
    return intake_request(
        collectivite_name="Lavaur",
        status=Status.IN_PROGRESS,
        decided_at=timezone.now(),
        assignee=other_team_member,
    )


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def appointment(intake_request, starts_at, minutes=30, hosts=(), **fields):
    """An appointment saved directly: the agenda reads, whoever booked it."""
    fields.setdefault("kind", Kind.FIRST_EXCHANGE)
    created = Appointment.objects.create(
        request=intake_request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        **fields,
    )
    created.hosts.set(hosts)
    return created


def text(element):
    return " ".join(element.get_text(" ", strip=True).split())


def days_of(response):
    """{"2026-12-07": {"heading", "holiday", "slots", "rows"}} of the agenda page: what each
    day's section says, its slots and its table's rows as lists of cell texts."""
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    days = {}
    for section in html.select("section.agenda-day"):
        holiday = section.select_one(".agenda-day__holiday")
        days[section.h2["id"].removeprefix("jour-")] = {
            "heading": text(section.h2),
            "holiday": text(holiday) if holiday else "",
            "slots": [text(item) for item in section.select(".agenda-slot")],
            "rows": [
                [text(cell) for cell in row.find_all(["th", "td"])]
                for row in section.select("tbody tr")
            ],
        }
    return days


def navigation(response):
    html = BeautifulSoup(response.content, "html.parser")
    return [(text(link), link["href"]) for link in html.select("nav.agenda-nav a")]


def test_a_session_outside_the_permanence_shows_its_hosts_and_video_link(
    team_client, lavaur, team_member, other_team_member
):
    appointment(
        lavaur,
        at(date(2026, 12, 8), 10),
        minutes=90,
        hosts=[team_member, other_team_member],
        kind=Kind.WORKING_SESSION,
        seat=None,
        video_link=LINK,
    )
    response = team_client.get(f"{URL}?semaine=2026-12-08")
    days = days_of(response)
    assert list(days) == ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]
    assert days["2026-12-08"]["heading"] == "Mardi 8 décembre"
    assert days["2026-12-08"]["slots"] == []
    assert days["2026-12-08"]["rows"] == [
        [
            "10 h–11 h 30",
            "90 min",
            "Séance de travail · hors permanence",
            f"Lavaur — {lavaur.reference}",
            "Camille Agent, Dominique Agent",
            f"Rejoindre la visioconférence de {lavaur.reference}",
            "Réservé",
        ]
    ]
    html = BeautifulSoup(response.content, "html.parser")
    [row] = html.select("tbody tr")
    request_page = reverse("intake_requests:edit", args=[lavaur.pk])
    assert [link["href"] for link in row.select("a")] == [request_page, LINK]
    # Outside the permanence it takes no seat: Monday's six slots are all free.
    assert days["2026-12-07"]["slots"] == [
        f"{start}–{end} Libre, 1 place"
        for start, end in [
            ("14 h", "14 h 30"),
            ("14 h 30", "15 h"),
            ("15 h", "15 h 30"),
            ("15 h 30", "16 h"),
            ("16 h", "16 h 30"),
            ("16 h 30", "17 h"),
        ]
    ]
    assert days["2026-12-07"]["rows"] == []
    assert "1 rendez-vous cette semaine." in response.content.decode()


def test_a_first_exchange_in_a_slot_takes_its_seat(team_client, lavaur):
    OpeningRule.objects.update(seats=2)
    other = intake_request(collectivite_name="Pamiers")
    appointment(lavaur, at(date(2026, 12, 7), 14))
    appointment(other, at(date(2026, 12, 7), 14), seat=2)
    appointment(other, at(date(2026, 12, 7), 15), status=Appointment.Status.HELD)
    days = days_of(team_client.get(f"{URL}?semaine=2026-12-07"))
    monday = days["2026-12-07"]
    assert monday["slots"][:3] == [
        "14 h–14 h 30 Complet, 2 places réservées",
        "14 h 30–15 h Libre, 2 places",
        "15 h–15 h 30 1 place réservée sur 2",
    ]
    # With no host, the request's assignee holds it; without either, nobody.
    assert monday["rows"] == [
        [
            "14 h–14 h 30",
            "30 min",
            "Premier échange · permanence",
            f"Lavaur — {lavaur.reference}",
            "Chargé·e : Dominique Agent",
            "aucun lien",
            "Réservé",
        ],
        [
            "14 h–14 h 30",
            "30 min",
            "Premier échange · permanence",
            f"Pamiers — {other.reference}",
            "personne",
            "aucun lien",
            "Réservé",
        ],
        [
            "15 h–15 h 30",
            "30 min",
            "Premier échange · permanence",
            f"Pamiers — {other.reference}",
            "personne",
            "aucun lien",
            "Tenu",
        ],
    ]


def test_a_closure_closes_the_slots_it_touches_with_its_reason(team_client):
    Closure.objects.create(
        start_date=date(2026, 12, 7),
        start_time=time(15, 15),
        end_date=date(2026, 12, 7),
        end_time=time(16, 0),
        reason="Séminaire de l'ANCT",
    )
    Closure.objects.create(start_date=date(2026, 12, 14), end_date=date(2026, 12, 14))
    days = days_of(team_client.get(f"{URL}?semaine=2026-12-07"))
    assert days["2026-12-07"]["slots"] == [
        "14 h–14 h 30 Libre, 1 place",
        "14 h 30–15 h Libre, 1 place",
        "15 h–15 h 30 Fermé : Séminaire de l'ANCT",
        "15 h 30–16 h Fermé : Séminaire de l'ANCT",
        "16 h–16 h 30 Libre, 1 place",
        "16 h 30–17 h Libre, 1 place",
    ]
    # A closure without a reason still says the slot is closed.
    next_week = days_of(team_client.get(f"{URL}?semaine=2026-12-14"))
    assert set(next_week["2026-12-14"]["slots"]) == {
        f"{slot} Fermé : Fermeture"
        for slot in (
            "14 h–14 h 30",
            "14 h 30–15 h",
            "15 h–15 h 30",
            "15 h 30–16 h",
            "16 h–16 h 30",
            "16 h 30–17 h",
        )
    }


def test_a_public_holiday_closes_the_day_and_names_it(team_client):
    OpeningRule.objects.create(weekday=4, start_time=time(10), end_time=time(11), slot_minutes=60)
    days = days_of(team_client.get(f"{URL}?semaine=2026-12-21"))
    assert days["2026-12-25"]["heading"] == "Vendredi 25 décembre"
    assert days["2026-12-25"]["holiday"] == "Jour férié : Noël"
    assert days["2026-12-25"]["slots"] == ["10 h–11 h Fermé : Noël"]
    assert days["2026-12-21"]["holiday"] == ""
    assert days["2026-12-21"]["slots"][0] == "14 h–14 h 30 Libre, 1 place"


def test_weeks_follow_each_other_across_the_new_year(team_client):
    response = team_client.get(f"{URL}?semaine=2026-12-30")
    assert navigation(response) == [
        ("Semaine précédente (du 21 décembre 2026)", f"{URL}?semaine=2026-12-21"),
        ("Cette semaine", URL),
        ("Semaine suivante (du 4 janvier 2027)", f"{URL}?semaine=2027-01-04"),
    ]
    assert response.context["week"].monday == date(2026, 12, 28)
    html = BeautifulSoup(response.content, "html.parser")
    assert text(html.h1) == "Agenda de l'équipe: Semaine du 28 décembre 2026 au 3 janvier 2027"
    days = days_of(response)
    assert list(days) == ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"]
    assert days["2027-01-01"]["holiday"] == "Jour férié : Jour de l'an"
    following = team_client.get(f"{URL}?semaine=2027-01-04")
    assert navigation(following)[0] == (
        "Semaine précédente (du 28 décembre 2026)",
        f"{URL}?semaine=2026-12-28",
    )


@pytest.mark.parametrize(
    "value", ["", "zzz", "2026-13-01", "2026-02-30", "1999-12-31", "9999-12-31", "0001-01-01"]
)
def test_a_week_that_is_no_date_shows_the_current_week(team_client, value):
    response = team_client.get(URL, {"semaine": value})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["week"].monday == today - timedelta(days=today.weekday())
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one('nav.agenda-nav a[aria-current="page"]')["href"] == URL


def test_the_asked_day_stands_for_its_week():
    today = date(2026, 12, 3)
    assert asked_monday("2026-12-13", today) == date(2026, 12, 7)
    assert asked_monday("2026-12-07", today) == date(2026, 12, 7)
    assert asked_monday("2199-12-31", today) == date(2199, 12, 30)
    assert asked_monday("2200-01-01", today) == date(2026, 11, 30)
    assert asked_monday(None, today) == date(2026, 11, 30)


def test_today_is_marked(team_client):
    response = team_client.get(URL)
    html = BeautifulSoup(response.content, "html.parser")
    today = timezone.localdate()
    if today.weekday() < 5:
        heading = html.select_one('h2[aria-current="date"]')
        assert heading["id"] == f"jour-{today.isoformat()}"
        assert text(heading).endswith("aujourd'hui")
    else:
        assert html.select_one('h2[aria-current="date"]') is None


def test_a_day_belongs_to_the_paris_clock_and_a_weekend_day_shows_when_used(team_client, lavaur):
    # Sunday 23:30 in Paris is 22:30 UTC that Sunday; Monday 00:30 is 23:30 UTC on Sunday.
    sunday_late = at(date(2026, 12, 13), 23, 30)
    monday_early = at(date(2026, 12, 14), 0, 30)
    for moment in (sunday_late, monday_early):
        appointment(lavaur, moment, kind=Kind.WORKING_SESSION, seat=None)
    days = days_of(team_client.get(f"{URL}?semaine=2026-12-07"))
    assert list(days)[-1] == "2026-12-13"
    assert days["2026-12-13"]["heading"] == "Dimanche 13 décembre"
    assert [row[0] for row in days["2026-12-13"]["rows"]] == ["23 h 30–0 h"]
    assert "2026-12-12" not in days
    following = days_of(team_client.get(f"{URL}?semaine=2026-12-14"))
    assert [row[0] for row in following["2026-12-14"]["rows"]] == ["0 h 30–1 h"]


def test_cancelled_appointments_are_not_in_the_agenda(team_client, lavaur):
    for status in Appointment.CANCELLED_STATUSES:
        appointment(lavaur, at(date(2026, 12, 7), 14), status=status)
    appointment(lavaur, at(date(2026, 12, 8), 9), status=Appointment.Status.NO_SHOW, seat=None)
    days = days_of(team_client.get(f"{URL}?semaine=2026-12-07"))
    assert days["2026-12-07"]["rows"] == []
    assert days["2026-12-07"]["slots"][0] == "14 h–14 h 30 Libre, 1 place"
    assert [row[-1] for row in days["2026-12-08"]["rows"]] == ["Absence"]


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_whoever_is_not_of_the_team_is_refused(client, lavaur, role, request):
    appointment(lavaur, at(date(2026, 12, 7), 14))
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"{URL}?semaine=2026-12-07")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/").content.decode()
    assert URL not in dashboard
    assert '"name": "agenda"' not in dashboard


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(f"{URL}?semaine=2026-12-07")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}%3Fsemaine%3D2026-12-07"


def test_the_selector_shows_no_appointment_to_an_outsider(lavaur, editor, team_member):
    appointment(lavaur, at(date(2026, 12, 7), 14))
    monday = date(2026, 12, 7)
    assert agenda.week(team_member, monday).appointment_count == 1
    outsider_week = agenda.week(editor, monday)
    assert outsider_week.appointment_count == 0
    assert [day.entries for day in outsider_week.days] == [[]] * 5


def test_the_team_reaches_it_from_the_menu_and_the_dashboard(team_client):
    content = team_client.get("/admin/").content
    panel = BeautifulSoup(content, "html.parser").select_one("#intake_week-section")
    assert panel.find("a", string="Agenda de la semaine")["href"] == URL
    # The sidebar is drawn from its JSON props.
    assert b'"name": "agenda", "label": "Agenda", "icon_name": "calendar-check"' in content


def book_week(lavaur, hosts, count):
    """``count`` appointments on Monday 7 December 2026, half in the permanence's slots."""
    OpeningRule.objects.update(seats=count)
    for number in range(count):
        if number % 2:
            appointment(lavaur, at(date(2026, 12, 7), 14), seat=number + 1, hosts=hosts)
        else:
            appointment(
                intake_request(collectivite_name=f"Commune {number}"),
                at(date(2026, 12, 8), 9) + timedelta(minutes=number),
                kind=Kind.WORKING_SESSION,
                seat=None,
                hosts=hosts,
                video_link=LINK,
            )


# The session, the user and the device of their second factor (3), the opening rules, the
# closures, the appointments with their requests and the hosts (4), Wagtail's admin furniture
# around them.
QUERIES = 13


@pytest.mark.parametrize("count", [1, 40])
def test_the_queries_do_not_grow_with_the_appointments(
    team_client, lavaur, team_member, other_team_member, count, django_assert_max_num_queries
):
    book_week(lavaur, [team_member, other_team_member], count)
    # The site is read once after a change, then kept with the page shell (home/serving.py).
    team_client.get(f"{URL}?semaine=2026-12-07")
    with django_assert_max_num_queries(QUERIES):
        response = team_client.get(f"{URL}?semaine=2026-12-07")
    assert response.context["week"].appointment_count == count
