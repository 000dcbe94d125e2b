"""The personal-data lifecycle: an ended request past its period is anonymised (nothing of the
person remains, in any column of anything attached to it, and every figure stays the same),
spam and sent emails are purged, the dry run changes nothing, batches resume, and two copies
never anonymise one request twice."""

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from home.models import Partner, RetentionSettings
from intake import periodic
from intake.lifecycle import commands, retention
from intake.lifecycle.base import MoveNotAllowed, MoveNotPermitted, MoveRefused
from intake.lifecycle.contacts import correct_contact
from intake.models import (
    AccessToken,
    ActionItem,
    Appointment,
    Attachment,
    CalendarFeed,
    InboundEmail,
    IntakeRequest,
    InternalNote,
    OutgoingEmail,
    RequestLogEntry,
    RequestMessage,
    SatisfactionAnswer,
    SessionRecord,
    UsedFormKey,
    private_storage,
)
from intake.reports.figures import report
from intake.reports.public import public_figures
from tests.intake import reports_fixture
from tests.intake.factories import held_session, intake_request
from tests.intake.files import PDF

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status

# What the applicant told of themselves: none of it may remain once anonymised.
SECRETS = {
    "first_name": "Gwenaëlle",
    "last_name": "Kerbrat",
    "email": "gwenaelle.kerbrat@example.fr",
    "new_email": "g.kerbrat@example.fr",
    "phone": "+33298765432",
    "new_phone": "+33298000111",
    "function": "Adjointe à la démocratie locale",
    "context": "Le quartier du Bourg veut son budget participatif",
    "existing_bodies": "Conseil des sages du Bourg",
    "file": "budget-bourg.pdf",
}
# Every table a request's data may reach.
SCANNED = [
    IntakeRequest,
    RequestMessage,
    InternalNote,
    Attachment,
    Appointment,
    SessionRecord,
    ActionItem,
    SatisfactionAnswer,
    OutgoingEmail,
    InboundEmail,
    AccessToken,
    RequestLogEntry,
    ModelLogEntry,
    UsedFormKey,
]


def months_ago(months):
    return timezone.now() - timedelta(days=31 * months)


def inbound_email(intake_request, uid, secrets=SECRETS, **fields):
    email = InboundEmail.objects.create(
        folder="INBOX",
        uid_validity=1,
        uid=uid,
        size=20,
        sender=intake_request.email,
        subject=f"Re: {secrets['last_name']}",
        message_id_header=f"<{uid}@{secrets['last_name'].lower()}.example.fr>",
        request=intake_request,
        note=f"De {secrets['first_name']}",
        **{"status": InboundEmail.Status.IMPORTED, **fields},
    )
    email.raw.save(f"1-{uid}.eml", ContentFile(f"From: {intake_request.email}".encode()))
    log(email, "intake.email_imported", data={"request": intake_request.pk, "detail": "x"})
    return email


def lived_request(team_member, *, ended_months_ago=25, **fields):
    """A request with everything hanging off it, told through the lifecycle: the applicant's
    details, then corrected ones; messages both ways with files, a note, a held session with
    its record and action items, an email received, the closure's bilan and the
    satisfaction; ended ``ended_months_ago`` months ago, its emails sent."""
    secrets = {**SECRETS, **fields}
    partner = Partner.objects.get_or_create(name="Fondation pour la participation")[0]
    found = intake_request(
        first_name=secrets["first_name"],
        last_name=secrets["last_name"],
        email=secrets["email"],
        phone=secrets["phone"],
        function=secrets["function"],
        context=secrets["context"],
        existing_bodies=secrets["existing_bodies"],
        needs=["strategy", "funding"],
    )
    AccessToken.issue(found)
    commands.take(found, by=team_member)
    who = f"{secrets['first_name']} {secrets['last_name']}"
    commands.applicant_writes(
        found, body=f"Bonjour, ici {who}, au {secrets['phone']}.", files=[(secrets["file"], PDF)]
    )
    commands.team_writes(
        found,
        by=team_member,
        body=f"Bonjour {who}, voici la note.",
        subject=f"Pour {who}",
        files=[(secrets["file"], PDF)],
    )
    commands.add_note(found, by=team_member, body=f"{who} préfère le matin.")
    found.refresh_from_db()
    correct_contact(
        found,
        by=team_member,
        first_name=secrets["first_name"],
        last_name=secrets["last_name"],
        function=secrets["function"],
        role=found.role,
        email=secrets["new_email"],
        phone=secrets["new_phone"],
    )
    IntakeRequest.objects.filter(pk=found.pk).update(status=Status.IN_PROGRESS)
    session = held_session(found)
    session.video_link = f"https://visio.example.fr/{secrets['last_name'].lower()}"
    session.save()
    commands.record_session(
        session,
        by=team_member,
        subjects=["strategy", "experts"],
        report=f"<p>{who} présente le budget.</p>",
        report_shared=True,
        partners=[partner],
        new_items=[(f"Rappeler {who}", ActionItem.Owner.TEAM, None)],
    )
    found.refresh_from_db()
    inbound_email(found, uid=found.pk, secrets=secrets)
    commands.close(
        found,
        by=team_member,
        summary=f"Bilan avec {who} : budget voté.",
        subjects=["strategy"],
    )
    commands.answer_satisfaction(found, score=4, comment=f"Merci, signé {who}")
    IntakeRequest.objects.filter(pk=found.pk).update(ended_at=months_ago(ended_months_ago))
    OutgoingEmail.objects.filter(request=found).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
    )
    found.refresh_from_db()
    return found


