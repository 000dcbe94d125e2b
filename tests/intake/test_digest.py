"""The team's daily digest: on working days only (no weekend, no French public holiday), from
DIGEST_TIME (Paris) on, once per member and day, never empty, never to a member who turned it
off; its sections with their exact rows; two copies of the job at once send it once."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection

from intake import digest as digest_reads
from intake.booking import PARIS
from intake.emails import request_admin_url
from intake.lifecycle import digest
from intake.models import (
    ActionItem,
    Appointment,
    DigestDelivery,
    IntakeRequest,
    OutgoingEmail,
    TeamMemberPreference,
)
from tests import factories
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.conftest import sent_to
from tests.intake.factories import held_session, intake_request

Status = IntakeRequest.Status
NBSP = "\u00a0"


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def run(committed, now):
    return committed(digest.send_daily_digests, now=now)


def received(when, name):
    """A request received at ``when``, its first response due long after the dates tested."""
    return intake_request(
        collectivite_name=name,
        created_at=when,
        clock_started_on=when.date(),
        response_due_on=date(2028, 1, 3),
    )


def new_requests_of(message):
    """The references of the "Nouvelles demandes" section of a digest's text."""
    section = message.body.split("Nouvelles demandes (", 1)[1].split("\n\n", 1)[0]
    return [line[2:].split(" — ")[1] for line in section.splitlines() if line.startswith("- ")]


@pytest.mark.django_db
def test_working_days_only_and_the_day_after_a_holiday_covers_the_new_requests_since_the_last(
    team_member, committed
):
    received(at(date(2026, 12, 24), 6), "Albi")
    received(at(date(2026, 12, 24), 12), "Bram")
    received(at(date(2026, 12, 26), 10), "Castres")

    # Thursday 24 December: from 7:30, once.
    assert run(committed, at(date(2026, 12, 24), 7, 29)) == 0
    assert run(committed, at(date(2026, 12, 24), 7, 30)) == 1
    assert run(committed, at(date(2026, 12, 24), 7, 45)) == 0
    [thursday] = mail.outbox
    assert thursday.subject == "Récapitulatif du jeudi 24 décembre 2026"
    assert new_requests_of(thursday) == ["Albi"]

    # Christmas, Saturday, Sunday: nothing.
    for day in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27)):
        assert run(committed, at(day, 9)) == 0
    assert len(mail.outbox) == 1

    # Monday 28: what came since Thursday's digest.
    assert run(committed, at(date(2026, 12, 28), 8)) == 1
    monday = mail.outbox[1]
    assert monday.subject == "Récapitulatif du lundi 28 décembre 2026"
    assert new_requests_of(monday) == ["Bram", "Castres"]
    assert list(
        DigestDelivery.objects.order_by("day").values_list("member__username", "day", "sent")
    ) == [
        ("camille.agent", date(2026, 12, 24), True),
        ("camille.agent", date(2026, 12, 28), True),
    ]


@pytest.mark.django_db
def test_a_friday_sends_easter_monday_does_not(team_member, committed):
    received(at(date(2027, 3, 26), 6), "Albi")
    received(at(date(2027, 3, 29), 10), "Bram")

    assert run(committed, at(date(2027, 3, 26), 7, 30)) == 1
    assert run(committed, at(date(2027, 3, 29), 9)) == 0
    assert run(committed, at(date(2027, 3, 30), 7, 30)) == 1
    friday, tuesday = mail.outbox
    assert friday.subject == "Récapitulatif du vendredi 26 mars 2027"
    assert tuesday.subject == "Récapitulatif du mardi 30 mars 2027"
    assert new_requests_of(tuesday) == ["Bram"]


@pytest.mark.django_db
def test_the_hour_is_a_setting_on_the_paris_clock(team_member, committed, settings):
    settings.DIGEST_TIME = time(9, 15)
    received(at(date(2027, 3, 26), 6), "Albi")
    # 8:14 UTC is 9:14 in Paris in March (winter time).
    assert run(committed, datetime(2027, 3, 26, 8, 14, tzinfo=UTC)) == 0
    assert run(committed, datetime(2027, 3, 26, 8, 15, tzinfo=UTC)) == 1


@pytest.mark.django_db
def test_a_member_who_turned_it_off_gets_none(team_member, other_team_member, committed):
    received(at(date(2027, 3, 26), 6), "Albi")
    digest.set_daily_digest(team_member, enabled=False)

    assert run(committed, at(date(2027, 3, 26), 8)) == 1
    assert [message.to for message in mail.outbox] == [[other_team_member.email]]

    digest.set_daily_digest(team_member, enabled=True)
    received(at(date(2027, 3, 26), 9), "Bram")
    assert run(committed, at(date(2027, 3, 30), 8)) == 2
    # Back from the opt-out: the new requests since the last working day's digest time.
    assert new_requests_of(sent_to(team_member.email)[0]) == ["Bram"]
    assert TeamMemberPreference.objects.get(user=team_member).daily_digest is True


