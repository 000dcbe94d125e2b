"""Applicants answer the portal's emails: the mailbox job reads a real IMAP server (Dovecot)
and lands each reply in its request's thread, or in "À trier"."""

from email import message_from_bytes
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from intake import inbound, periodic
from intake.lifecycle import commands
from intake.mailbox import PROCESSED
from intake.models import InboundEmail, IntakeRequest, RequestMessage
from tests.intake import factories

from . import messages
from .conftest import TEAM_MAILBOX

Status = IntakeRequest.Status
IMPORTED = {"\\Seen", PROCESSED}


def run_mailbox_job(committed):
    """manage.py run_periodic --job mailbox, its on-commit work (flags, emails) run."""
    out = StringIO()
    committed(call_command, "run_periodic", "--job", "mailbox", stdout=out)
    return out.getvalue()


def flags(server):
    """{uid: (flags, size)}, without the session's \\Recent."""
    return {uid: (found - {"\\Recent"}, size) for uid, (found, size) in server.messages().items()}


def applicant_messages(intake_request):
    return list(
        intake_request.messages.filter(author=RequestMessage.Author.APPLICANT).values_list(
            "body", flat=True
        )
    )


@pytest.fixture
def awaiting(team_member, committed):
    """A request the team asked a question about: the email's Reply-To is its own address."""
    request = factories.intake_request(email="marie.dupont@fresnes.fr")
    committed(commands.take, request, by=team_member)
    committed(commands.ask, request, by=team_member, message=messages.QUESTION)
    return IntakeRequest.objects.get(pk=request.pk)


def reply_to_of_last_email(address):
    [*_, email] = [message for message in mail.outbox if message.to == [address]]
    return email.reply_to, email.subject


def test_each_email_to_the_applicant_says_the_request_s_own_reply_address(awaiting):
    reply_to, _subject = reply_to_of_last_email(awaiting.email)

    assert reply_to == [f"territoires-engagement+{inbound.reply_token(awaiting.pk)}@anct.gouv.fr"]
    # Not derived from the reference nor the id alone: another request's differs entirely.
    other = factories.intake_request()
    assert inbound.reply_token(other.pk)[-20:] != inbound.reply_token(awaiting.pk)[-20:]
    assert awaiting.reference.lower() not in reply_to[0]


def test_emails_to_the_team_keep_the_team_s_address_as_reply_to(awaiting, team_member):
    assert all(
        message.reply_to == ["territoires-engagement@anct.gouv.fr"]
        for message in mail.outbox
        if message.to != [awaiting.email]
    )


def test_without_a_reply_address_emails_say_the_team_s_address(settings, team_member, committed):
    settings.REPLY_ADDRESS = ""
    request = factories.intake_request()
    committed(commands.take, request, by=team_member)

    assert reply_to_of_last_email(request.email)[0] == ["territoires-engagement@anct.gouv.fr"]


