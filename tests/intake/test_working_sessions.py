"""Working sessions: scheduled from the request page of an accepted or ongoing request, in a
slot of the permanence or at any time the team chooses (no seat taken), held by team members
who each receive the invitation; a session clashes only with its hosts' other appointments."""

import re
from datetime import datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from home.typography import french_when
from intake import booking, selectors
from intake.booking import HostBusy
from intake.fields import slot_value
from intake.lifecycle import commands
from intake.lifecycle.base import MoveNotAllowed
from intake.models import PARIS, Appointment, Closure, IntakeRequest, RequestLogEntry
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
LINK = "https://webconf.numerique.gouv.fr/te-seance"


@pytest.fixture
def client(committing_client, client, team_member):
    client.force_login(team_member)
    return committing_client


@pytest.fixture
def accepted(db):
    return intake_request(
        collectivite_name="Lavaur",
        status=Status.ACCEPTED,
        decided_at=timezone.now(),
        email="dominique.roux@example.fr",
    )


def next_weekday(weekday, at):
    """The next such weekday, at least a week ahead, at ``at`` in Paris."""
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=PARIS)


def book(intake_request, host, starts_at, minutes):
    """A working session at another time than the permanence, held by ``host`` alone."""
    return commands.team_books(
        intake_request, by=host, starts_at=starts_at, minutes=minutes, hosts=[host]
    )


def schedule_url(intake_request):
    return f"/admin/demandes/{intake_request.pk}/rendez-vous/nouveau/"


def other_time(starts_at, minutes=90, hosts=(), **fields):
    local = starts_at.astimezone(PARIS)
    return {
        "kind": "working_session",
        "place": "autre",
        "day": local.date().isoformat(),
        "at": local.strftime("%H:%M"),
        "minutes": str(minutes),
        "hosts": [host.pk for host in hosts],
        **fields,
    }


def calendar_of(email):
    [(_name, content, _mimetype)] = email.attachments
    return icalendar.Calendar.from_ical(content).walk("VEVENT")[0]


def attendees(event):
    found = event.get("ATTENDEE", [])
    return [str(found)] if isinstance(found, str) else [str(attendee) for attendee in found]


def test_a_session_at_another_time_invites_the_applicant_and_each_host(
    client, accepted, team_member, other_team_member
):
    tuesday = next_weekday(1, time(10, 0))
    response = client.post(
        schedule_url(accepted),
        other_time(tuesday, hosts=[team_member, other_team_member], video_link=LINK),
    )
    assert response.status_code == 302
    session = accepted.appointments.get()
    assert (session.kind, session.seat, session.starts_at, session.ends_at) == (
        Appointment.Kind.WORKING_SESSION,
        None,
        tuesday,
        tuesday + timedelta(minutes=90),
    )
    assert set(session.hosts.all()) == {team_member, other_team_member}
    assert session.video_link == LINK and session.confirmed_at is not None
    entry = RequestLogEntry.objects.for_instance(accepted).get(action="intake.appointment_booked")
    assert entry.data["hosts"] == sorted([team_member.pk, other_team_member.pk])

    # The applicant's invitation names nobody's address but theirs.
    [to_applicant] = sent_to("dominique.roux@example.fr")
    event = calendar_of(to_applicant)
    assert attendees(event) == ["mailto:dominique.roux@example.fr"]
    assert "camille.agent@example.org" not in to_applicant.body + str(to_applicant.attachments)
    # Each host gets the same event (same UID) in their own calendar, linking to the request.
    uid = f"{session.ics_uid}@territoires-engagement"
    assert str(event["UID"]) == uid
    for member in (team_member, other_team_member):
        [invitation] = sent_to(member.email)
        when = booking.slot_label(tuesday).replace("\xa0", " ")  # subjects on one line
        assert invitation.subject == f"Séance de travail — Lavaur ({accepted.reference}), {when}"
        member_event = calendar_of(invitation)
        assert str(member_event["UID"]) == uid
        assert attendees(member_event) == [
            "mailto:camille.agent@example.org",
            "mailto:dominique.agent@example.org",
        ]
        assert f"/admin/demandes/{accepted.pk}/" in str(member_event["URL"])
        assert "/suivi/" not in invitation.body + str(invitation.attachments)
        assert "Avec : Camille Agent, Dominique Agent" in invitation.body
        assert f"Visioconférence : {LINK}" in invitation.body
        assert "jusqu'à 11\xa0h\xa030 (heure de Paris)" in invitation.body

    page = client.get(f"/admin/demandes/{accepted.pk}/").content.decode()
    assert "Tenu par Camille Agent, Dominique Agent · hors permanence" in page


