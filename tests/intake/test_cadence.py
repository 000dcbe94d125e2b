"""The cadence of an accompaniment: its rhythm (the applicant's wish at the acceptance, then
the team's), the window of its next session counted from the last one held, what a
suspension does to it, and where each accompaniment stands, told by the database."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intake.lifecycle import cadence, commands
from intake.lifecycle.base import MoveNotAllowed, MoveRefused
from intake.models import PARIS, Appointment, CadenceState, IntakeRequest, RequestLogEntry
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
State = CadenceState


def paris(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def now_is(monkeypatch):
    """Set the clock the lifecycle and the queryset read (timezone.now, hence localdate)."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def client(committing_client, client, team_member, settings):
    # The clock moves by months: the team member's session must outlast it.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    client.force_login(team_member)
    return committing_client


def session(intake_request, starts_at, status=Appointment.Status.BOOKED):
    return Appointment.objects.create(
        request=intake_request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        kind=Appointment.Kind.WORKING_SESSION,
        status=status,
        seat=None,
    )


def state_on(intake_request, today):
    return IntakeRequest.objects.with_cadence(today).get(pk=intake_request.pk).cadence_state


def window(intake_request):
    intake_request.refresh_from_db()
    return intake_request.next_session_from, intake_request.next_session_until


# The arithmetic


def test_the_window_counts_from_the_last_session_held():
    assert cadence.due_window(
        rhythm="regular",
        last_held_on=date(2027, 1, 15),
        started_on=date(2027, 1, 15),
        min_weeks=4,
        max_weeks=8,
    ) == cadence.Window(date(2027, 2, 12), date(2027, 3, 12))
    # Across the year's end, with a window of its own, pushed back by 10 days of suspension.
    assert cadence.due_window(
        rhythm="regular",
        last_held_on=date(2026, 12, 10),
        started_on=date(2026, 10, 1),
        min_weeks=2,
        max_weeks=3,
        suspended_days=10,
    ) == cadence.Window(date(2027, 1, 3), date(2027, 1, 10))


def test_a_held_one_off_has_nothing_due_and_a_first_session_is_due_at_once():
    assert (
        cadence.due_window(
            rhythm="one_off",
            last_held_on=date(2027, 1, 15),
            started_on=date(2027, 1, 15),
            min_weeks=4,
            max_weeks=8,
        )
        is None
    )
    assert cadence.due_window(
        rhythm="one_off", last_held_on=None, started_on=date(2027, 5, 3), min_weeks=4, max_weeks=8
    ) == cadence.Window(date(2027, 5, 3), date(2027, 6, 28))
    assert (
        cadence.due_window(
            rhythm="regular", last_held_on=None, started_on=None, min_weeks=4, max_weeks=8
        )
        is None
    )
    assert cadence.days_between(date(2027, 2, 1), date(2027, 4, 10)) == 68
    assert cadence.days_between(date(2027, 4, 10), date(2027, 2, 1)) == 0


# Through the lifecycle and the request page


@pytest.fixture
def accepted(now_is, team_member, committed):
    """A regular request, accepted on 4 January 2027."""
    now_is(paris(2027, 1, 4))
    submitted = intake_request(
        collectivite_name="Pamiers", rhythm="regular", status=Status.IN_REVIEW
    )
    return committed(commands.accept, submitted, by=team_member)


def hold(client, appointment):
    url = f"/admin/demandes/{appointment.request.pk}/rendez-vous/{appointment.pk}/tenu/"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302, response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HELD