@pytest.mark.django_db
def test_an_empty_digest_is_not_sent_and_the_day_is_done(team_member, committed):
    assert run(committed, at(date(2027, 3, 26), 8)) == 0
    assert mail.outbox == []
    delivery = DigestDelivery.objects.get()
    assert (delivery.day, delivery.sent) == (date(2027, 3, 26), False)
    received(at(date(2027, 3, 26), 9), "Albi")
    assert run(committed, at(date(2027, 3, 26), 10)) == 0


@pytest.mark.django_db
def test_someone_outside_the_team_or_inactive_gets_none(team_member, committed):
    factories.user_in_group("Éditeurs", "claude.redac")
    team_member.is_active = False
    team_member.save()
    received(at(date(2027, 3, 26), 6), "Albi")
    assert run(committed, at(date(2027, 3, 26), 8)) == 0


@pytest.mark.django_db
def test_a_digest_claimed_by_another_copy_is_not_sent_again(team_member, committed, monkeypatch):
    """The insert on the unique constraint decides, whatever a copy read before it."""
    received(at(date(2027, 3, 26), 6), "Albi")
    friday = date(2027, 3, 26)
    DigestDelivery.objects.create(member=team_member, day=friday, sent=True)
    read_before_the_other_copy_claimed = digest_reads.recipients(date(2000, 1, 3))
    monkeypatch.setattr(
        digest.digest, "recipients", lambda today: read_before_the_other_copy_claimed
    )

    assert run(committed, at(friday, 8)) == 0
    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 1


@pytest.fixture
def busy_tuesday(team_member, other_team_member):
    """Tuesday 30 March 2027, after Easter Monday: something for every section."""
    tuesday = date(2027, 3, 30)
    long_ago = at(date(2027, 3, 1), 10)
    requests = {
        "before": received(at(date(2027, 3, 26), 7), "Albi"),
        "new": received(at(date(2027, 3, 27), 10), "Lavaur"),
        "spam": intake_request(status=Status.SPAM, created_at=at(date(2027, 3, 28), 10)),
        "due": intake_request(
            collectivite_name="Gaillac",
            status=Status.IN_REVIEW,
            assignee=team_member,
            created_at=long_ago,
            clock_started_on=date(2027, 3, 1),
            response_due_on=tuesday,
        ),
        "late": intake_request(
            collectivite_name="Mazamet",
            created_at=long_ago,
            clock_started_on=date(2027, 3, 1),
            response_due_on=date(2027, 3, 25),
        ),
        "waiting": intake_request(
            collectivite_name="Graulhet",
            status=Status.AWAITING_APPLICANT,
            created_at=long_ago,
            clock_started_on=date(2027, 3, 1),
            response_due_on=date(2027, 3, 5),
            paused_on=date(2027, 3, 2),
        ),
        "accepted": intake_request(
            collectivite_name="Carmaux",
            status=Status.IN_PROGRESS,
            created_at=long_ago,
            clock_started_on=date(2027, 3, 1),
            decided_at=long_ago,
        ),
        # Accompaniments whose next session is late, and to plan, with none booked.
        "late_session": intake_request(
            collectivite_name="Castres",
            status=Status.IN_PROGRESS,
            created_at=long_ago,
            decided_at=long_ago,
            next_session_from=date(2027, 2, 1),
            next_session_until=date(2027, 3, 1),
        ),
        "to_plan": intake_request(
            collectivite_name="Millau",
            status=Status.IN_PROGRESS,
            created_at=long_ago,
            decided_at=long_ago,
            next_session_from=date(2027, 3, 29),
            next_session_until=date(2027, 4, 26),
        ),
    }
    first_exchange = Appointment.objects.create(
        request=requests["due"],
        starts_at=at(tuesday, 9, 30),
        ends_at=at(tuesday, 10),
        seat=None,
    )
    session = Appointment.objects.create(
        request=requests["accepted"],
        kind=Appointment.Kind.WORKING_SESSION,
        starts_at=at(tuesday, 14),
        ends_at=at(tuesday, 15),
        seat=None,
    )
    session.hosts.add(other_team_member)
    Appointment.objects.create(
        request=requests["accepted"],
        kind=Appointment.Kind.WORKING_SESSION,
        starts_at=at(tuesday + timedelta(days=1), 14),
        ends_at=at(tuesday + timedelta(days=1), 15),
        seat=None,
    )
    held = held_session(requests["accepted"])
    for title, owner, due_on, done in [
        ("Envoyer le budget participatif", "collectivite", tuesday, False),
        ("Présenter deux prestataires", "team", date(2027, 3, 26), False),
        ("Relire la charte", "team", tuesday, True),
        ("Réunir le comité", "collectivite", tuesday + timedelta(days=1), False),
    ]:
        ActionItem.objects.create(
            appointment=held,
            title=title,
            owner=owner,
            due_on=due_on,
            done_at=at(tuesday, 8) if done else None,
        )
    return tuesday, requests, first_exchange


