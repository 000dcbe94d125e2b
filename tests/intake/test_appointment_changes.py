"""Appointment changes with words: the team's word on a move or a cancellation, a new slot
offered after an absence, a changed video link said as such, closures of part of a day, and
the appointments of a closure moved or cancelled together with one message."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intake import booking, selectors
from intake.booking import PARIS, available_slots
from intake.errors import DomainError
from intake.lifecycle import commands
from intake.models import (
    Appointment,
    Closure,
    IntakeRequest,
    OpeningRule,
    RequestLogEntry,
    RequestMessage,
)
from tests.html_validity import assert_valid_html
from tests.intake.conftest import invitation, sent_to
from tests.intake.factories import intake_request, status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
MONDAY = date(2026, 12, 7)


def accepted(email):
    return intake_request(status=Status.ACCEPTED, email=email, decided_at=timezone.now())


def actions(intake):
    return [
        entry.action
        for entry in RequestLogEntry.objects.for_instance(intake).order_by("timestamp", "pk")
    ]


@pytest.fixture
def booked(team_member, committed):
    intake = accepted("camille@example.fr")
    appointment = commands.team_books(
        intake, by=team_member, starts_at=available_slots()[0].starts_at
    )
    mail.outbox.clear()
    return appointment


def test_a_move_carries_the_teams_word_to_the_applicant_and_the_thread(
    booked, team_member, committed
):
    later = available_slots()[1].starts_at
    with pytest.raises(DomainError, match="Écrivez un mot à la collectivité."):
        commands.reschedule(booked, by=team_member, starts_at=later, message="  ")
    booked.refresh_from_db()
    assert booked.ics_sequence == 0 and mail.outbox == []
    committed(
        commands.reschedule,
        booked,
        by=team_member,
        starts_at=later,
        message="Le conseil municipal a été avancé.",
    )
    [email] = sent_to("camille@example.fr")
    assert (
        email.body.startswith("Bonjour Camille Martin")
        and "Le conseil municipal a été avancé.\n\nVotre rendez-vous" in email.body
    )
    assert "Le conseil municipal a été avancé." in email.alternatives[0][0]
    [word] = booked.request.messages.all()
    assert (word.author, word.sender, word.body) == (
        RequestMessage.Author.TEAM,
        team_member,
        "Le conseil municipal a été avancé.",
    )


def test_a_cancellation_by_the_team_asks_for_a_word_the_applicants_does_not(
    booked, team_member, committed
):
    with pytest.raises(DomainError):
        commands.cancel_appointment(booked, by=team_member, message="")
    assert Appointment.objects.get(pk=booked.pk).status == Appointment.Status.BOOKED
    committed(commands.cancel_appointment, booked, by=team_member, message="Nous vous rappelons.")
    [email] = sent_to("camille@example.fr")
    assert "Nous vous rappelons." in email.body and invitation(email)[1] == "CANCEL"
    other = accepted("dominique@example.fr")
    mine = commands.applicant_books(other, starts_at=available_slots()[0].starts_at)
    mail.outbox.clear()
    committed(commands.cancel_appointment, mine)
    assert not other.messages.exists()
    assert Appointment.objects.get(pk=mine.pk).status == Appointment.Status.CANCELLED_BY_APPLICANT


def test_a_new_video_link_is_said_as_such_and_the_same_one_sends_nothing(
    booked, team_member, committed
):
    committed(commands.confirm_appointment, booked, by=team_member, video_link="https://a.fr/1")
    [confirmed] = sent_to("camille@example.fr")
    assert confirmed.subject.startswith("Rendez-vous confirmé")
    mail.outbox.clear()
    committed(commands.confirm_appointment, booked, by=team_member, video_link="https://a.fr/1")
    assert mail.outbox == []
    assert actions(booked.request).count("intake.appointment_confirmed") == 1
    committed(commands.confirm_appointment, booked, by=team_member, video_link="https://a.fr/2")
    [changed] = sent_to("camille@example.fr")
    reference = booked.request.reference
    assert changed.subject == f"Nouveau lien de visioconférence — demande {reference}"
    assert "Le lien de la visioconférence de votre rendez-vous" in changed.body
    assert "https://a.fr/2" in changed.body and "confirme" not in changed.body
    assert "https://a.fr/2" in invitation(changed)[0].replace("\r\n ", "")
    assert actions(booked.request)[-1] == "intake.appointment_link_changed"


def test_an_absence_offers_a_new_slot(booked, team_member, committed, client):
    Appointment.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    committed(commands.record_outcome, booked, by=team_member, held=False)
    [email] = sent_to("camille@example.fr")
    assert email.subject == (
        f"Rendez-vous manqué — choisissez un autre créneau (demande {booked.request.reference})"
    )
    assert "choisissez un autre créneau depuis votre page de suivi" in email.body
    assert "/suivi/" in email.body
    page = client.get(status_link(booked.request)).content.decode()
    assert 'name="slot-slot"' in page or 'name="slot"' in page


def test_a_held_session_sends_no_absence_email(booked, team_member, committed):
    Appointment.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    committed(commands.record_outcome, booked, by=team_member, held=True)
    assert mail.outbox == []


def rule():
    return OpeningRule(weekday=0, start_time=time(14), end_time=time(17), slot_minutes=30, seats=1)


def day_slots(closures):
    start = datetime.combine(MONDAY, time.min, tzinfo=PARIS)
    slots = booking.slots_between([rule()], closures, {}, start, start + timedelta(days=1))
    return [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots]


@pytest.mark.parametrize(
    ("start_time", "end_time", "left"),
    [
        (None, None, []),
        (time(15), None, ["14:00", "14:30"]),
        (None, time(15), ["15:00", "15:30", "16:00", "16:30"]),
        (time(14, 45), time(15, 15), ["14:00", "15:30", "16:00", "16:30"]),
        (time(17), None, ["14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]),
    ],
)
def test_a_closure_can_cover_part_of_a_day(start_time, end_time, left):
    closure = Closure(start_date=MONDAY, end_date=MONDAY, start_time=start_time, end_time=end_time)
    assert day_slots([closure]) == left


def test_a_closure_from_one_afternoon_to_the_next_mornings_end():
    closure = Closure(
        start_date=MONDAY - timedelta(days=7),
        start_time=time(15),
        end_date=MONDAY,
        end_time=time(15),
    )
    assert day_slots([closure]) == ["15:00", "15:30", "16:00", "16:30"]
    assert str(closure) == "du 30 novembre 2026 au 7 décembre 2026, de 15\u00a0h à 15\u00a0h"


def test_a_closure_must_end_after_it_starts():
    same_day = Closure(start_date=MONDAY, end_date=MONDAY, start_time=time(15), end_time=time(14))
    with pytest.raises(Exception, match="La fermeture doit finir après son début."):
        same_day.full_clean()
    Closure(start_date=MONDAY, end_date=MONDAY, start_time=time(14), end_time=time(15)).full_clean()


def test_a_partial_closure_lists_only_the_appointments_it_touches(team_member):
    slots = available_slots()
    first, second = slots[0], slots[1]
    day = timezone.localtime(first.starts_at).date()
    a = commands.team_books(accepted("a@example.fr"), by=team_member, starts_at=first.starts_at)
    commands.team_books(accepted("b@example.fr"), by=team_member, starts_at=second.starts_at)
    closure = Closure.objects.create(
        start_date=day,
        end_date=day,
        end_time=timezone.localtime(second.starts_at).time(),
    )
    assert list(selectors.appointments_during(closure)) == [a]
    assert booking.permanence_is_open([rule()], at=second.starts_at) == (
        timezone.localtime(second.starts_at).weekday() == 0
    )
    assert not booking.permanence_is_open([rule()], at=first.starts_at)


def test_a_closures_appointments_move_or_cancel_together_with_one_message(team_member, committed):
    slots = available_slots()
    a = commands.team_books(accepted("a@example.fr"), by=team_member, starts_at=slots[0].starts_at)
    b = commands.team_books(accepted("b@example.fr"), by=team_member, starts_at=slots[1].starts_at)
    mail.outbox.clear()
    day = timezone.localtime(slots[0].starts_at).date()
    closure = Closure.objects.create(start_date=day, end_date=day)
    later = next(s for s in available_slots() if timezone.localtime(s.starts_at).date() > day)
    word = "Notre équipe est en séminaire."
    count = committed(
        commands.resolve_closure,
        closure,
        by=team_member,
        message=word,
        new_starts={a: later.starts_at, b: None},
    )
    assert count == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.starts_at) == (Appointment.Status.BOOKED, later.starts_at)
    assert b.status == Appointment.Status.CANCELLED_BY_TEAM
    [moved] = sent_to("a@example.fr")
    [cancelled] = sent_to("b@example.fr")
    assert word in moved.body and word in cancelled.body
    assert invitation(moved)[1] == "REQUEST" and invitation(cancelled)[1] == "CANCEL"


def test_a_closures_appointments_all_stay_when_one_cannot_move(team_member, committed):
    slots = available_slots()
    a = commands.team_books(accepted("a@example.fr"), by=team_member, starts_at=slots[0].starts_at)
    b = commands.team_books(accepted("b@example.fr"), by=team_member, starts_at=slots[1].starts_at)
    mail.outbox.clear()
    closure = Closure.objects.create(start_date=MONDAY, end_date=MONDAY)
    with pytest.raises(booking.SlotUnavailable):
        # b's new slot is a's: taken, so a's cancellation is undone too.
        commands.resolve_closure(
            closure,
            by=team_member,
            message="Séminaire.",
            new_starts={b: None, a: slots[1].starts_at},
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.starts_at) == (Appointment.Status.BOOKED, slots[0].starts_at)
    assert b.status == Appointment.Status.BOOKED
    assert not RequestMessage.objects.exists()
    assert mail.outbox == []


def test_only_the_team_resolves_a_closure(editor, team_member):
    closure = Closure.objects.create(start_date=MONDAY, end_date=MONDAY)
    with pytest.raises(DomainError):
        commands.resolve_closure(closure, by=editor, message="x", new_starts={})


def test_the_new_emails_are_valid_html(booked, team_member, committed):
    committed(commands.confirm_appointment, booked, by=team_member, video_link="https://a.fr/1")
    committed(commands.confirm_appointment, booked, by=team_member, video_link="https://a.fr/2")
    later = available_slots()[1].starts_at
    committed(
        commands.reschedule, booked, by=team_member, starts_at=later, message="Un mot <b>ici</b>."
    )
    Appointment.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    committed(commands.record_outcome, booked, by=team_member, held=False)
    documents = {email.subject: email.alternatives[0][0] for email in mail.outbox}
    assert len(documents) == 4
    assert "Un mot &lt;b&gt;ici&lt;/b&gt;." in "".join(documents.values())
    assert_valid_html(documents)
