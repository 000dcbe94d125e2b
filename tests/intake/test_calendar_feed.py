"""Each team member's private calendar feed: created, renewed and deleted from their account
page, read at its secret address by a calendar, with the events of their invitations (same
UID, same SEQUENCE) and nothing of the applicant's beyond them."""

from datetime import datetime, time, timedelta

import icalendar
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from intake.lifecycle import commands
from intake.lifecycle import feeds as feed_commands
from intake.lifecycle.base import MoveNotPermitted
from intake.models import PARIS, Appointment, CalendarFeed, IntakeRequest, TeamSettings
from tests.html_validity import html_errors, vnu_command
from tests.intake.conftest import sent_to
from tests.intake.factories import intake_request
from tests.two_factor import Client

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status
LINK = "https://webconf.numerique.gouv.fr/te-seance"
ACCOUNT = "/admin/account/"
ISSUE = "/admin/compte/agenda/nouvelle-adresse/"
REVOKE = "/admin/compte/agenda/supprimer/"
# Wagtail's account view gives its form no action (it posts to itself): its one error.
WAGTAIL_EMPTY_ACTION = "Bad value “” for attribute “action” on element “form”: Must be non-empty."


def feed_path(feed):
    return f"/agenda/{feed.token}.ics"


def events(response):
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def next_tuesday(at=time(10, 0)):
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=PARIS)


def appointment(intake, starts_at, *, hosts=(), status=Appointment.Status.BOOKED, **fields):
    """An appointment as the lifecycle leaves it, written directly (no invitation needed)."""
    created = Appointment.objects.create(
        request=intake,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        status=status,
        seat=None,
        **fields,
    )
    created.hosts.set(hosts)
    return created


@pytest.fixture
def accepted(db):
    return intake_request(
        collectivite_name="Lavaur",
        status=Status.ACCEPTED,
        decided_at=timezone.now(),
        first_name="Dominique",
        last_name="Roux",
        email="dominique.roux@example.fr",
        phone="+33563000000",
    )


@pytest.fixture
def anonymous():
    """A calendar: it cannot sign in, and keeps no cookie."""
    return Client()