def test_five_replies_land_where_they_belong(imap, awaiting, team_member, committed):
    outlook_to, outlook_subject = reply_to_of_last_email(awaiting.email)
    in_review = factories.intake_request(email="jean.martin@gmail.com")
    committed(commands.take, in_review, by=team_member)
    gmail_to, gmail_subject = reply_to_of_last_email(in_review.email)
    submitted = factories.intake_request(email="camille@example.fr")
    mail.outbox.clear()

    imap.append(messages.outlook_reply(to=outlook_to[0], subject=f"RE: {outlook_subject}"))
    imap.append(messages.gmail_html_reply(to=gmail_to[0], subject=f"Re: {gmail_subject}"))
    imap.append(
        messages.reply_with_pdf(to=inbound.reply_address(submitted.pk), subject="Délibération")
    )
    imap.append(messages.forged(reference=in_review.reference))
    imap.append(messages.huge(to=outlook_to[0], subject="Comptes rendus", megabytes=26))

    assert run_mailbox_job(committed) == "mailbox : 5\n"

    awaiting.refresh_from_db()
    assert applicant_messages(awaiting) == [
        "Bonjour,\n\n"
        "Nous avons trois conseils de quartier et un budget participatif depuis 2024.\n\n"
        "Cordialement,\nMarie Dupont\nDirectrice générale des services\nMairie de Fresnes"
    ]
    # Released, as a reply on the status page does: back under review, its clock running.
    assert awaiting.status == Status.IN_REVIEW
    assert awaiting.paused_on is None
    in_review.refresh_from_db()
    assert applicant_messages(in_review) == [
        "Merci, c'est noté.\n"
        "Nous serons deux élus au rendez-vous : l'adjointe à la participation et moi."
    ]
    assert in_review.status == Status.IN_REVIEW
    [pdf_message] = submitted.messages.all()
    assert pdf_message.body == "Voici la délibération du conseil municipal."
    assert [
        (attachment.name, attachment.content_type, attachment.size)
        for attachment in pdf_message.attachments.all()
    ] == [("Délibération du 12 novembre.pdf", "application/pdf", len(messages.PDF))]
    assert pdf_message.attachments.get().file.read() == messages.PDF
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    # Each reply marks its request as having news, from the time it landed.
    for request in (awaiting, in_review, submitted):
        first = request.messages.filter(author="applicant").earliest("created_at")
        assert request.unread_since == first.created_at

    assert list(
        InboundEmail.objects.to_sort()
        .order_by("uid")
        .values_list("sender", "subject", "request", "message", "note")
    ) == [
        (
            "quelqu-un@malveillant.example",
            f"RE: Votre demande {in_review.reference}",
            None,
            None,
            "Aucune adresse de réponse d'une demande : à rattacher à la main.",
        ),
        (
            "marie.dupont@fresnes.fr",
            "Comptes rendus",
            None,
            None,
            "Courriel de 35,6\xa0Mio, au-delà de la limite de 25,0\xa0Mio : il n'est pas versé à "
            "une demande et reste en entier dans la boîte aux lettres (dossier « INBOX »), seuls "
            "ses en-têtes sont conservés ici.",
        ),
    ]
    assert InboundEmail.objects.filter(status=InboundEmail.Status.IMPORTED).count() == 3

    on_server = flags(imap)
    assert [found for found, _size in on_server.values()] == [
        IMPORTED,
        IMPORTED,
        IMPORTED,
        {PROCESSED},
        {PROCESSED},
    ]
    # The huge message is still whole on the server; the portal kept only its headers.
    [*_, (_flags, huge_size)] = on_server.values()
    huge = InboundEmail.objects.get(subject="Comptes rendus")
    assert huge.size == huge_size > 25 * 1024 * 1024
    headers = huge.raw.read()
    assert len(headers) < 2000
    assert message_from_bytes(headers)["Subject"] == "Comptes rendus"

    # The team hears of each reply, as of a message written on the status page.
    assert sorted(message.subject for message in mail.outbox) == sorted(
        f"Nouveau message sur la demande {request.reference}"
        for request in (awaiting, in_review, submitted)
    )


def test_a_second_run_imports_nothing_again(imap, awaiting, committed):
    reply_to, subject = reply_to_of_last_email(awaiting.email)
    imap.append(messages.outlook_reply(to=reply_to[0], subject=f"RE: {subject}"))

    assert run_mailbox_job(committed) == "mailbox : 1\n"
    assert run_mailbox_job(committed) == "mailbox : 0\n"

    assert len(applicant_messages(awaiting)) == 1
    assert InboundEmail.objects.count() == 1