@pytest.mark.django_db
def test_each_section_holds_its_rows_with_their_links(
    busy_tuesday, team_member, other_team_member, committed
):
    tuesday, requests, _first_exchange = busy_tuesday

    assert run(committed, at(tuesday, 7, 30)) == 2

    def url(key):
        return request_admin_url(requests[key])

    new, due, late = requests["new"], requests["due"], requests["late"]
    accepted = requests["accepted"]
    late_session, to_plan = requests["late_session"], requests["to_plan"]
    [to_camille] = sent_to(team_member.email)
    assert to_camille.body == (
        "Bonjour Camille Agent, voici le récapitulatif du mardi 30 mars.\n"
        "\n"
        "Nouvelles demandes (1)\n"
        f"- {new.reference} — Lavaur — reçue le 27 mars 2027 à 10{NBSP}h\n"
        f"  {url('new')}\n"
        "\n"
        "Premières réponses attendues aujourd'hui (1)\n"
        f"- {due.reference} — Gaillac — suivie par Camille Agent\n"
        f"  {url('due')}\n"
        "\n"
        "Premières réponses en retard (1)\n"
        f"- {late.reference} — Mazamet — attendue le 25 mars, non attribuée\n"
        f"  {url('late')}\n"
        "\n"
        "Premiers échanges et séances de travail du jour (2)\n"
        f"- {due.reference} — Gaillac — 9{NBSP}h{NBSP}30, premier échange (vous)\n"
        f"  {url('due')}\n"
        f"- {accepted.reference} — Carmaux — 14{NBSP}h, séance de travail avec Dominique Agent\n"
        f"  {url('accepted')}\n"
        "\n"
        "Accompagnements à planifier ou en retard (2)\n"
        f"- {late_session.reference} — Castres — séance en retard : à tenir au plus tard le"
        " 1 mars 2027\n"
        f"  {url('late_session')}\n"
        f"- {to_plan.reference} — Millau — séance à planifier d'ici le 26 avril 2027\n"
        f"  {url('to_plan')}\n"
        "\n"
        "Actions à mener arrivées à échéance (2)\n"
        "- Présenter deux prestataires (l'équipe) — en retard, pour le 26 mars"
        f" — {accepted.reference} — Carmaux\n"
        f"  {url('accepted')}\n"
        "- Envoyer le budget participatif (la collectivité) — pour aujourd'hui"
        f" — {accepted.reference} — Carmaux\n"
        f"  {url('accepted')}\n"
        "\n"
        "Vous recevez ce récapitulatif chaque jour ouvré ; vous pouvez le désactiver depuis "
        "votre compte, onglet « Notifications ».\n"
        "http://127.0.0.1:8000/admin/account/\n"
    )
    # The other member's own session is marked in theirs, the first exchange is not.
    [to_dominique] = sent_to(other_team_member.email)
    assert f"9{NBSP}h{NBSP}30, premier échange\n" in to_dominique.body
    assert "séance de travail avec Dominique Agent (vous)\n" in to_dominique.body
    html = to_camille.alternatives[0][0]
    assert f'<a href="{url("new")}">{new.reference} — Lavaur</a>' in html
    assert "premier échange <strong>(vous)</strong>" in html


@pytest.mark.django_db
def test_each_digest_reads_a_fixed_number_of_queries_whatever_its_rows(
    busy_tuesday, team_member, other_team_member, committed, django_assert_max_num_queries
):
    """Two members, two rows in some sections: no query per row (a prefetch for the hosts)."""
    tuesday, _requests, _first_exchange = busy_tuesday
    with django_assert_max_num_queries(43):
        assert run(committed, at(tuesday, 7, 30)) == 2


@pytest.mark.django_db
def test_the_digest_is_valid_html(busy_tuesday, committed):
    vnu_command()
    tuesday, _requests, _first_exchange = busy_tuesday
    run(committed, at(tuesday, 7, 30))
    assert_valid_html({email.subject: email.alternatives[0][0] for email in mail.outbox})


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_send_each_digest_once():
    # Earlier transactional tests recreated the content types: no stale id in the audit log.
    ContentType.objects.clear_cache()
    # Superusers: a flushed database (transactional tests) no longer holds the team's group.
    members = [
        get_user_model().objects.create_superuser(f"agent{number}", f"agent{number}@example.org")
        for number in range(4)
    ]
    received(at(date(2027, 3, 26), 6), "Albi")
    counts, barrier = [], threading.Barrier(2)

    def copy():
        barrier.wait()
        counts.append(digest.send_daily_digests(now=at(date(2027, 3, 26), 8)))
        connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(members) == 4
    assert OutgoingEmail.objects.filter(kind="team_digest").count() == 4
    assert DigestDelivery.objects.filter(sent=True).count() == 4