def test_the_first_session_held_starts_the_cadence_and_the_states_follow(accepted, now_is, client):
    assert accepted.cadence == "regular"
    first = session(accepted, paris(2027, 1, 15))
    now_is(paris(2027, 1, 15, 16))
    hold(client, first)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.started_on, accepted.last_session_on) == (
        Status.IN_PROGRESS,
        date(2027, 1, 15),
        date(2027, 1, 15),
    )
    assert window(accepted) == (date(2027, 2, 12), date(2027, 3, 12))
    assert state_on(accepted, date(2027, 2, 11)) == State.ON_TIME
    assert state_on(accepted, date(2027, 2, 12)) == State.TO_PLAN
    assert state_on(accepted, date(2027, 3, 12)) == State.TO_PLAN
    assert state_on(accepted, date(2027, 3, 13)) == State.LATE
    due = IntakeRequest.objects.cadence_due
    assert list(due(date(2027, 2, 11))) == []
    assert list(due(date(2027, 3, 13))) == [accepted]

    # A session booked from that day on: planned. One left booked in the past does not count.
    session(accepted, paris(2027, 3, 1))
    assert state_on(accepted, date(2027, 3, 13)) == State.LATE
    booked = session(accepted, paris(2027, 3, 20, 14))
    assert state_on(accepted, date(2027, 3, 13)) == State.SCHEDULED
    assert state_on(accepted, date(2027, 3, 20)) == State.SCHEDULED
    standing = IntakeRequest.objects.with_cadence(date(2027, 3, 13)).get(pk=accepted.pk)
    assert standing.next_session_at == booked.starts_at
    assert standing.next_on == date(2027, 3, 20)
    assert list(due(date(2027, 3, 13))) == []

    # Held: the window counts from it, across the months.
    now_is(paris(2027, 3, 20, 16))
    hold(client, booked)
    assert window(accepted) == (date(2027, 4, 17), date(2027, 5, 15))
    html = client.get(f"/admin/demandes/{accepted.pk}/").content.decode()
    assert "Régulier : de 4 à 8 semaines après la dernière séance" in html
    assert "Du 17 avril 2027 au 15 mai 2027" in html
    assert "20 mars 2027" in html


def test_the_team_changes_the_rhythm_from_the_request_page(accepted, now_is, client):
    held = session(accepted, paris(2027, 1, 15), Appointment.Status.HELD)
    accepted.last_session_on = timezone.localdate(held.starts_at)
    accepted.status = Status.IN_PROGRESS
    accepted.save()
    now_is(paris(2027, 1, 20))
    page = f"/admin/demandes/{accepted.pk}/"
    response = client.post(
        page, {"action": "cadence", "rhythm": "regular", "min_weeks": "2", "max_weeks": "3"}
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.cadence_min_weeks, accepted.cadence_max_weeks) == (2, 3)
    assert window(accepted) == (date(2027, 1, 29), date(2027, 2, 5))
    entry = RequestLogEntry.objects.for_instance(accepted).get(action="intake.cadence_changed")
    assert entry.data == {
        "rhythm": "regular",
        "min_weeks": 2,
        "max_weeks": 3,
        "detail": "régulier, de 2 à 3 semaines après la dernière séance",
    }

    # One-off: its session is held, nothing is due.
    response = client.post(
        page, {"action": "cadence", "rhythm": "one_off", "min_weeks": "2", "max_weeks": "3"}
    )
    assert response.status_code == 302
    assert window(accepted) == (None, None)
    assert state_on(accepted, date(2027, 12, 31)) == State.ON_TIME
    assert "Aucune séance à prévoir" in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        (
            {"min_weeks": "9", "max_weeks": "8"},
            "max_weeks",
            "Le délai au plus tard doit être supérieur ou égal au délai au plus tôt.",
        ),
        ({"min_weeks": "0", "max_weeks": "8"}, "min_weeks", "Comptez au moins 1 semaine."),
        ({"min_weeks": "4", "max_weeks": "53"}, "max_weeks", "Comptez au plus 52 semaines."),
        (
            {"min_weeks": "quatre", "max_weeks": "8"},
            "min_weeks",
            "Indiquez un nombre entier de semaines.",
        ),
        ({"min_weeks": "", "max_weeks": "8"}, "min_weeks", "Indiquez un nombre de semaines."),
        (
            {"rhythm": "", "min_weeks": "4", "max_weeks": "8"},
            "rhythm",
            "Choisissez le rythme de l'accompagnement.",
        ),
    ],
)
def test_a_wrong_rhythm_is_said_at_its_field(accepted, client, fields, field, error):
    response = client.post(
        f"/admin/demandes/{accepted.pk}/", {"action": "cadence", "rhythm": "regular", **fields}
    )
    assert response.status_code == 400
    form = response.context["forms"]["cadence"]
    assert form.errors[field] == [error]
    assert error.replace("'", "&#x27;") in response.content.decode()
    accepted.refresh_from_db()
    assert (accepted.cadence_min_weeks, accepted.cadence_max_weeks) == (4, 8)


def test_the_command_guards_the_rhythm(accepted, team_member):
    with pytest.raises(MoveRefused, match="supérieur ou égal"):
        commands.set_cadence(accepted, by=team_member, rhythm="regular", min_weeks=6, max_weeks=5)
    with pytest.raises(MoveRefused, match="de 1 à 52 semaines"):
        commands.set_cadence(accepted, by=team_member, rhythm="regular", min_weeks=0, max_weeks=5)
    with pytest.raises(MoveRefused, match="Choisissez le rythme"):
        commands.set_cadence(accepted, by=team_member, rhythm="weekly", min_weeks=1, max_weeks=5)
    IntakeRequest.objects.filter(pk=accepted.pk).update(status=Status.SUBMITTED)
    with pytest.raises(MoveNotAllowed):
        commands.set_cadence(accepted, by=team_member, rhythm="regular", min_weeks=1, max_weeks=5)