def test_a_session_outside_the_permanence_takes_no_seat(accepted, team_member, first_slot):
    seats_before = next(s for s in booking.available_slots() if s.starts_at == first_slot.starts_at)
    book(accepted, team_member, first_slot.starts_at, 30)
    seats_after = next(s for s in booking.available_slots() if s.starts_at == first_slot.starts_at)
    assert seats_after.seats_left == seats_before.seats_left
    # Nor does a closure of the permanence take it.
    closure = Closure.objects.create(
        start_date=timezone.localdate(first_slot.starts_at),
        end_date=timezone.localdate(first_slot.starts_at),
    )
    assert list(selectors.appointments_during(closure)) == []


def test_a_session_in_a_slot_takes_a_seat(accepted, team_member, first_slot):
    session = commands.team_books(
        accepted, by=team_member, starts_at=first_slot.starts_at, hosts=[team_member]
    )
    assert (session.seat, session.in_permanence) == (1, True)
    assert list(session.hosts.all()) == [team_member]


def test_a_host_cannot_hold_two_sessions_at_once(client, accepted, team_member, other_team_member):
    tuesday = next_weekday(1, time(10, 0))
    book(accepted, team_member, tuesday, 90)
    other = intake_request(
        collectivite_name="Pamiers", status=Status.IN_PROGRESS, decided_at=timezone.now()
    )
    mail.outbox.clear()
    response = client.post(
        schedule_url(other),
        other_time(tuesday + timedelta(minutes=60), minutes=60, hosts=[team_member]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f"Camille Agent tient déjà un rendez-vous le {french_when(tuesday, 'l j F Y')}"
        "–11\xa0h\xa030 "
        f"({accepted.reference}, Lavaur) : choisissez un autre moment ou une autre personne."
    ).replace("'", "&#x27;") in html
    assert not other.appointments.exists()
    assert mail.outbox == []
    # What was typed is kept.
    assert 'value="11:00"' in html
    # Right after it, or held by someone else, it is free.
    book(other, team_member, tuesday + timedelta(minutes=90), 30)
    commands.team_books(
        other, by=team_member, starts_at=tuesday, minutes=60, hosts=[other_team_member]
    )
    assert other.appointments.count() == 2


def test_a_clash_counts_in_the_permanence_too(accepted, team_member, first_slot):
    book(accepted, team_member, first_slot.starts_at, 45)
    other = intake_request(status=Status.ACCEPTED, decided_at=timezone.now())
    with pytest.raises(HostBusy):
        commands.team_books(
            other, by=team_member, starts_at=first_slot.starts_at, hosts=[team_member]
        )
    assert not other.appointments.exists()


def test_a_cancelled_session_clashes_no_more(accepted, team_member):
    tuesday = next_weekday(1, time(10, 0))
    session = book(accepted, team_member, tuesday, 60)
    commands.cancel_appointment(session, by=team_member, message="Reportée.")
    again = book(accepted, team_member, tuesday, 60)
    assert again.status == Appointment.Status.BOOKED


def test_moving_a_held_slot_checks_its_hosts(accepted, team_member, first_slot):
    slots = booking.available_slots()
    second = next(s for s in slots if s.starts_at > first_slot.starts_at + timedelta(hours=1))
    in_slot = commands.team_books(
        accepted, by=team_member, starts_at=first_slot.starts_at, hosts=[team_member]
    )
    other = intake_request(status=Status.ACCEPTED, decided_at=timezone.now())
    book(other, team_member, second.starts_at, 30)
    with pytest.raises(HostBusy):
        commands.reschedule(in_slot, by=team_member, starts_at=second.starts_at, message="Déplacé.")
    in_slot.refresh_from_db()
    assert in_slot.starts_at == first_slot.starts_at


def test_a_cancelled_session_reaches_each_host(committed, accepted, team_member):
    tuesday = next_weekday(1, time(10, 0))
    session = committed(book, accepted, team_member, tuesday, 60)
    mail.outbox.clear()
    committed(commands.cancel_appointment, session, by=team_member, message="Reportée.")
    [cancelled] = sent_to(team_member.email)
    assert cancelled.subject.startswith("Annulé : Séance de travail — Lavaur")
    assert str(icalendar.Calendar.from_ical(cancelled.attachments[0][1])["METHOD"]) == "CANCEL"


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"day": "", "at": ""}, "day", "Indiquez le jour de la séance."),
        ({"day": "", "at": ""}, "at", "Indiquez l&#x27;heure de début."),
        ({"minutes": ""}, "minutes", "Indiquez la durée de la séance."),
        ({"minutes": "10"}, "minutes", "Une séance dure au moins 15 minutes."),
        ({"minutes": "600"}, "minutes", "Une séance dure au plus 8 heures (480 minutes)."),
        ({"hosts": []}, "hosts", "Choisissez qui tient la séance."),
        ({"kind": "first_exchange"}, "place", "Un premier échange se tient dans un créneau"),
        ({"day": "2020-01-07"}, "day", "Choisissez un moment à venir."),
        ({"video_link": "pas une adresse"}, "video_link", "Saisissez une adresse complète"),
    ],
)
def test_bad_input_is_said_at_its_field(client, accepted, team_member, fields, field, error):
    data = {**other_time(next_weekday(1, time(10, 0)), hosts=[team_member]), **fields}
    response = client.post(schedule_url(accepted), data)
    assert response.status_code == 400
    assert error in str(response.context["form"].errors.get(field, "")).replace("'", "&#x27;")
    assert not accepted.appointments.exists()


