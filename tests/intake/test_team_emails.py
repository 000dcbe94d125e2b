"""The team's emails name the contact and the needs; a moved appointment gives the old and
the new time, to the applicant and to the team. Every changed email is valid HTML."""

import uuid

import pytest

from home.typography import french_when
from intake import booking
from intake.booking import slot_label
from intake.lifecycle import commands, contacts
from tests.html_validity import assert_valid_html
from tests.intake.conftest import sent_to

pytestmark = pytest.mark.django_db

APPLICANT = "camille@example.fr"
TEAM = "equipe@example.fr"
CONTACT_LINE = (
    "Contact : Camille Martin, Adjointe (Élu ou élue) — camille@example.fr, 01 23 45 67 89"
)


@pytest.fixture(autouse=True)
def team_address(settings):
    settings.TEAM_NOTIFICATION_EMAIL = TEAM


@pytest.fixture
def two_needs(request_fields):
    return {**request_fields, "needs": ["strategy", "funding"]}


def html_of(message):
    [(content, _mimetype)] = message.alternatives
    return content


def test_the_new_request_notice_names_the_contact_and_the_needs(committed, two_needs):
    committed(commands.submit, two_needs, submission_key=uuid.uuid4())
    [notice] = sent_to(TEAM)
    assert (
        f"{CONTACT_LINE}\n"
        "Besoins :\n"
        "- Vos axes stratégiques en matière de démocratie participative\n"
        "- Les pistes de financement\n"
    ) in notice.body
    html = html_of(notice)
    assert "<li>Les pistes de financement</li>" in html
    assert '<a href="mailto:camille@example.fr">camille@example.fr</a>' in html
    assert_valid_html({"team notification": html})


def test_the_applicant_message_notice_names_the_contact_and_the_needs(
    committed, two_needs, fresnes
):
    submission = committed(commands.submit, two_needs, submission_key=uuid.uuid4())
    committed(
        commands.applicant_writes, submission.intake_request, body="Une question sur la date."
    )
    notice = sent_to(TEAM)[-1]
    assert notice.body.startswith(
        f"Camille Martin ({fresnes}) a écrit au sujet de la demande "
        f"{submission.intake_request.reference} :\n\nUne question sur la date.\n\n{CONTACT_LINE}\n"
    )
    assert "- Les pistes de financement" in notice.body
    assert_valid_html({"team message": html_of(notice)})


@pytest.fixture
def booked(committed, request_fields, first_slot):
    submission = committed(
        commands.submit, request_fields, submission_key=uuid.uuid4(), slot=first_slot
    )
    later = next(s for s in booking.available_slots() if s.starts_at != first_slot.starts_at)
    return submission.intake_request, first_slot.starts_at, later.starts_at


def test_an_appointment_moved_by_the_applicant_gives_both_times(committed, booked):
    request, before, after = booked
    committed(commands.applicant_books, request, starts_at=after)
    applicant = sent_to(APPLICANT)[-1]
    assert (
        f"Votre rendez-vous (premier échange) du {slot_label(before)} est déplacé au "
        f"{slot_label(after)} (heure de Paris). L'invitation mise à jour est jointe."
    ) in applicant.body
    team = sent_to(TEAM)[-1]
    assert (
        f"{request.collectivite_label} a déplacé son rendez-vous du "
        f"{french_when(before, 'l j F Y')} au {french_when(after, 'l j F Y')} (heure de Paris)."
    ) in team.body
    assert_valid_html(
        {"appointment moved": html_of(applicant), "team appointment moved": html_of(team)}
    )


def test_an_appointment_moved_by_the_team_gives_both_times(committed, booked, team_member):
    request, before, after = booked
    appointment = request.appointments.get()
    committed(
        commands.reschedule,
        appointment,
        by=team_member,
        starts_at=after,
        message="Un empêchement de notre côté.",
    )
    [applicant] = sent_to(APPLICANT)[-1:]
    assert (
        f"Votre rendez-vous (premier échange) du {slot_label(before)} est déplacé au "
        f"{slot_label(after)} (heure de Paris)."
    ) in applicant.body


def test_the_corrected_email_message_is_valid(
    django_capture_on_commit_callbacks, booked, team_member
):
    request, _before, _after = booked
    details = {field: getattr(request, field) for field in contacts.CONTACT_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        contacts.correct_contact(request, by=team_member, **{**details, "email": "c@example.fr"})
    [email] = sent_to("c@example.fr")
    assert_valid_html({"email corrected": html_of(email)})