def test_a_message_whose_row_exists_is_only_flagged(imap, awaiting, committed, monkeypatch):
    """A run that committed its row but died before flagging: the next one flags it."""
    reply_to, subject = reply_to_of_last_email(awaiting.email)
    imap.append(messages.outlook_reply(to=reply_to[0], subject=f"RE: {subject}"))
    monkeypatch.setattr("intake.mailbox._flag", lambda imap, uid, email: None)
    run_mailbox_job(committed)
    assert [found for found, _size in flags(imap).values()] == [set()]
    monkeypatch.undo()

    assert run_mailbox_job(committed) == "mailbox : 0\n"

    assert [found for found, _size in flags(imap).values()] == [IMPORTED]
    assert len(applicant_messages(awaiting)) == 1
    assert InboundEmail.objects.get().flagged_at is not None


def test_a_failed_import_leaves_the_message_unflagged_for_the_next_run(
    imap, awaiting, committed, monkeypatch
):
    reply_to, subject = reply_to_of_last_email(awaiting.email)
    imap.append(messages.outlook_reply(to=reply_to[0], subject=f"RE: {subject}"))

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("intake.lifecycle.mailbox.applicant_writes", broken)
    out, err = StringIO(), StringIO()
    with pytest.raises(Exception, match="Une tâche a échoué"):
        committed(call_command, "run_periodic", "--job", "mailbox", stdout=out, stderr=err)
    assert err.getvalue() == "mailbox : échec — RuntimeError: database went away\n"
    assert InboundEmail.objects.count() == 0
    assert [found for found, _size in flags(imap).values()] == [set()]
    monkeypatch.undo()

    assert run_mailbox_job(committed) == "mailbox : 1\n"
    assert len(applicant_messages(awaiting)) == 1


def test_a_forged_token_lands_nowhere(imap, awaiting, committed):
    real = inbound.reply_token(awaiting.pk)
    forged = real[:-4] + ("0000" if real[-4:] != "0000" else "1111")
    imap.append(
        messages.outlook_reply(
            to=f"territoires-engagement+{forged}@anct.gouv.fr",
            subject=f"RE: {awaiting.reference}",
        )
    )

    run_mailbox_job(committed)

    assert applicant_messages(awaiting) == []
    email = InboundEmail.objects.get()
    assert (email.status, email.note) == (
        InboundEmail.Status.TO_SORT,
        "L'adresse de réponse ne correspond à aucune demande.",
    )


def test_an_out_of_office_answer_never_releases_a_request(imap, awaiting, committed):
    reply_to, subject = reply_to_of_last_email(awaiting.email)
    raw = messages.outlook_reply(to=reply_to[0], subject=f"Absence : {subject}")
    imap.append(b"Auto-Submitted: auto-replied\r\n" + raw)

    run_mailbox_job(committed)

    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APPLICANT
    assert InboundEmail.objects.get().note == (
        "Réponse automatique (absence, erreur de distribution…)."
    )


def test_a_reply_to_an_ended_request_waits_in_to_sort(imap, awaiting, team_member, committed):
    reply_to, subject = reply_to_of_last_email(awaiting.email)
    committed(commands.mark_spam, awaiting, by=team_member)
    imap.append(messages.outlook_reply(to=reply_to[0], subject=f"RE: {subject}"))

    run_mailbox_job(committed)

    email = InboundEmail.objects.get()
    assert (email.status, email.request, email.note) == (
        InboundEmail.Status.TO_SORT,
        awaiting,
        "Cette demande est terminée.",
    )
    assert [found for found, _size in flags(imap).values()] == [{PROCESSED}]


def test_the_token_is_also_found_where_the_server_delivered_it(imap, awaiting, committed):
    """A server that rewrites To: still records the address in Delivered-To."""
    raw = messages.reply_with_pdf(to=TEAM_MAILBOX, subject="Délibération")
    imap.append(f"Delivered-To: {inbound.reply_address(awaiting.pk)}\r\n".encode() + raw)

    run_mailbox_job(committed)

    assert applicant_messages(awaiting) == ["Voici la délibération du conseil municipal."]


def test_the_job_is_off_without_an_imap_host(settings, committed):
    settings.IMAP_HOST = ""

    [outcome] = periodic.run_due(["mailbox"], force=True)

    assert (outcome.job, outcome.ran) == ("mailbox", False)