def rows(model):
    return [
        json.dumps(row, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
        for row in model.objects.order_by("pk").values()
    ]


def remaining(secrets):
    """(table, secret) of every secret still found in a column of a scanned table."""
    found = []
    for model in SCANNED:
        text = "\n".join(rows(model)).lower()
        found += [(model.__name__, value) for value in secrets.values() if value.lower() in text]
    return found


def figures(found):
    """What the reports count of a request: statuses, dates, collectivité, kinds, subjects,
    partners, outcomes, scores, sessions, and the events' order."""
    found = IntakeRequest.objects.get(pk=found.pk)
    return {
        "request": {
            field: getattr(found, field)
            for field in (
                "reference",
                "status",
                "collectivite_id",
                "collectivite_name",
                "collectivite_kind",
                "collectivite_departement",
                "role",
                "needs",
                "rhythm",
                "first_exchange",
                "consent_at",
                "consent_channel",
                "created_at",
                "taken_at",
                "decided_at",
                "ended_at",
                "closing_subjects",
                "partner_id",
                "partner_name",
                "assignee_id",
                "response_due_on",
                "paused_working_days",
                "started_on",
                "last_session_on",
            )
        },
        "themes": list(found.themes.values_list("pk", flat=True)),
        "appointments": list(
            found.appointments.values_list("kind", "status", "starts_at", "ends_at", "seat")
        ),
        "records": [
            (record.subjects, record.report_shared, list(record.partners.values_list("pk")))
            for record in SessionRecord.objects.filter(appointment__request=found)
        ],
        "action_items": list(
            ActionItem.objects.filter(appointment__request=found).values_list(
                "owner", "due_on", "done_at"
            )
        ),
        "satisfaction": list(found.satisfaction.__class__.objects.values_list("score")),
        "messages": list(found.messages.values_list("author", "created_at")),
        "events": list(
            RequestLogEntry.objects.filter(intake_request=found)
            .order_by("timestamp", "pk")
            .values_list("action", "timestamp")
        ),
    }


@pytest.fixture
def lived(team_member):
    return lived_request(team_member)


def test_nothing_of_the_person_remains_and_every_figure_stays(
    lived, team_member, django_capture_on_commit_callbacks
):
    kept = lived_request(
        team_member,
        ended_months_ago=23,
        first_name="Maëlys",
        last_name="Quéré",
        email="maelys.quere@example.fr",
        new_email="m.quere@example.fr",
        phone="+33296000000",
        new_phone="+33296111111",
        function="Directrice générale des services",
        context="La commune de Plestin veut un conseil citoyen",
        existing_bodies="Conseil municipal des jeunes",
        file="conseil-plestin.pdf",
    )
    files = list(Attachment.objects.filter(message__request=lived).values_list("file", flat=True))
    files += [InboundEmail.objects.get(request=lived).raw.name]
    assert all(private_storage().exists(name) for name in files)
    before = figures(lived)
    assert len(remaining(SECRETS)) > 10

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.anonymise_due()

    assert remaining(SECRETS) == []
    assert not any(private_storage().exists(name) for name in files)
    after = figures(lived)
    # One more event: the anonymisation itself.
    assert after.pop("events")[:-1] == before.pop("events")
    assert after == before
    assert counts.values == {
        "requests": 1,
        "attachments": 2,
        # The applicant's, the team's, and the replies of the taking and the closure.
        "messages": 4,
        "notes": 1,
        "session_records": 1,
        "action_items": 1,
        "satisfaction_comments": 1,
        "appointments": 1,
        "request_emails": 5,
        "inbound_emails": 1,
        "status_links": 1,
        "log_entries": 8,
    }
    anonymised = IntakeRequest.objects.get(pk=lived.pk)
    assert anonymised.anonymised_at is not None
    assert anonymised.search_text == anonymised.search_document()
    last = RequestLogEntry.objects.filter(intake_request=lived).first()
    assert (last.action, last.user, last.data) == (
        "intake.anonymised",
        None,
        {"detail": "Durée de conservation écoulée (24 mois après la fin)"},
    )
    # The request ended 23 months ago keeps everything.
    kept_secrets = {"last_name": "Quéré", "email": "m.quere@example.fr", "file": "conseil-plestin"}
    assert {secret for _table, secret in remaining(kept_secrets)} == set(kept_secrets.values())
    assert IntakeRequest.objects.get(pk=kept.pk).anonymised_at is None


def test_the_dry_run_lists_and_changes_nothing(lived):
    spam = intake_request(status=Status.SPAM, ended_at=timezone.now() - timedelta(days=31))
    OutgoingEmail.objects.create(
        kind="test",
        to=["x@example.fr"],
        subject="Ancien",
        body_text="T",
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now() - timedelta(days=91),
    )

    def snapshot():
        return {
            model.__name__: hashlib.sha256("\n".join(rows(model)).encode()).hexdigest()
            for model in SCANNED
        } | {model.__name__: model.objects.count() for model in (CalendarFeed,)}

    before = snapshot()
    out = StringIO()

    call_command("anonymise_personal_data", "--dry-run", stdout=out)

    assert snapshot() == before
    assert out.getvalue() == (
        "Simulation : rien n'est modifié.\n"
        "demandes anonymisées : 1\n"
        "messages effacés : 4\n"
        "notes internes effacées : 1\n"
        "pièces jointes supprimées : 2\n"
        "comptes rendus effacés : 1\n"
        "actions à mener effacées : 1\n"
        "avis effacés : 1\n"
        "rendez-vous sans lien de visioconférence : 1\n"
        "courriels des demandes anonymisées supprimés : 5\n"
        "courriels reçus effacés : 1\n"
        "événements du journal expurgés : 8\n"
        "liens de suivi supprimés : 1\n"
        "demandes indésirables supprimées : 1\n"
        "courriels reçus écartés effacés : 0\n"
        "courriels envoyés supprimés : 1\n"
        "flux d'agenda supprimés : 0\n"
        f"Demandes à anonymiser : {lived.reference}\n"
    )
    assert IntakeRequest.objects.filter(pk=spam.pk).exists()


def test_the_command_purges_then_anonymises_batch_after_batch(team_member):
    ended = [
        intake_request(status=Status.WITHDRAWN, ended_at=months_ago(30 - number))
        for number in range(5)
    ]
    out = StringIO()

    call_command("anonymise_personal_data", "--batch-size", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "Purges : 0 ligne(s)",
        "Lot : 2 demande(s) anonymisée(s)",
        "Lot : 2 demande(s) anonymisée(s)",
        "Lot : 1 demande(s) anonymisée(s)",
    ]
    assert "demandes anonymisées : 5" in lines
    assert IntakeRequest.objects.filter(anonymised_at__isnull=True).count() == 0
    assert all(
        not request.email for request in IntakeRequest.objects.filter(pk__in=[e.pk for e in ended])
    )


def test_a_round_stops_after_its_batch_and_the_next_resumes(monkeypatch):
    ended = [
        intake_request(status=Status.DECLINED, ended_at=months_ago(30 - number))
        for number in range(5)
    ]
    original = retention._scrub
    calls = []

    def failing_third(found, now):
        calls.append(found.pk)
        if len(calls) == 3:
            raise RuntimeError("coupure")
        return original(found, now)

    monkeypatch.setattr(retention, "_scrub", failing_third)
    with pytest.raises(RuntimeError):
        retention.anonymise_due(batch_size=10)

    # The first two stay anonymised; the third rolled back, whole, and is due again.
    done = set(
        IntakeRequest.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )
    assert done == {ended[0].pk, ended[1].pk}
    third = IntakeRequest.objects.get(pk=ended[2].pk)
    assert third.email and not third.log_entries.exists()

    monkeypatch.setattr(retention, "_scrub", original)
    assert retention.anonymise_due(batch_size=2)["requests"] == 2
    assert retention.anonymise_due(batch_size=2)["requests"] == 1
    assert retention.anonymise_due(batch_size=2)["requests"] == 0
    assert not IntakeRequest.objects.filter(anonymised_at__isnull=True).exists()


def test_a_copy_that_loses_the_race_skips_the_request(monkeypatch):
    """The other copy anonymised the request between this copy's read and its claim (on a
    database without row locks): this copy writes nothing of it, and logs nothing."""
    taken = intake_request(status=Status.CLOSED, ended_at=months_ago(30))
    other = intake_request(status=Status.CLOSED, ended_at=months_ago(29))
    original = retention._next_due
    reads = []

    def read_then_lose(now, settings):
        found = original(now, settings)
        if not reads:
            # The other copy's claim, committed between our read and our claim.
            IntakeRequest.objects.filter(pk=found.pk).update(anonymised_at=timezone.now())
        reads.append(found and found.pk)
        return found

    monkeypatch.setattr(retention, "_next_due", read_then_lose)

    counts = retention.anonymise_due(batch_size=5)

    assert counts["requests"] == 1
    assert reads == [taken.pk, other.pk, None]
    assert IntakeRequest.objects.get(pk=taken.pk).email == taken.email
    assert not RequestLogEntry.objects.filter(intake_request=taken).exists()
    assert IntakeRequest.objects.get(pk=other.pk).email == ""


def test_open_requests_spam_and_a_waiting_email_are_not_anonymised():
    intake_request(status=Status.IN_PROGRESS, ended_at=None)
    intake_request(status=Status.SPAM, ended_at=months_ago(30))
    waiting = intake_request(status=Status.CLOSED, ended_at=months_ago(30))
    OutgoingEmail.objects.create(
        request=waiting, kind="t", to=[waiting.email], subject="S", body_text="T"
    )

    # A team email waiting, of no request, holds none back.
    OutgoingEmail.objects.create(kind="t", to=["equipe@example.fr"], subject="S", body_text="T")
    assert retention.anonymise_due()["requests"] == 0

    OutgoingEmail.objects.filter(request=waiting).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
    )
    assert retention.anonymise_due()["requests"] == 1


