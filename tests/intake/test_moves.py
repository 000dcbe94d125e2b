"""The move registry: each move is declared once (``lifecycle/moves.py``) with every part the
rest of the portal reads from it. A move lacking one fails here, by name."""

import inspect

import pytest
from django import forms
from django.core import mail
from django.utils import timezone

from home.models import Partner
from intake.forms import ReplyForm
from intake.lifecycle import moves
from intake.lifecycle.moves import LOG_ACTIONS, MOVES, REPLIES
from intake.models import IntakeRequest, ReplyTemplate
from intake.models.replies import unknown_variables
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request

Status = IntakeRequest.Status
EVERY_MOVE = pytest.mark.parametrize("move", MOVES.values(), ids=lambda move: move.name)


@EVERY_MOVE
def test_every_move_is_declared_whole(move):
    assert MOVES[move.name] is move
    assert move.sources and move.sources <= set(Status.values)
    assert move.target in Status.values
    assert str(move.label)
    # Its command, declared beside it: what the request page runs, what "go to definition" finds.
    assert inspect.getmodule(move.command) is moves
    assert list(inspect.signature(move.command).parameters)[0] == "intake_request"
    # Its words, for the team's thread and the applicant's timeline.
    assert str(move.log.label) and str(move.log.applicant_label)
    assert LOG_ACTIONS[f"intake.{move.name}"] is move.log
    assert move.tone in {"primary", "secondary"}
    if move.by_team:
        assert issubclass(move.form, forms.Form)
        assert callable(move.form.command_kwargs)
    else:
        assert move.form is None


@EVERY_MOVE
@pytest.mark.django_db
def test_a_move_that_writes_to_the_applicant_declares_its_reply(move):
    if move.form is not None and issubclass(move.form, ReplyForm):
        assert move.reply is not None
    if move.reply is None:
        return
    assert move.reply.purpose == move.name
    assert str(move.reply.label) and move.reply.name
    assert move.reply.subject and move.reply.body
    assert unknown_variables(move.reply.subject + move.reply.body) == []
    assert ReplyTemplate.for_purpose(move.reply)  # also once its templates are all deleted


def test_reply_purposes_are_unique():
    purposes = [reply.purpose for reply in REPLIES]
    assert len(purposes) == len(set(purposes))


def answers(move, partner, original):
    """What each move's form gives its command: a move added without its answers fails here."""
    return {
        "take": {},
        "resume": {"channel": "email", "note": "Oui, 20 000 €."},
        "ask": {"message": "Quel budget ?"},
        "accept": {},
        "start": {},
        "suspend": {"reason": "Élections municipales"},
        "resume_accompaniment": {},
        "close": {"summary": "Charte adoptée.", "subjects": ["strategy"]},
        "redirect": {"partner": partner, "message": "Voyez {partenaire}."},
        "decline": {"reason": "Hors champ", "message": "Notre offre ne couvre pas ce projet."},
        "duplicate": {"original": original},
        "spam": {},
        "reply": {"body": "Voici notre réponse."},
        "withdraw": {},
        "reopen": {"reason": "Nouvelle équipe"},
    }[move.name]


@EVERY_MOVE
@pytest.mark.django_db
def test_a_move_emails_the_applicant_exactly_when_it_declares_a_reply(move, team_member, committed):
    partner = Partner.objects.create(name="Institut de la concertation", kind="expert")
    original = intake_request()
    source = sorted(move.sources - {Status.SPAM})[0]
    request = intake_request(
        status=source,
        email="contact@example.fr",
        ended_at=None if source in IntakeRequest.OPEN_STATUSES else timezone.now(),
    )
    by = team_member if move.by_team else None

    committed(
        move.command,
        request,
        **({"by": by} if move.by_team else {}),
        **answers(move, partner, original),
    )

    assert IntakeRequest.objects.get(pk=request.pk).status == move.target
    replies = [email for email in sent_to("contact@example.fr") if not email.attachments]
    assert len(replies) == (1 if move.reply else 0)
    assert len(mail.outbox) >= len(replies)