def test_the_permanence_needs_its_slot(client, accepted, team_member, first_slot):
    response = client.post(
        schedule_url(accepted),
        {"kind": "working_session", "place": "permanence", "hosts": [team_member.pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["slot"] == ["Choisissez un créneau."]
    response = client.post(
        schedule_url(accepted),
        {
            "kind": "working_session",
            "place": "permanence",
            "slot": slot_value(first_slot),
            "hosts": [team_member.pk],
        },
    )
    assert response.status_code == 302
    assert accepted.appointments.get().seat == 1


def test_before_acceptance_only_the_first_exchange_is_offered(client, team_member, first_slot):
    new = intake_request()
    html = client.get(schedule_url(new)).content.decode()
    kind = re.search(r'<select name="kind".*?</select>', html, re.S)[0]
    assert "Premier échange" in kind and "Séance de travail" not in kind
    assert 'value="' + str(team_member.pk) + '"' in html and "checked" in html  # me, by default
    with pytest.raises(MoveNotAllowed) as refused:
        commands.team_books(new, by=team_member, starts_at=first_slot.starts_at)
    assert str(refused.value) == (
        "Une séance de travail se planifie pour une demande acceptée ou accompagnée."
    )


def test_a_session_at_another_time_moves_with_its_length(accepted, team_member, committed):
    tuesday = next_weekday(1, time(10, 0))
    session = committed(book, accepted, team_member, tuesday, 90)
    mail.outbox.clear()
    thursday = tuesday + timedelta(days=2, hours=4)
    committed(commands.reschedule, session, by=team_member, starts_at=thursday, message="Décalée.")
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.seat, session.ics_sequence) == (
        thursday,
        thursday + timedelta(minutes=90),
        None,
        1,
    )
    [moved] = sent_to(team_member.email)
    assert moved.subject.startswith("Déplacé : Séance de travail — Lavaur")
    assert f"est déplacé au {booking.slot_label(thursday)}, jusqu'à 15\xa0h\xa030" in moved.body


def test_the_move_form_of_a_session_at_another_time_asks_a_day_and_time(
    client, accepted, team_member
):
    tuesday = next_weekday(1, time(10, 0))
    session = book(accepted, team_member, tuesday, 45)
    url = f"/admin/demandes/{accepted.pk}/rendez-vous/{session.pk}/deplacer/"
    form = client.get(url).context["form"]
    assert list(form.fields) == ["day", "at", "message"]
    assert (form["day"].value(), form["at"].value()) == (tuesday.date(), time(10, 0))
    response = client.post(url, {"day": "2020-01-07", "at": "10:00", "message": "Décalée."})
    assert response.context["form"].errors["day"] == ["Choisissez un moment à venir."]
    wednesday = tuesday + timedelta(days=1, hours=4)
    response = client.post(
        url, {"day": wednesday.date().isoformat(), "at": "14:00", "message": "Décalée."}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (wednesday, wednesday + timedelta(minutes=45))


def test_the_status_page_lists_every_coming_appointment(client, accepted, team_member):
    tuesday = next_weekday(1, time(10, 0))
    first = book(accepted, team_member, tuesday, 60)
    later = commands.team_books(
        accepted,
        by=team_member,
        starts_at=tuesday + timedelta(weeks=6),
        minutes=90,
        hosts=[team_member],
        video_link=LINK,
    )
    link = status_link(accepted)
    client.logout()
    html = client.get(link).content.decode()
    assert f"{booking.slot_label(first.starts_at)} à 11\xa0h (heure de Paris)" in html
    assert (
        f"Séance de travail : {booking.slot_label(later.starts_at)} à 11\xa0h\xa030 "
        "(heure de Paris), en visioconférence."
    ) in html
    assert f'href="{LINK}"' in html
    ics = client.get(f"{link}rendez-vous/{later.pk}.ics")
    assert ics.status_code == 200
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{later.ics_uid}@territoires-engagement"
    assert "camille.agent@example.org" not in ics.content.decode()
    # Another request's appointment, or a cancelled one: not found.
    other = intake_request(status=Status.ACCEPTED, decided_at=timezone.now())
    assert client.get(f"{status_link(other)}rendez-vous/{later.pk}.ics").status_code == 404
    commands.cancel_appointment(later, by=team_member, message="Annulée.")
    assert client.get(f"{link}rendez-vous/{later.pk}.ics").status_code == 404