def test_a_one_off_wish_is_the_default_rhythm(now_is, team_member, committed):
    now_is(paris(2027, 1, 4))
    wished = intake_request(rhythm="one_off", status=Status.IN_REVIEW)
    assert committed(commands.accept, wished, by=team_member).cadence == "one_off"


# Suspension


def test_a_suspension_stops_the_clock_and_the_window_shifts_by_its_days(
    accepted, now_is, client, team_member
):
    held = session(accepted, paris(2027, 1, 15))
    now_is(paris(2027, 1, 15, 16))
    hold(client, held)
    booked = session(accepted, paris(2027, 2, 20, 14))
    mail.outbox.clear()

    now_is(paris(2027, 2, 1))
    response = client.post(
        f"/admin/demandes/{accepted.pk}/suspend/",
        {
            "reason": "Élections municipales en mars",
            "subject": "Votre accompagnement est suspendu",
            "message": "Nous reprendrons après les élections.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    accepted.refresh_from_db()
    assert (accepted.status, accepted.suspended_on) == (Status.SUSPENDED, date(2027, 2, 1))
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_TEAM
    assert [email.subject for email in mail.outbox if not email.attachments] == [
        "Votre accompagnement est suspendu"
    ]
    # Suspended, it is never late, and nothing can be booked.
    assert state_on(accepted, date(2027, 4, 1)) == State.SUSPENDED
    assert list(IntakeRequest.objects.cadence_due(date(2027, 4, 1))) == []
    with pytest.raises(MoveNotAllowed, match="L'accompagnement est suspendu"):
        commands.team_books(
            accepted, by=team_member, starts_at=paris(2027, 3, 1), minutes=60, hosts=[team_member]
        )
    page = client.get(f"/admin/demandes/{accepted.pk}/").content.decode()
    assert f"/admin/demandes/{accepted.pk}/rendez-vous/nouveau/" not in page
    assert "Suspendu depuis le 1 février 2027" in page
    assert "Reprendre l&#x27;accompagnement" in page
    schedule = client.get(f"/admin/demandes/{accepted.pk}/rendez-vous/nouveau/")
    assert "Cette action n'est plus possible" in schedule.content.decode()

    # Resumed 68 days later: the window of 12 February – 12 March moves as many days.
    now_is(paris(2027, 4, 10))
    response = client.post(
        f"/admin/demandes/{accepted.pk}/resume_accompaniment/", {"confirm": "on"}
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.status, accepted.suspended_on, accepted.suspended_days) == (
        Status.IN_PROGRESS,
        None,
        68,
    )
    assert window(accepted) == (date(2027, 4, 21), date(2027, 5, 19))
    assert state_on(accepted, date(2027, 4, 20)) == State.ON_TIME
    assert state_on(accepted, date(2027, 5, 20)) == State.LATE
    actions = list(
        RequestLogEntry.objects.for_instance(accepted)
        .filter(action__in=["intake.suspend", "intake.resume_accompaniment"])
        .order_by("pk")
        .values_list("action", "data")
    )
    assert actions == [
        ("intake.suspend", {"detail": "Élections municipales en mars"}),
        ("intake.resume_accompaniment", {}),
    ]

    # A second suspension adds up, until a session is held.
    now_is(paris(2027, 5, 1))
    commands.suspend(accepted, by=team_member, reason="Budget", message="À bientôt.")
    now_is(paris(2027, 5, 11))
    commands.resume_accompaniment(accepted, by=team_member)
    assert window(accepted) == (date(2027, 5, 1), date(2027, 5, 29))
    later = session(accepted, paris(2027, 5, 20))
    now_is(paris(2027, 5, 20, 16))
    hold(client, later)
    accepted.refresh_from_db()
    assert accepted.suspended_days == 0
    assert window(accepted) == (date(2027, 6, 17), date(2027, 7, 15))


def test_the_applicant_books_nothing_while_suspended(accepted, team_member):
    IntakeRequest.objects.filter(pk=accepted.pk).update(status=Status.SUSPENDED)
    with pytest.raises(MoveNotAllowed):
        commands.applicant_books(accepted, starts_at=paris(2027, 3, 1, 14))
    assert not accepted.appointments.exists()