def test_the_period_comes_from_the_settings():
    found = intake_request(status=Status.CLOSED, ended_at=months_ago(13))
    assert retention.anonymise_due()["requests"] == 0
    settings = RetentionSettings.load()
    settings.anonymise_after_months = 12
    settings.save()

    assert retention.anonymise_due()["requests"] == 1
    assert IntakeRequest.objects.get(pk=found.pk).anonymised_at is not None


def test_the_purges(team_member, django_capture_on_commit_callbacks):
    now = timezone.now()
    old_spam = intake_request(status=Status.SPAM, ended_at=now - timedelta(days=31))
    spam_email = inbound_email(old_spam, uid=100)
    message = RequestMessage.objects.create(request=old_spam, author="applicant", body="Achetez")
    spam_file = Attachment(message=message, name="x.pdf", content_type="application/pdf", size=3)
    spam_file.file.save("spam", ContentFile(b"PDF"), save=True)
    log(old_spam, "intake.spam", data={"detail": "Achetez"})
    fresh_spam = intake_request(status=Status.SPAM, ended_at=now - timedelta(days=29))
    discarded = inbound_email(
        intake_request(),
        uid=101,
        status=InboundEmail.Status.DISCARDED,
        handled_at=now - timedelta(days=31),
    )
    sent = {
        days: OutgoingEmail.objects.create(
            kind="t",
            to=["a@example.fr"],
            subject=f"{days}",
            body_text="T",
            status=OutgoingEmail.Status.SENT,
            sent_at=now - timedelta(days=days),
        )
        for days in (89, 91)
    }
    failed = OutgoingEmail.objects.create(
        kind="t",
        to=["a@example.fr"],
        subject="échec",
        body_text="T",
        status=OutgoingEmail.Status.FAILED,
        created_at=now - timedelta(days=91),
    )
    unread = CalendarFeed.objects.create(
        user=team_member, key="a" * 16, created_at=now - timedelta(days=200)
    )
    files = [spam_email.raw.name, discarded.raw.name, spam_file.file.name]

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.purge(now)

    assert counts.values == {
        "inbound_emails": 1,
        "spam": 1,
        "discarded_emails": 1,
        "sent_emails": 2,
        "status_links": 0,
        "calendar_feeds": 1,
    }
    assert list(IntakeRequest.objects.filter(status=Status.SPAM)) == [fresh_spam]
    assert not RequestLogEntry.objects.filter(intake_request_id=old_spam.pk).exists()
    assert not any(private_storage().exists(name) for name in files)
    spam_email.refresh_from_db()
    assert (spam_email.request, spam_email.sender, spam_email.raw.name) == (None, "", "")
    discarded.refresh_from_db()
    assert (discarded.sender, discarded.subject, discarded.note) == ("", "", "")
    assert list(OutgoingEmail.objects.all()) == [sent[89]]
    assert not OutgoingEmail.objects.filter(pk=failed.pk).exists()
    assert not CalendarFeed.objects.filter(pk=unread.pk).exists()
    entry = ModelLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(RetentionSettings),
        action=retention.PURGE_ACTION,
    )
    assert entry.data == counts.values
    # Nothing left to purge: nothing logged.
    assert not any(retention.purge(now).values.values())
    assert ModelLogEntry.objects.filter(action=retention.PURGE_ACTION).count() == 1


