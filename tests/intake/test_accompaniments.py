"""The team's listing of ongoing accompaniments and its dashboard panel: what each row says,
its filters and sorting, who may see it, and a query count that does not grow with the data."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from intake.models import PARIS, ActionItem, Appointment, IntakeRequest
from tests import factories
from tests.html_validity import html_errors, vnu_command
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
LISTING = "/admin/accompagnements/"
TODAY = date(2027, 3, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    moment = datetime(2027, 3, 15, 9, tzinfo=PARIS)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def colleague(db):
    return factories.user_in_group(
        "Équipe", "dominique.agent", first_name="Dominique", last_name="Roux"
    )


def accompaniment(name, *, window=None, status=Status.IN_PROGRESS, assignee=None, **fields):
    opens, closes = window or (None, None)
    return intake_request(
        collectivite_name=name,
        status=status,
        decided_at=timezone.now(),
        assignee=assignee,
        cadence="regular",
        next_session_from=opens,
        next_session_until=closes,
        **fields,
    )


def session(intake_request, starts_at, status=Appointment.Status.BOOKED):
    return Appointment.objects.create(
        request=intake_request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        kind=Appointment.Kind.WORKING_SESSION,
        status=status,
        seat=None,
    )


@pytest.fixture
def accompaniments(team_member, colleague):
    """One of each state on 15 March 2027, and requests that are no accompaniment."""
    late = accompaniment(
        "Lavaur",
        window=(date(2027, 1, 1), date(2027, 2, 26)),
        assignee=team_member,
        last_session_on=date(2026, 12, 4),
    )
    held = session(late, datetime(2026, 12, 4, 14, tzinfo=PARIS), Appointment.Status.HELD)
    ActionItem.objects.create(appointment=held, title="Délibérer", owner="collectivite")
    ActionItem.objects.create(appointment=held, title="Envoyer la charte", owner="team")
    ActionItem.objects.create(appointment=held, title="Fait", owner="team", done_at=timezone.now())
    to_plan = accompaniment(
        "Pamiers",
        window=(date(2027, 3, 1), date(2027, 3, 29)),
        assignee=colleague,
        last_session_on=date(2027, 2, 1),
    )
    planned = accompaniment(
        "Albi", window=(date(2027, 3, 1), date(2027, 3, 29)), assignee=team_member
    )
    session(planned, datetime(2027, 3, 22, 14, tzinfo=PARIS))
    on_time = accompaniment("Castres", window=(date(2027, 4, 1), date(2027, 4, 29)))
    suspended = accompaniment(
        "Foix",
        window=(date(2027, 1, 1), date(2027, 2, 1)),
        status=Status.SUSPENDED,
        suspended_on=date(2027, 2, 10),
    )
    intake_request(collectivite_name="Rodez", status=Status.ACCEPTED)
    intake_request(collectivite_name="Millau", status=Status.CLOSED, ended_at=timezone.now())
    return {
        "late": late,
        "to_plan": to_plan,
        "scheduled": planned,
        "on_time": on_time,
        "suspended": suspended,
    }


@pytest.fixture
def signed_in(client, team_member):
    client.force_login(team_member)
    return client


def rows(response):
    return [row.collectivite_label for row in response.context["object_list"]]


def test_the_listing_shows_each_accompaniment_most_pressing_first(signed_in, accompaniments):
    response = signed_in.get(LISTING)
    assert response.status_code == 200
    assert rows(response) == ["Lavaur", "Pamiers", "Albi", "Castres", "Foix"]
    late = response.context["object_list"][0]
    assert (late.cadence_state, late.open_action_items, late.last_session_on) == (
        "late",
        2,
        date(2026, 12, 4),
    )
    html = response.content.decode()
    for text in (
        "Accompagnements en cours",
        "En retard",
        "À planifier",
        "Prévue",
        "À jour",
        "Suspendu",
        "Du 1 janvier 2027 au 26 février 2027",
        "Séance le 22 mars 2027 à 14\u00a0h",
        "Suspendu depuis le 10 février 2027",
        "4 décembre 2026",
        "Camille Agent",
        "Dominique Roux",
    ):
        assert text in html, text
    assert "Rodez" not in html and "Millau" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=late", ["Lavaur"]),
        ("state=to_plan", ["Pamiers"]),
        ("state=scheduled", ["Albi"]),
        ("state=on_time", ["Castres"]),
        ("state=suspended", ["Foix"]),
        ("assignee=aucun", ["Castres", "Foix"]),
        ("ordering=-cadence_rank", ["Foix", "Castres", "Albi", "Pamiers", "Lavaur"]),
        ("ordering=collectivite_sort", ["Albi", "Castres", "Foix", "Lavaur", "Pamiers"]),
        ("ordering=-open_action_items", ["Lavaur", "Foix", "Pamiers", "Albi", "Castres"]),
        ("ordering=next_on", ["Foix", "Lavaur", "Pamiers", "Albi", "Castres"]),
        ("ordering=-last_session_on", ["Pamiers", "Lavaur", "Foix", "Albi", "Castres"]),
    ],
)
def test_the_listing_filters_and_sorts_in_the_database(signed_in, accompaniments, query, expected):
    response = signed_in.get(f"{LISTING}?{query}")
    assert response.status_code == 200
    assert rows(response) == expected


def test_the_listing_filters_by_assignee(signed_in, accompaniments, colleague):
    response = signed_in.get(f"{LISTING}?assignee={colleague.pk}&state=to_plan")
    assert rows(response) == ["Pamiers"]
    response = signed_in.get(f"{LISTING}results/?assignee={colleague.pk}&state=late")
    assert response.status_code == 200
    assert "Aucun accompagnement ne correspond à ces filtres." in response.content.decode()


def test_outsiders_never_see_the_listing(client, editor, accompaniments):
    assert client.get(LISTING).status_code == 302
    client.force_login(editor)
    response = client.get(LISTING)
    assert response.status_code in (302, 403)
    assert "Lavaur" not in response.content.decode()
    assert LISTING not in client.get("/admin/").content.decode()


def test_the_queryset_itself_shows_nothing_to_outsiders(editor, team_member, accompaniments):
    assert IntakeRequest.objects.visible_to(editor).accompaniments().count() == 0
    assert IntakeRequest.objects.visible_to(team_member).accompaniments().count() == 5
    due = IntakeRequest.objects.visible_to(team_member).cadence_due(TODAY).order_by("pk")
    assert [row.collectivite_label for row in due] == ["Lavaur", "Pamiers"]
    assert IntakeRequest.objects.visible_to(editor).cadence_due(TODAY).count() == 0


def test_the_menu_and_the_panel(signed_in, accompaniments):
    html = signed_in.get("/admin/").content.decode()
    assert f'href="{LISTING}"' in html
    panel = html.split('id="intake_cadence_due-section"', 1)[1].split("</section>", 1)[0]
    assert "Séances à planifier ou en retard" in html
    assert "2 accompagnements — voir les accompagnements" in panel
    assert panel.index("Lavaur") < panel.index("Pamiers")
    assert "Albi" not in panel and "Foix" not in panel


def test_an_empty_panel_says_so(signed_in):
    assert "Aucun accompagnement à relancer" in signed_in.get("/admin/").content.decode()


def test_the_listing_runs_the_same_queries_with_more_rows(
    signed_in, accompaniments, django_assert_max_num_queries, team_member, colleague
):
    with django_assert_max_num_queries(1000) as captured:
        signed_in.get(f"{LISTING}?ordering=next_on")
    few = len(captured)
    for number in range(40):
        more = accompaniment(
            f"Commune {number}",
            window=(date(2027, 3, 1), date(2027, 3, 29)),
            assignee=[team_member, colleague, None][number % 3],
            last_session_on=date(2027, 2, 1),
        )
        held = session(more, datetime(2027, 2, 1, 14, tzinfo=PARIS), Appointment.Status.HELD)
        ActionItem.objects.create(appointment=held, title="À faire", owner="team")
        session(more, datetime(2027, 4, 1, 14, tzinfo=PARIS) + timedelta(hours=number))
    with django_assert_max_num_queries(few):
        response = signed_in.get(f"{LISTING}?ordering=next_on")
    assert len(response.context["object_list"]) == 25
    with django_assert_max_num_queries(few):
        signed_in.get(f"{LISTING}?state=scheduled&assignee={team_member.pk}")


def test_the_listing_is_valid_html(signed_in, accompaniments, colleague):
    """Valid but for Wagtail's own markup, which every filtered listing of the admin shares:
    the div in its filter buttons."""
    vnu_command()
    errors = html_errors(
        {
            "accompaniments": signed_in.get(LISTING).content,
            "accompaniments filtered": signed_in.get(
                f"{LISTING}?state=late&assignee={colleague.pk}"
            ).content,
        }
    )
    wagtails = [
        error
        for error in errors
        if "not allowed as child of element “button”" in error.message
        and "w-flex w-items-center" in error.extract
    ]
    assert errors == wagtails and len(wagtails) == 4
