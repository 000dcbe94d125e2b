"""The request lifecycle: every move of the status graph, from every status, with its side
effects (audit-log entry, emails, freed slot, applicant timeline), and every refusal."""

import html
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from home.models import Partner
from intake.booking import PARIS, available_slots, slot_label
from intake.lifecycle import commands, history
from intake.lifecycle.moves import (
    LOG_ACTIONS,
    MESSAGE,
    MOVES,
    REPLIES,
    MoveNotAllowed,
    MoveNotPermitted,
    MoveRefused,
    allowed_moves,
)
from intake.models import Appointment, IntakeRequest, ReplyTemplate, RequestLogEntry, RequestMessage
from tests import factories
from tests.intake.conftest import invitation, sent_to
from tests.intake.factories import intake_request
from tests.intake.factories import status_link as factories_status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
APPLICANT = "contact@example.fr"
TERMINAL = [status for status in Status.values if status not in IntakeRequest.OPEN_STATUSES]


@pytest.fixture
def now_is(monkeypatch):
    """Set the clock the lifecycle reads (timezone.now, hence localdate too)."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Institut de la concertation", kind="expert")


@pytest.fixture
def original(db):
    return intake_request(reference="TE-2026-09999")


def make_request(status, *, appointment=True):
    """A request in ``status``, with a booked appointment next week."""
    now = timezone.now()
    request = intake_request(
        status=status,
        email=APPLICANT,
        ended_at=None if status in IntakeRequest.OPEN_STATUSES else now,
        decided_at=None if status in IntakeRequest.UNDECIDED_STATUSES else now,
    )
    if appointment:
        start = datetime(2030, 1, 7, 14, 0, tzinfo=PARIS) + timedelta(hours=request.pk)
        Appointment.objects.create(
            request=request, starts_at=start, ends_at=start + timedelta(minutes=30)
        )
    return request


def run_move(name, intake_request, user, partner, original):
    """Each move through its command, with the answers its form would give."""
    calls = {
        "take": lambda: commands.take(intake_request, by=user),
        "ask": lambda: commands.ask(
            intake_request, by=user, message="Combien d'habitants ?", subject="Une question"
        ),
        "accept": lambda: commands.accept(intake_request, by=user),
        "redirect": lambda: commands.redirect(
            intake_request,
            by=user,
            partner=partner,
            message="Contactez {partenaire}.",
            subject="Vers",
        ),
        "decline": lambda: commands.decline(
            intake_request,
            by=user,
            reason="Hors du champ",
            message="Nous ne pouvons pas : notre offre s'adresse aux collectivités.",
        ),
        "duplicate": lambda: commands.mark_duplicate(intake_request, by=user, original=original),
        "spam": lambda: commands.mark_spam(intake_request, by=user),
        "close": lambda: commands.close(
            intake_request,
            by=user,
            summary="Trois séances, une charte.",
            subjects=["strategy", "funding"],
        ),
        "suspend": lambda: commands.suspend(intake_request, by=user, reason="Élections"),
        "resume_accompaniment": lambda: commands.resume_accompaniment(intake_request, by=user),
        "reopen": lambda: commands.reopen(
            intake_request, by=user, reason="Nouvelle équipe municipale"
        ),
        "withdraw": lambda: commands.withdraw(intake_request),
        "start": lambda: commands.start(intake_request, by=user),
        "reply": lambda: commands.applicant_writes(intake_request, body="Voici notre réponse."),
        "resume": lambda: commands.resume(
            intake_request, by=user, channel="phone", note="Le maire a rappelé : 20 000 €."
        ),
    }
    return calls[name]()


def entries(intake_request):
    return list(RequestLogEntry.objects.for_instance(intake_request).order_by("pk"))


# The status graph as DESIGN.md draws it, written out rather than read from MOVES: a change
# to the graph changes this table too, instead of both sides of the tests at once.
OPEN = {"submitted", "in_review", "awaiting_applicant", "accepted", "in_progress", "suspended"}
ACCOMPANIMENT = {"in_progress", "suspended"}
ENDED = {"closed", "redirected", "declined", "duplicate", "spam", "withdrawn"}
UNDECIDED = {"submitted", "in_review", "awaiting_applicant"}
GRAPH = {
    "take": ({"submitted"}, "in_review"),
    "ask": ({"submitted", "in_review"}, "awaiting_applicant"),
    "reply": ({"awaiting_applicant"}, "in_review"),
    "resume": ({"awaiting_applicant"}, "in_review"),
    "accept": (UNDECIDED, "accepted"),
    "start": ({"accepted"}, "in_progress"),
    "suspend": ({"in_progress"}, "suspended"),
    "resume_accompaniment": ({"suspended"}, "in_progress"),
    "close": (ACCOMPANIMENT, "closed"),
    "redirect": (UNDECIDED, "redirected"),
    "decline": (UNDECIDED, "declined"),
    "duplicate": (OPEN - ACCOMPANIMENT, "duplicate"),
    "spam": (OPEN - ACCOMPANIMENT, "spam"),
    "withdraw": (OPEN, "withdrawn"),
    "reopen": (ENDED, "in_review"),
}
# The moves that end (or suspend) a request: its booked appointments are cancelled.
FREEING = {"close", "redirect", "decline", "duplicate", "spam", "withdraw", "suspend"}
# The applicant's own moves; the team may record a withdrawal, never answer for them.
APPLICANT_MOVES = {"reply", "withdraw"}

ALLOWED = [(status, name) for name, (sources, _) in GRAPH.items() for status in sorted(sources)]
REFUSED = [
    (status, name)
    for name, (sources, _) in GRAPH.items()
    for status in Status.values
    if status not in sources and name != "reply"
]
# A message of the applicant answers only a request waiting for them; on any other open
# request it is just a message, and on an ended one it is refused.
REPLY_REFUSED = [(status, "reply") for status in TERMINAL]


@pytest.mark.parametrize(("status", "name"), ALLOWED)
def test_every_allowed_move_works_with_its_side_effects(
    status, name, team_member, partner, original, committed
):
    request = make_request(status)
    appointment = request.appointments.get()
    user = None if name in APPLICANT_MOVES else team_member
    before = len(entries(request))

    result = committed(run_move, name, request, user, partner, original)

    target = GRAPH[name][1]
    request.refresh_from_db()
    assert request.status == target
    if name != "reply":
        assert result.pk == request.pk and result.status == target
    logged = [entry.action for entry in entries(request)[before:]]
    assert f"intake.{name}" in logged
    [move_entry] = [e for e in entries(request) if e.action == f"intake.{name}"]
    assert move_entry.user == user
    # The ended requests keep their date; an open one has none.
    assert (request.ended_at is None) == (target in OPEN)
    # Decided once out of the first statuses; a reopened request awaits a new decision.
    assert (request.decided_at is None) == (target in UNDECIDED)

    appointment.refresh_from_db()
    applicant_emails = sent_to(APPLICANT)
    if name in FREEING:
        expected = (
            Appointment.Status.CANCELLED_BY_APPLICANT
            if user is None
            else Appointment.Status.CANCELLED_BY_TEAM
        )
        assert appointment.status == expected
        assert "intake.appointment_cancelled" in logged
        cancellations = [m for m in applicant_emails if m.attachments]
        if name == "spam":
            assert applicant_emails == []  # never a word to a spammer
        else:
            [cancellation] = cancellations
            assert invitation(cancellation)[1] == "CANCEL"
    else:
        assert appointment.status == Appointment.Status.BOOKED

    replies = [m for m in applicant_emails if not m.attachments]
    silent = ("spam", "start", "reply", "resume", "resume_accompaniment")
    if name in silent or (name == "reopen" and status == Status.SPAM):
        assert replies == []
    else:
        [reply] = replies
        typed = {"ask": "Une question", "redirect": "Vers"}
        default = ReplyTemplate.for_purpose(MOVES[name].reply)[0].subject.replace(
            "{reference}", request.reference
        )
        assert reply.subject == typed.get(name, default)
        [message] = request.messages.filter(author="team")
        assert message.body.split("\n")[0] in html.unescape(reply.alternatives[0][0])
    if name == "withdraw":
        [notice] = sent_to("territoires-engagement@anct.gouv.fr")
        assert notice.subject == f"Demande {request.reference} : Retirée"

    timeline = [str(event["label"]) for event in history.applicant_timeline(request)]
    assert timeline.count(str(LOG_ACTIONS[f"intake.{name}"].applicant_label)) == 1
    assert "spam" not in " ".join(timeline).lower()
    assert "indésirable" not in " ".join(timeline).lower()


@pytest.mark.parametrize(("status", "name"), [*REFUSED, *REPLY_REFUSED])
def test_every_other_move_is_refused_and_changes_nothing(
    status, name, team_member, partner, original, committed
):
    request = make_request(status)
    before = (
        IntakeRequest.objects.filter(pk=request.pk).values().get(),
        list(Appointment.objects.filter(request=request).values()),
        len(entries(request)),
        RequestMessage.objects.count(),
    )
    user = None if name in APPLICANT_MOVES else team_member
    with pytest.raises(MoveNotAllowed):
        committed(run_move, name, request, user, partner, original)
    after = (
        IntakeRequest.objects.filter(pk=request.pk).values().get(),
        list(Appointment.objects.filter(request=request).values()),
        len(entries(request)),
        RequestMessage.objects.count(),
    )
    assert after == before
    assert mail.outbox == []


def test_the_lifecycle_moves_as_the_graph_says():
    assert {name: (set(move.sources), move.target) for name, move in MOVES.items()} == GRAPH
    assert {name for name, move in MOVES.items() if move.cancels_appointments} == FREEING
    assert {name for name, move in MOVES.items() if not move.by_team} == APPLICANT_MOVES


@pytest.mark.parametrize("name", sorted(set(GRAPH) - APPLICANT_MOVES))
def test_team_moves_need_the_triage_permission(name, editor, partner, original, committed):
    status = sorted(GRAPH[name][0])[0]
    request = make_request(status)
    for user in (editor, None):
        with pytest.raises(MoveNotPermitted):
            committed(run_move, name, request, user, partner, original)
    request.refresh_from_db()
    assert request.status == status
    assert [entry.action for entry in entries(request)] == []
    assert mail.outbox == []


def test_team_can_record_a_withdrawal_made_by_phone(team_member, editor, committed):
    request = make_request(Status.IN_REVIEW)
    with pytest.raises(MoveNotPermitted):
        committed(commands.withdraw, request, by=editor)
    result = committed(commands.withdraw, request, by=team_member)
    assert result.status == Status.WITHDRAWN
    assert request.appointments.get().status == Appointment.Status.CANCELLED_BY_TEAM
    assert entries(request)[-2].user == team_member


@pytest.mark.parametrize(
    ("name", "call", "message"),
    [
        (
            "ask",
            lambda r, u, p, o: commands.ask(r, by=u, message="   "),
            "Écrivez la question posée à la collectivité.",
        ),
        (
            "redirect",
            lambda r, u, p, o: commands.redirect(r, by=u, partner=None, message="Voyez"),
            "Choisissez le partenaire vers lequel orienter la demande.",
        ),
        (
            "redirect",
            lambda r, u, p, o: commands.redirect(r, by=u, partner=p, message=""),
            "Écrivez le message qui présente le partenaire à la collectivité.",
        ),
        (
            "decline",
            lambda r, u, p, o: commands.decline(r, by=u, reason=" "),
            "Indiquez le motif du refus.",
        ),
        (
            "duplicate",
            lambda r, u, p, o: commands.mark_duplicate(r, by=u, original=None),
            "Indiquez la demande d'origine.",
        ),
        (
            "duplicate",
            lambda r, u, p, o: commands.mark_duplicate(r, by=u, original=r),
            "Une demande ne peut pas être le doublon d'elle-même.",
        ),
    ],
)
def test_guards_refuse_and_change_nothing(name, call, message, team_member, partner, committed):
    request = make_request(Status.IN_REVIEW)
    with pytest.raises(MoveRefused) as refusal:
        committed(call, request, team_member, partner, None)
    assert str(refusal.value) == message
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert (request.partner, request.decision_note, request.duplicate_of) == (None, "", None)
    assert entries(request) == []
    assert mail.outbox == []


def test_close_and_reopen_need_their_text(team_member, committed):
    request = make_request(Status.IN_PROGRESS)
    with pytest.raises(MoveRefused, match="Rédigez le bilan"):
        committed(commands.close, request, by=team_member, summary="", subjects=["strategy"])
    with pytest.raises(MoveRefused, match="Cochez au moins un sujet travaillé."):
        committed(commands.close, request, by=team_member, summary="Charte adoptée.", subjects=[])
    with pytest.raises(MoveRefused, match="Choisissez les sujets parmi ceux de l'offre."):
        committed(
            commands.close, request, by=team_member, summary="Charte adoptée.", subjects=["x"]
        )
    closed = committed(
        commands.close,
        request,
        by=team_member,
        summary="Charte adoptée.",
        subjects=["funding", "strategy", "funding"],
    )
    assert (closed.status, closed.closing_summary, closed.closing_subjects) == (
        Status.CLOSED,
        "Charte adoptée.",
        ["funding", "strategy"],
    )
    with pytest.raises(MoveRefused, match="Indiquez pourquoi"):
        committed(commands.reopen, request, by=team_member, reason="")
    assert IntakeRequest.objects.get(pk=request.pk).status == Status.CLOSED


def test_duplicate_is_linked_both_ways_and_refuses_a_duplicate_as_original(
    team_member, original, committed
):
    request = make_request(Status.SUBMITTED)
    result = committed(commands.mark_duplicate, request, by=team_member, original=original)
    assert result.duplicate_of == original
    assert list(original.duplicates.all()) == [request]
    [linked] = entries(original)
    assert (linked.action, linked.data) == (
        "intake.duplicate_linked",
        {"duplicate": request.pk, "detail": request.reference},
    )
    [entry] = [e for e in entries(request) if e.action == "intake.duplicate"]
    assert entry.data == {"original": original.pk, "detail": original.reference}
    third = make_request(Status.SUBMITTED)
    with pytest.raises(MoveRefused, match=f"{request.reference} est elle-même un doublon"):
        commands.mark_duplicate(third, by=team_member, original=request)


def test_redirect_records_the_partner_and_names_it_in_the_email(team_member, partner, committed):
    request = make_request(Status.IN_REVIEW, appointment=False)
    result = committed(
        commands.redirect,
        request,
        by=team_member,
        partner=partner,
        message="Bonjour {contact}, contactez {partenaire}. Suivi : {lien_suivi}",
        subject="Un partenaire pour {collectivite}",
    )
    assert result.partner == partner
    [entry] = entries(request)
    assert (entry.action, entry.data) == (
        "intake.redirect",
        {"partner": partner.pk, "detail": partner.name},
    )
    [email] = sent_to(APPLICANT)
    assert email.subject == f"Un partenaire pour la {request.collectivite_name}"  # "Commune N"
    assert email.body.startswith(
        f"Bonjour {request.contact_name}, contactez Institut de la concertation. Suivi : "
    )
    # The stored message keeps the link as a placeholder: the database holds no token.
    message = request.messages.get()
    assert message.body.endswith("Suivi : {lien_suivi}")
    assert "Institut de la concertation" in message.body


def test_decline_stores_the_reason_for_the_team_only(team_member, committed):
    request = make_request(Status.SUBMITTED, appointment=False)
    result = committed(
        commands.decline,
        request,
        by=team_member,
        reason="Commune hors champ",
        message="Notre offre ne couvre pas ce projet.",
    )
    assert (result.status, result.decision_note) == (Status.DECLINED, "Commune hors champ")
    [email] = sent_to(APPLICANT)
    assert "Commune hors champ" not in email.body


def test_spam_frees_the_slot_and_emails_nobody(team_member, committed, settings):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    request = make_request(Status.SUBMITTED)
    committed(commands.mark_spam, request, by=team_member)
    assert request.appointments.get().status == Appointment.Status.CANCELLED_BY_TEAM
    assert mail.outbox == []
    timeline = [str(event["label"]) for event in history.applicant_timeline(request)]
    assert timeline == ["Demande clôturée", "Rendez-vous annulé"]


def test_reopen_restarts_the_response_clock(team_member, committed):
    request = make_request(Status.DECLINED, appointment=False)
    request.clock_started_on = timezone.localdate() - timedelta(days=30)
    request.save()
    result = committed(commands.reopen, request, by=team_member, reason="Nouvel élu")
    today = timezone.localdate()
    assert result.status == Status.IN_REVIEW
    assert (result.clock_started_on, result.decided_at, result.ended_at) == (today, None, None)
    assert result.response_clock(today).age == 0


def test_take_gives_the_request_to_the_member(team_member, committed):
    request = make_request(Status.SUBMITTED, appointment=False)
    result = committed(commands.take, request, by=team_member)
    assert (result.status, result.assignee) == (Status.IN_REVIEW, team_member)
    assert result.taken_at is not None
    [email] = sent_to(APPLICANT)
    assert "suivie par Camille Agent" in email.body


def test_reopened_spam_sends_nothing(team_member, committed):
    request = make_request(Status.SPAM, appointment=False)
    result = committed(commands.reopen, request, by=team_member, reason="Erreur")
    assert result.status == Status.IN_REVIEW
    assert mail.outbox == []


def test_unknown_group_member_cannot_be_assigned(team_member, editor, committed):
    request = make_request(Status.SUBMITTED, appointment=False)
    with pytest.raises(MoveRefused, match="ne fait pas partie de l'équipe"):
        committed(commands.assign, request, by=team_member, assignee=editor)
    request.refresh_from_db()
    assert (request.assignee, request.status) == (None, Status.SUBMITTED)


def test_assign_moves_a_new_request_to_review_and_emails_the_assignee(
    team_member, other_team_member, committed
):
    request = make_request(Status.SUBMITTED, appointment=False)
    result = committed(commands.assign, request, by=team_member, assignee=other_team_member)
    assert (result.status, result.assignee) == (Status.IN_REVIEW, other_team_member)
    # Taken in charge through the move table (the applicant's timeline says so), then given.
    take, entry = entries(request)
    assert (take.action, take.user) == ("intake.take", team_member)
    assert (entry.action, entry.user, entry.data) == (
        "intake.assigned",
        team_member,
        {"assignee": other_team_member.pk, "detail": "Dominique Agent"},
    )
    assert [str(e["label"]) for e in history.applicant_timeline(request)] == [
        "Demande prise en charge par l'équipe"
    ]
    [email] = mail.outbox  # to the assignee only: assigning sends the applicant nothing
    assert email.to == ["dominique.agent@example.org"]
    assert email.subject == (
        f"La demande {request.reference} vous est confiée — {request.collectivite_label}"
    )
    assert f"/admin/demandes/{request.pk}/" in email.body
    # Unassigning writes down "personne", keeps the status, emails nobody.
    mail.outbox.clear()
    result = committed(commands.assign, request, by=team_member, assignee=None)
    assert (result.assignee, result.status) == (None, Status.IN_REVIEW)
    assert entries(request)[-1].data == {"assignee": None, "detail": "personne"}
    assert mail.outbox == []
    # Taking it oneself sends no email to oneself.
    committed(commands.assign, request, by=team_member, assignee=team_member)
    assert mail.outbox == []
    # Assigning to the current assignee again changes nothing.
    count = len(entries(request))
    committed(commands.assign, request, by=team_member, assignee=team_member)
    assert len(entries(request)) == count


def test_ask_pauses_and_the_applicants_answer_resumes_the_clock(
    team_member, committed, settings, now_is
):
    settings.TEAM_NOTIFICATION_EMAIL = "equipe@example.fr"
    request = make_request(Status.IN_REVIEW, appointment=False)
    request.assignee = team_member
    request.start_response_clock(date(2026, 11, 30), 5)  # a Monday: due Monday 7 December
    request.save()
    now_is(datetime(2026, 12, 1, 10, tzinfo=PARIS))
    asked = committed(commands.ask, request, by=team_member, message="Quel budget ?")
    assert (asked.status, asked.paused_on) == (Status.AWAITING_APPLICANT, date(2026, 12, 1))
    assert asked.response_clock().state == "paused"
    # The applicant answers the next Monday: four working days of waiting are left out.
    now_is(datetime(2026, 12, 7, 9, tzinfo=PARIS))
    message = committed(commands.applicant_writes, request, body="Environ 20 000 €.")
    request.refresh_from_db()
    assert (message.author, request.status) == ("applicant", Status.IN_REVIEW)
    assert (request.paused_on, request.paused_working_days) == (None, 4)
    assert request.response_due_on == date(2026, 12, 11)
    clock = request.response_clock()
    assert (clock.state, clock.age, clock.target) == ("on_time", 1, 5)
    [notice] = sent_to("camille.agent@example.org")
    assert "Environ 20 000 €." in notice.body
    assert sent_to("equipe@example.fr") == []
    assert [e.action for e in entries(request)][-2:] == ["intake.message_received", "intake.reply"]


def test_a_decision_while_waiting_for_the_applicant_counts_the_pause(
    team_member, committed, now_is
):
    request = make_request(Status.IN_REVIEW, appointment=False)
    request.start_response_clock(date(2026, 11, 30), 5)  # a Monday: due Monday 7 December
    request.save()
    now_is(datetime(2026, 12, 1, 10, tzinfo=PARIS))
    committed(commands.ask, request, by=team_member, message="Quel budget ?")
    # The applicant withdraws the next Monday, without answering: the wait is left out.
    now_is(datetime(2026, 12, 7, 9, tzinfo=PARIS))
    withdrawn = committed(commands.withdraw, request)
    assert (withdrawn.status, withdrawn.paused_on, withdrawn.paused_working_days) == (
        Status.WITHDRAWN,
        None,
        4,
    )
    assert withdrawn.response_due_on == date(2026, 12, 11)
    clock = withdrawn.response_clock()
    assert (clock.state, clock.age, clock.label) == ("withdrawn", 1, "Sans objet")


def test_a_withdrawal_after_the_acceptance_keeps_the_answers_date(team_member, committed, now_is):
    request = make_request(Status.IN_REVIEW, appointment=False)
    now_is(datetime(2026, 12, 1, 10, tzinfo=PARIS))
    committed(commands.accept, request, by=team_member)
    now_is(datetime(2026, 12, 9, 10, tzinfo=PARIS))
    withdrawn = committed(commands.withdraw, request)
    assert withdrawn.decided_at == datetime(2026, 12, 1, 10, tzinfo=PARIS)
    assert withdrawn.ended_at == datetime(2026, 12, 9, 10, tzinfo=PARIS)
    assert withdrawn.response_clock().label == "Sans objet"


def test_team_message_is_emailed_with_a_working_link(team_member, committed, client):
    request = make_request(Status.IN_REVIEW, appointment=False)
    message = committed(
        commands.team_writes,
        request,
        by=team_member,
        body="Bonjour {contact}, voici le compte rendu : {lien_suivi}",
        subject="Compte rendu {reference}",
    )
    assert (message.author, message.sender) == ("team", team_member)
    [email] = sent_to(APPLICANT)
    assert email.subject == f"Compte rendu {request.reference}"
    link = email.body.split("compte rendu : ")[1].split()[0]
    assert link.startswith("http://127.0.0.1:8000/suivi/")
    assert client.get(urlparse(link).path).status_code == 200
    html = email.alternatives[0][0]
    assert f'href="{link}"' in html
    [entry] = entries(request)
    assert (entry.action, entry.data) == ("intake.message_sent", {"message": message.pk})


def test_applicant_cannot_write_to_an_ended_request_nor_team_to_spam(team_member, committed):
    ended = make_request(Status.CLOSED, appointment=False)
    with pytest.raises(MoveNotAllowed):
        committed(commands.applicant_writes, ended, body="Re-bonjour")
    spam = make_request(Status.SPAM, appointment=False)
    with pytest.raises(MoveNotAllowed):
        committed(commands.team_writes, spam, by=team_member, body="Bonjour", subject="Objet")
    assert RequestMessage.objects.count() == 0
    assert mail.outbox == []


def test_notes_are_logged_and_never_reach_the_applicant(team_member, committed):
    request = make_request(Status.IN_REVIEW, appointment=False)
    note = committed(commands.add_note, request, by=team_member, body="Maire très motivé")
    assert (note.author, note.body, note.pinned) == (team_member, "Maire très motivé", False)
    with pytest.raises(MoveRefused, match="Écrivez la note."):
        commands.add_note(request, by=team_member, body="  ")
    pinned = committed(commands.pin_note, note, by=team_member, pinned=True)
    assert pinned.pinned is True
    assert [e.action for e in entries(request)] == ["intake.note_added", "intake.note_pinned"]
    assert history.applicant_timeline(request) == []
    assert mail.outbox == []
    thread = history.team_thread(request)
    assert [item.kind for item in thread] == ["note", "event"]


def test_labels_are_set_and_their_change_described(team_member, committed):
    from intake.models import Label

    urgent, funding = Label.objects.create(name="Urgent"), Label.objects.create(name="Financement")
    request = make_request(Status.IN_REVIEW, appointment=False)
    committed(commands.set_labels, request, by=team_member, labels=[urgent, funding])
    committed(commands.set_labels, request, by=team_member, labels=[funding])
    committed(commands.set_labels, request, by=team_member, labels=[funding])  # no change
    assert list(request.labels.all()) == [funding]
    assert [e.data["detail"] for e in entries(request)] == [
        "ajout : Financement, Urgent",
        "retrait : Urgent",
    ]
    committed(commands.add_label, request, by=team_member, label=urgent)
    assert set(request.labels.all()) == {urgent, funding}


def test_confirm_appointment_sends_the_video_link_in_an_updated_invitation(team_member, committed):
    request = make_request(Status.ACCEPTED)
    appointment = request.appointments.get()
    confirmed = committed(
        commands.confirm_appointment,
        appointment,
        by=team_member,
        video_link=" https://webconf.numerique.gouv.fr/te-2026 ",
    )
    assert confirmed.video_link == "https://webconf.numerique.gouv.fr/te-2026"
    assert (confirmed.ics_sequence, confirmed.confirmed_at is not None) == (1, True)
    [email] = sent_to(APPLICANT)
    ics, method = invitation(email)
    assert "SEQUENCE:1" in ics and method == "REQUEST"
    assert "webconf.numerique.gouv.fr/te-2026" in ics.replace("\r\n ", "")
    assert entries(request)[-1].action == "intake.appointment_confirmed"


def test_first_session_held_starts_the_accompaniment(team_member, committed):
    request = make_request(Status.ACCEPTED, appointment=False)
    past = timezone.now() - timedelta(hours=2)
    appointment = Appointment.objects.create(
        request=request, starts_at=past, ends_at=past + timedelta(minutes=30)
    )
    held = committed(commands.record_outcome, appointment, by=team_member, held=True)
    request.refresh_from_db()
    assert (held.status, request.status) == (Appointment.Status.HELD, Status.IN_PROGRESS)
    assert [e.action for e in entries(request)] == ["intake.appointment_held", "intake.start"]


def test_no_show_and_outcomes_of_future_appointments(team_member, committed):
    request = make_request(Status.IN_PROGRESS)
    future = request.appointments.get()
    with pytest.raises(MoveRefused, match="n'a pas encore eu lieu"):
        committed(commands.record_outcome, future, by=team_member, held=False)
    assert Appointment.objects.get(pk=future.pk).status == Appointment.Status.BOOKED
    past = timezone.now() - timedelta(days=1)
    missed = Appointment.objects.create(
        request=request, starts_at=past, ends_at=past + timedelta(minutes=30)
    )
    result = committed(commands.record_outcome, missed, by=team_member, held=False)
    request.refresh_from_db()
    assert (result.status, request.status) == (Appointment.Status.NO_SHOW, Status.IN_PROGRESS)


def test_team_cancels_and_moves_appointments(team_member, committed, first_slot):
    request = make_request(Status.ACCEPTED, appointment=False)
    booked = committed(
        commands.team_books,
        request,
        by=team_member,
        starts_at=first_slot.starts_at,
        kind=Appointment.Kind.FIRST_EXCHANGE,
    )
    assert (booked.kind, booked.status) == (Appointment.Kind.FIRST_EXCHANGE, "booked")
    cancelled = committed(
        commands.cancel_appointment, booked, by=team_member, message="Un empêchement."
    )
    assert cancelled.status == Appointment.Status.CANCELLED_BY_TEAM
    assert [email.to for email in mail.outbox] == [[APPLICANT], [APPLICANT]]  # not the team
    booked_email, cancellation = sent_to(APPLICANT)
    assert booked_email.subject == f"Rendez-vous fixé — demande {request.reference}"
    assert invitation(booked_email)[1] == "REQUEST"
    assert cancellation.subject == f"Rendez-vous annulé — demande {request.reference}"
    assert invitation(cancellation)[1] == "CANCEL"
    assert "SUMMARY:Territoires d’engagement — premier échange" in invitation(booked_email)[0]
    assert [e.action for e in entries(request)] == [
        "intake.appointment_booked",
        "intake.appointment_cancelled",
    ]


def test_editors_cannot_book_for_a_request(editor, first_slot):
    request = make_request(Status.ACCEPTED, appointment=False)
    with pytest.raises(MoveNotPermitted):
        commands.team_books(request, by=editor, starts_at=first_slot.starts_at)
    assert not request.appointments.exists()


def test_only_a_team_member_books_or_moves_for_the_team(committed, first_slot):
    request = make_request(Status.ACCEPTED, appointment=False)
    with pytest.raises(MoveNotPermitted):
        commands.team_books(request, by=None, starts_at=first_slot.starts_at)
    assert not request.appointments.exists()
    booked = committed(commands.applicant_books, request, starts_at=first_slot.starts_at)
    mail.outbox.clear()
    later = available_slots()[1].starts_at
    with pytest.raises(MoveNotPermitted):
        commands.reschedule(booked, by=None, starts_at=later, message="Déplacé.")
    booked.refresh_from_db()
    assert (booked.starts_at, booked.ics_sequence) == (first_slot.starts_at, 0)
    assert mail.outbox == []


@pytest.mark.parametrize("status", TERMINAL)
def test_nobody_books_for_an_ended_request(status, team_member, first_slot):
    request = make_request(status, appointment=False)
    with pytest.raises(MoveNotAllowed):
        commands.team_books(request, by=team_member, starts_at=first_slot.starts_at)
    with pytest.raises(MoveNotAllowed):
        commands.applicant_books(request, starts_at=first_slot.starts_at)
    assert not request.appointments.exists()
    assert mail.outbox == []


def test_moving_an_appointment_to_its_own_slot_changes_and_sends_nothing(
    team_member, committed, first_slot
):
    request = make_request(Status.ACCEPTED, appointment=False)
    booked = commands.team_books(request, by=team_member, starts_at=first_slot.starts_at)
    count = len(entries(request))
    moved = committed(
        commands.reschedule, booked, by=team_member, starts_at=booked.starts_at, message="Idem."
    )
    assert (moved.pk, moved.ics_sequence) == (booked.pk, 0)
    assert len(entries(request)) == count
    assert not request.messages.exists()
    assert mail.outbox == []


def test_appointment_events_say_when(team_member, committed, first_slot):
    request = make_request(Status.ACCEPTED, appointment=False)
    booked = committed(commands.team_books, request, by=team_member, starts_at=first_slot.starts_at)
    [entry] = entries(request)
    assert entry.data == {"appointment": booked.pk, "detail": slot_label(first_slot.starts_at)}
    assert history.event_label(entry) == f"Rendez-vous pris — {slot_label(first_slot.starts_at)}"
    [email] = sent_to(APPLICANT)
    assert f"({'séance de travail'}) est fixé au {slot_label(first_slot.starts_at)}" in email.body


def test_resend_links_sends_a_new_link_per_open_request(committed):
    first = make_request(Status.IN_REVIEW, appointment=False)
    make_request(Status.CLOSED, appointment=False)
    assert committed(commands.resend_links, " CONTACT@example.fr ") == 1
    [email] = sent_to(APPLICANT)
    assert first.reference in email.subject
    assert first.access_tokens.count() == 1
    assert entries(first)[-1].action == "intake.link_resent"
    assert committed(commands.resend_links, "personne@example.fr") == 0


def test_every_action_type_is_registered_with_wagtail():
    from wagtail.log_actions import registry

    for action, log_action in LOG_ACTIONS.items():
        assert registry.get_action_label(action) == log_action.label


def names(moves):
    return [move.name for move in moves]


def test_allowed_moves_follow_the_status():
    assert names(allowed_moves(make_request(Status.SUBMITTED, appointment=False))) == [
        "take",
        "ask",
        "accept",
        "redirect",
        "decline",
        "duplicate",
        "spam",
    ]
    assert names(allowed_moves(make_request(Status.AWAITING_APPLICANT, appointment=False))) == [
        "resume",
        "accept",
        "redirect",
        "decline",
        "duplicate",
        "spam",
    ]
    assert names(allowed_moves(make_request(Status.IN_PROGRESS, appointment=False))) == [
        "suspend",
        "close",
    ]
    assert names(allowed_moves(make_request(Status.SUSPENDED, appointment=False))) == [
        "resume_accompaniment",
        "close",
    ]
    assert names(allowed_moves(make_request(Status.WITHDRAWN, appointment=False))) == ["reopen"]


def test_group_without_triage_can_read_but_not_act(committed):
    readers = Group.objects.create(name="Lecture")
    readers.permissions.add(
        *Group.objects.get(name="Équipe").permissions.filter(codename="view_personal_data")
    )
    reader = factories.user_in_group("Lecture", "lecteur")
    request = make_request(Status.SUBMITTED, appointment=False)
    assert IntakeRequest.objects.visible_to(reader).count() == 1
    with pytest.raises(MoveNotPermitted):
        committed(commands.take, request, by=reader)


# Section 1 of issue 12: the defects a day of triage found.

# Every move that ends a request, from every status it applies to, read from the registry.
ENDING = [
    (status, name)
    for name, move in MOVES.items()
    if move.target not in OPEN
    for status in sorted(move.sources)
]


@pytest.mark.parametrize(("status", "name"), ENDING)
def test_no_ended_request_keeps_a_booked_appointment(
    status, name, team_member, partner, original, committed, client
):
    request = make_request(status)
    later = request.appointments.get().starts_at + timedelta(days=28)
    Appointment.objects.create(
        request=request,
        starts_at=later,
        ends_at=later + timedelta(minutes=30),
        kind=Appointment.Kind.WORKING_SESSION,
    )
    link = factories_status_link(request)
    user = None if name in APPLICANT_MOVES else team_member

    committed(run_move, name, request, user, partner, original)

    assert not request.appointments.booked().exists()
    assert request.appointments.count() == 2
    cancellations = [
        email
        for email in sent_to(APPLICANT)
        if email.attachments and invitation(email)[1] == "CANCEL"
    ]
    assert len(cancellations) == (0 if name == "spam" else 2)
    html = client.get(link).content.decode()
    assert "Ajouter à mon agenda" not in html


def test_the_team_resumes_the_review_when_the_answer_came_by_phone(team_member, committed, now_is):
    request = make_request(Status.IN_REVIEW, appointment=False)
    request.start_response_clock(date(2026, 11, 30), 5)  # a Monday: due Monday 7 December
    request.save()
    now_is(datetime(2026, 12, 1, 10, tzinfo=PARIS))
    committed(commands.ask, request, by=team_member, message="Quel budget ?")
    mail.outbox.clear()
    # The mayor calls back the next Monday: four working days of waiting are left out.
    now_is(datetime(2026, 12, 7, 9, tzinfo=PARIS))
    resumed = committed(
        commands.resume, request, by=team_member, channel="phone", note="Budget : 20 000 €."
    )
    assert (resumed.status, resumed.paused_on, resumed.paused_working_days) == (
        Status.IN_REVIEW,
        None,
        4,
    )
    assert resumed.response_due_on == date(2026, 12, 11)
    assert resumed.decided_at is None
    entry = entries(request)[-1]
    assert (entry.action, entry.user, entry.data) == (
        "intake.resume",
        team_member,
        {"channel": "phone", "detail": "Réponse par téléphone : Budget : 20 000 €."},
    )
    assert history.event_label(entry) == (
        "Examen repris — Réponse par téléphone : Budget : 20 000 €."
    )
    assert history.applicant_timeline(request)[-1]["label"] == "Votre réponse est prise en compte"
    assert mail.outbox == []


@pytest.mark.parametrize("channel", ["", "fax"])
def test_resuming_says_how_the_answer_came(channel, team_member, committed):
    request = make_request(Status.AWAITING_APPLICANT, appointment=False)
    with pytest.raises(MoveRefused, match="Indiquez comment la collectivité a répondu."):
        committed(commands.resume, request, by=team_member, channel=channel, note="Oui")
    with pytest.raises(MoveRefused, match="Résumez la réponse de la collectivité."):
        committed(commands.resume, request, by=team_member, channel="email", note=" ")
    assert IntakeRequest.objects.get(pk=request.pk).status == Status.AWAITING_APPLICANT
    assert entries(request) == []


@pytest.mark.parametrize("name", ["accept", "redirect", "decline"])
def test_the_team_decides_while_waiting_for_the_applicant(
    name, team_member, partner, original, committed, now_is
):
    request = make_request(Status.IN_REVIEW, appointment=False)
    request.start_response_clock(date(2026, 11, 30), 5)
    request.save()
    now_is(datetime(2026, 12, 1, 10, tzinfo=PARIS))
    committed(commands.ask, request, by=team_member, message="Quel budget ?")
    now_is(datetime(2026, 12, 7, 9, tzinfo=PARIS))
    decided = committed(run_move, name, request, team_member, partner, original)
    assert decided.status == GRAPH[name][1]
    assert decided.decided_at == datetime(2026, 12, 7, 9, tzinfo=PARIS)
    # The wait is left out of the answer's delay: decided one working day after the question.
    assert (decided.paused_on, decided.paused_working_days) == (None, 4)
    assert decided.response_clock().age == 1


def test_a_reply_holding_a_blank_to_fill_is_refused(team_member, committed):
    request = make_request(Status.IN_REVIEW)
    with pytest.raises(MoveRefused, match="« \\[…\\] »"):
        committed(commands.decline, request, by=team_member, reason="Hors du champ")
    with pytest.raises(MoveRefused, match="« \\[…\\] »"):
        committed(
            commands.team_writes,
            request,
            by=team_member,
            body="Bonjour, nous avons une question : [...]",
        )
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (Status.IN_REVIEW, "")
    assert request.appointments.get().status == Appointment.Status.BOOKED
    assert entries(request) == []
    assert RequestMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("reply", REPLIES, ids=lambda reply: reply.purpose)
def test_default_replies_mark_their_blanks(reply):
    # The templates that expect the team to write something say where; the others need nothing.
    assert ("[…]" in reply.body) == (reply.purpose in {"ask", "decline", "message"})


def test_the_stored_templates_are_the_declared_defaults():
    # The migrations created them from the defaults of their time, then marked their blanks.
    stored = {
        template.purpose: (template.name, template.subject, template.body)
        for template in ReplyTemplate.objects.all()
    }
    assert stored == {reply.purpose: (reply.name, reply.subject, reply.body) for reply in REPLIES}
    assert MESSAGE in REPLIES