def test_a_feed_goes_with_its_member_s_access(team_member):
    feed = CalendarFeed.objects.create(
        user=team_member, key="b" * 16, last_fetched_at=timezone.now()
    )
    assert retention.purge()["calendar_feeds"] == 0
    team_member.groups.clear()

    assert retention.purge()["calendar_feeds"] == 1
    assert not CalendarFeed.objects.filter(pk=feed.pk).exists()


def test_the_periodic_job_runs_a_round():
    intake_request(status=Status.CLOSED, ended_at=months_ago(30))

    outcome = periodic.run(periodic.registry()["retention"], force=True)

    assert outcome.result == "demandes anonymisées : 1"
    assert periodic.run(periodic.registry()["retention"], force=True).result == 0


def test_the_team_anonymises_one_request_now(lived, team_member):
    counts = retention.anonymise(lived, by=team_member, reason="Demande de la personne du 3 mars")

    assert counts["requests"] == 1
    assert remaining(SECRETS) == []
    entry = RequestLogEntry.objects.filter(intake_request=lived).first()
    assert (entry.action, entry.user, entry.data) == (
        "intake.anonymised",
        team_member,
        {"detail": "Demande de la personne du 3 mars"},
    )
    with pytest.raises(retention.AlreadyAnonymised):
        retention.anonymise(lived, by=team_member, reason="Encore")