def test_the_feed_holds_the_event_of_each_invitation(accepted, team_member, committed, anonymous):
    session = committed(
        commands.team_books,
        accepted,
        by=team_member,
        starts_at=next_tuesday(),
        minutes=90,
        hosts=[team_member],
        video_link=LINK,
    )
    [invitation_email] = sent_to(team_member.email)
    [(_name, content, _mimetype)] = invitation_email.attachments
    [invited] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    feed = feed_commands.issue(team_member)

    response = anonymous.get(feed_path(feed))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=0"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response.cookies == {}
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Territoires d’engagement — mes rendez-vous"
    [event] = events(response)
    assert str(event["UID"]) == str(invited["UID"]) == f"{session.ics_uid}@territoires-engagement"
    assert event["SEQUENCE"] == invited["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == invited.decoded("DTSTART") == next_tuesday()
    assert event.decoded("DTEND") == next_tuesday() + timedelta(minutes=90)
    admin_url = f"{settings.BASE_URL}/admin/demandes/{accepted.pk}/"
    summary = f"Séance de travail — Lavaur ({accepted.reference})"
    description = (
        f"Demande {accepted.reference} — Lavaur. Ouvrir : {admin_url}\nVisioconférence : {LINK}"
    )
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == (summary, description)
    assert (str(invited["SUMMARY"]), str(invited["DESCRIPTION"])) == (summary, description)
    assert str(event["URL"]) == admin_url
    assert str(event["STATUS"]) == "CONFIRMED"
    # A subscription answers nobody: no attendee, and nothing of the applicant's.
    assert "ATTENDEE" not in event
    text = response.content.decode()
    for personal in ("dominique.roux@example.fr", "Roux", "+33563000000", "63 00 00 00"):
        assert personal not in text
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None

    # Cancelled, it stays, marked so, with the cancellation's SEQUENCE: calendars remove it.
    committed(commands.cancel_appointment, session, by=team_member, message="Reportée.")
    [_, cancellation_email] = sent_to(team_member.email)
    [(_name, content, _mimetype)] = cancellation_email.attachments
    [cancelled] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    [event] = events(anonymous.get(feed_path(feed)))
    assert str(event["UID"]) == str(cancelled["UID"])
    assert event["SEQUENCE"] == cancelled["SEQUENCE"]
    assert str(event["STATUS"]) == str(cancelled["STATUS"]) == "CANCELLED"


def test_the_feed_holds_what_the_member_holds_or_is_assigned_only(
    accepted, team_member, other_team_member, anonymous
):
    now = timezone.now()
    soon = next_tuesday()
    hosted = appointment(accepted, soon, hosts=[team_member, other_team_member])
    theirs = intake_request(collectivite_name="Pamiers", assignee=team_member)
    first_exchange = appointment(
        theirs, soon + timedelta(days=1), kind=Appointment.Kind.FIRST_EXCHANGE
    )
    held_lately = appointment(
        theirs, now - timedelta(weeks=7), status=Appointment.Status.HELD, hosts=[team_member]
    )
    # Another member's session, on a request nobody gave them.
    foix = appointment(
        intake_request(collectivite_name="Foix"),
        soon + timedelta(hours=2),
        hosts=[other_team_member],
    )
    # Before the feed's eight weeks.
    appointment(
        accepted, now - timedelta(weeks=9), status=Appointment.Status.HELD, hosts=[team_member]
    )
    cancelled_lately = appointment(
        accepted,
        soon + timedelta(days=2),
        status=Appointment.Status.CANCELLED_BY_TEAM,
        hosts=[team_member],
    )
    cancelled_long_ago = appointment(
        accepted,
        soon + timedelta(days=3),
        status=Appointment.Status.CANCELLED_BY_APPLICANT,
        hosts=[team_member],
    )
    Appointment.objects.filter(pk=cancelled_long_ago.pk).update(updated_at=now - timedelta(days=31))
    feed = feed_commands.issue(team_member)

    found = [
        (str(event["UID"]), str(event["STATUS"]))
        for event in events(anonymous.get(feed_path(feed)))
    ]
    assert found == [
        (f"{held_lately.ics_uid}@territoires-engagement", "CONFIRMED"),
        (f"{hosted.ics_uid}@territoires-engagement", "CONFIRMED"),
        (f"{first_exchange.ics_uid}@territoires-engagement", "CONFIRMED"),
        (f"{cancelled_lately.ics_uid}@territoires-engagement", "CANCELLED"),
    ]
    # The other member holds the first one with them, and Foix's.
    other = feed_commands.issue(other_team_member)
    found = [str(event["UID"]) for event in events(anonymous.get(feed_path(other)))]
    assert found == [
        f"{hosted.ics_uid}@territoires-engagement",
        f"{foix.ics_uid}@territoires-engagement",
    ]


def test_the_feed_reads_in_as_many_queries_whatever_its_events(
    accepted, team_member, anonymous, django_assert_max_num_queries
):
    TeamSettings.load()  # made on its first reading
    feed = feed_commands.issue(team_member)
    start = next_tuesday()
    appointment(accepted, start, hosts=[team_member])
    # The feed, the member's permissions (groups, their permissions), the team's address, the
    # appointments, the fetch's time; the site is read once after a change, then kept with
    # the page shell (home/serving.py).
    anonymous.get(feed_path(feed))
    with django_assert_max_num_queries(6):
        assert len(events(anonymous.get(feed_path(feed)))) == 1
    for day in range(1, 20):
        other = intake_request(collectivite_name=f"Commune {day}", assignee=team_member)
        appointment(other, start + timedelta(days=day), hosts=[team_member])
    anonymous.get(feed_path(feed))
    with django_assert_max_num_queries(6):
        assert len(events(anonymous.get(feed_path(feed)))) == 20


def test_a_renewed_address_replaces_the_former_one(team_member, anonymous):
    first = feed_commands.issue(team_member)
    former = feed_path(first)
    renewed = feed_commands.issue(team_member)
    assert renewed.pk == first.pk and renewed.key != first.key
    assert anonymous.get(former).status_code == 404
    assert anonymous.get(feed_path(renewed)).status_code == 200


def test_a_deleted_feed_an_unknown_or_forged_address_answer_404(team_member, anonymous):
    feed = feed_commands.issue(team_member)
    path = feed_path(feed)
    token = feed.token
    forged = token[:16] + ("0" if token[16] != "0" else "1") + token[17:]
    for wrong in (f"/agenda/{forged}.ics", "/agenda/court.ics", f"/agenda/{token}0.ics"):
        assert anonymous.get(wrong).status_code == 404
    assert anonymous.post(path).status_code == 405
    feed_commands.revoke(team_member)
    assert anonymous.get(path).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_address_survives_a_rotated_secret_key_while_it_is_a_fallback(
    team_member, anonymous, settings
):
    feed = feed_commands.issue(team_member)
    path = feed_path(feed)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-nouvelle-clé-secrète-de-cinquante-caractères-au-moins"
    assert anonymous.get(path).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert anonymous.get(path).status_code == 404
    # The account page shows the address under the new key, which works.
    assert anonymous.get(feed_path(feed)).status_code == 200


def test_a_member_who_left_the_team_or_was_deactivated_has_no_feed(team_member, anonymous):
    feed = feed_commands.issue(team_member)
    path = feed_path(feed)
    team_member.groups.remove(Group.objects.get(name="Équipe"))
    assert anonymous.get(path).status_code == 404
    team_member.groups.add(Group.objects.get(name="Équipe"))
    team_member = type(team_member).objects.get(pk=team_member.pk)  # permissions read anew
    assert anonymous.get(path).status_code == 200
    team_member.is_active = False
    team_member.save()
    assert anonymous.get(path).status_code == 404


def test_only_a_team_member_gets_a_feed(editor):
    with pytest.raises(MoveNotPermitted):
        feed_commands.issue(editor)
    assert not CalendarFeed.objects.exists()


def test_the_account_page_creates_renews_and_deletes_the_feed(client, team_member, anonymous):
    client.force_login(team_member)
    page = client.get(ACCOUNT).content.decode()
    assert "<span data-panel-heading-text>Flux d&#x27;agenda</span>" in page
    assert f'<a class="button" href="{ISSUE}">Créer mon flux d\'agenda</a>' in page

    # Asking shows what it does, changes nothing.
    confirm = client.get(ISSUE)
    assert confirm.status_code == 200
    assert "Créer le flux</button>" in confirm.content.decode()
    assert not CalendarFeed.objects.exists()
    response = client.post(ISSUE, follow=True)
    assert response.redirect_chain == [(f"{ACCOUNT}#tab-agenda", 302)]
    feed = CalendarFeed.objects.get(user=team_member)
    url = f"{settings.BASE_URL}/agenda/{feed.token}.ics"
    page = response.content.decode()
    assert "Votre flux d&#x27;agenda est créé : abonnez-y votre agenda avec son adresse." in page
    assert f'<input type="text" id="calendar-feed-url" value="{url}" readonly' in page
    assert f'href="webcal://{url.split("://")[1]}"' in page
    assert "Aucun agenda ne l'a encore lue." in page
    assert "Thunderbird" in page and "Outlook" in page and "iPhone" in page

    anonymous.get(feed_path(feed))
    page = client.get(ACCOUNT).content.decode()
    assert "Un agenda l'a lue pour la dernière fois le" in page
    assert "Aucun agenda" not in page

    former = feed_path(feed)
    assert (
        "L&#x27;adresse actuelle cessera aussitôt de fonctionner"
        in client.get(ISSUE).content.decode()
    )
    response = client.post(ISSUE, follow=True)
    assert (
        "Votre flux d&#x27;agenda a une nouvelle adresse ; l&#x27;ancienne ne fonctionne plus."
        in (response.content.decode())
    )
    assert anonymous.get(former).status_code == 404
    renewed = CalendarFeed.objects.get(user=team_member)
    assert f"/agenda/{renewed.token}.ics" in response.content.decode()

    response = client.post(REVOKE, follow=True)
    assert "Votre flux d&#x27;agenda est supprimé : son adresse ne fonctionne plus." in (
        response.content.decode()
    )
    assert anonymous.get(feed_path(renewed)).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get("/admin/compte/agenda/autre/").status_code == 404


def test_changes_need_the_pages_csrf_token(team_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    assert client.post(ISSUE).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_someone_outside_the_team_sees_no_panel_and_gets_no_feed(client, editor):
    client.force_login(editor)
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    assert "Flux d&#x27;agenda" not in page.content.decode()
    # The admin's answer to a refusal: back to the dashboard, with a word.
    for response in (client.get(ISSUE), client.post(ISSUE)):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not CalendarFeed.objects.exists()


def test_a_feed_of_someone_who_left_answers_nothing_even_if_kept(editor, anonymous):
    feed = CalendarFeed.objects.create(user=editor, key=CalendarFeed.new_key())
    assert anonymous.get(feed_path(feed)).status_code == 404


def test_the_account_page_and_its_confirmations_are_valid_html(client, team_member):
    vnu_command()
    client.force_login(team_member)
    documents = {"account without feed": client.get(ACCOUNT).content}
    documents["create"] = client.get(ISSUE).content
    client.post(ISSUE)
    documents["account with feed"] = client.get(ACCOUNT).content
    documents["renew"] = client.get(ISSUE).content
    documents["delete"] = client.get(REVOKE).content
    errors = [
        error
        for error in html_errors(documents)
        if not (error.message == WAGTAIL_EMPTY_ACTION and 'id="w-editor-form"' in error.extract)
    ]
    assert errors == []