def test_anonymising_now_is_refused_when_it_cannot_be(team_member, moderator):
    open_request = intake_request()
    ended = intake_request(status=Status.CLOSED, ended_at=timezone.now())
    with pytest.raises(MoveNotAllowed, match="Une demande en cours ne s'anonymise pas"):
        retention.anonymise(open_request, by=team_member, reason="x")
    with pytest.raises(MoveRefused, match="Indiquez pourquoi"):
        retention.anonymise(ended, by=team_member, reason="  ")
    with pytest.raises(MoveNotPermitted):
        retention.anonymise(ended, by=moderator, reason="x")
    OutgoingEmail.objects.create(
        request=ended, kind="t", to=[ended.email], subject="S", body_text="T"
    )
    with pytest.raises(retention.EmailOnItsWay):
        retention.anonymise(ended, by=team_member, reason="x")
    assert not IntakeRequest.objects.filter(anonymised_at__isnull=False).exists()


def test_every_report_figure_is_the_same_after_anonymisation():
    """The reports' hand-built activity (tests/intake/reports_fixture.py), anonymised two
    years and more after it ended: the team's report and the public figures do not move."""
    reports_fixture.build()
    # The fixture sets some statuses without their move: they end when they were received.
    IntakeRequest.objects.ended().filter(ended_at__isnull=True).update(ended_at=F("created_at"))
    before = report(reports_fixture.PERIOD), public_figures(reports_fixture.PERIOD)
    later = timezone.now() + timedelta(days=3 * 366)
    due = retention.due_for_anonymisation(later).count()
    counts = retention.anonymise_due(now=later)
    assert counts["requests"] == due == 6
    assert IntakeRequest.objects.filter(anonymised_at__isnull=False).count() == counts["requests"]
    assert (report(reports_fixture.PERIOD), public_figures(reports_fixture.PERIOD)) == before
