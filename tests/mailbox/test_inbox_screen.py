""" "À trier" for the team: the emails the mailbox job could not place, read, attached to a
request or discarded, through the lifecycle."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from intake import inbound
from intake.lifecycle import mailbox
from intake.models import InboundEmail, IntakeRequest
from tests import factories as site_factories
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake import factories

from . import messages

pytestmark = pytest.mark.django_db

INDEX = "/admin/courriels-a-trier/"


def received(raw, uid=1):
    return mailbox.receive(folder="INBOX", uid_validity=7, uid=uid, size=len(raw), raw=raw)


@pytest.fixture
def awaiting():
    return factories.intake_request(
        status=IntakeRequest.Status.AWAITING_APPLICANT, email="camille@example.fr"
    )


@pytest.fixture
def raw_reply():
    """A reply sent to the team's plain address: nothing says which request it answers."""
    return messages.reply_with_pdf(to="territoires-engagement@anct.gouv.fr", subject="Délibération")


@pytest.fixture
def to_sort(awaiting, raw_reply):
    return received(raw_reply)


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client


def test_the_team_lists_what_is_left_to_sort(team_client, to_sort, awaiting):
    imported = received(
        messages.reply_with_pdf(to=inbound.reply_address(awaiting.pk), subject="x"), uid=2
    )
    assert imported.status == InboundEmail.Status.IMPORTED

    html = team_client.get(INDEX).content.decode()

    assert f'href="{INDEX}{to_sort.pk}/"' in html
    assert "camille@example.fr" in html
    assert f"{INDEX}{imported.pk}/" not in html


def test_the_team_reads_an_email_and_its_possible_requests(team_client, to_sort, awaiting):
    html = team_client.get(f"{INDEX}{to_sort.pk}/").content.decode()

    assert "Voici la délibération du conseil municipal." in html
    # The whole text is shown to the team, quotes included.
    assert "Pourriez-vous nous envoyer la délibération ?" in html
    assert "Délibération du 12 novembre.pdf" in html
    assert f'href="/admin/demandes/{awaiting.pk}/">{awaiting.reference}</a>' in html
    # The sender's only request is offered.
    assert f'value="{awaiting.reference}"' in html


def test_attaching_an_email_makes_it_the_applicant_s_message(
    team_client, to_sort, awaiting, team_member
):
    response = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "attach", "reference": awaiting.reference.lower()}
    )

    assert response.status_code == 302
    [message] = awaiting.messages.all()
    assert message.body == "Voici la délibération du conseil municipal."
    assert [attachment.name for attachment in message.attachments.all()] == [
        "Délibération du 12 novembre.pdf"
    ]
    awaiting.refresh_from_db()
    assert awaiting.status == IntakeRequest.Status.IN_REVIEW
    to_sort.refresh_from_db()
    assert (to_sort.status, to_sort.request, to_sort.message, to_sort.handled_by) == (
        InboundEmail.Status.IMPORTED,
        awaiting,
        message,
        team_member,
    )
    entry = ModelLogEntry.objects.for_instance(to_sort).get()
    assert (entry.action, entry.user, entry.data["detail"]) == (
        "intake.email_attached",
        team_member,
        awaiting.reference,
    )


def test_a_wrong_reference_is_refused_at_the_field(team_client, to_sort):
    response = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "attach", "reference": "TE-2026-99999"}
    )

    assert response.status_code == 400
    assert "Aucune demande ne porte la référence TE-2026-99999." in response.content.decode()
    to_sort.refresh_from_db()
    assert to_sort.status == InboundEmail.Status.TO_SORT


def test_an_email_to_an_ended_request_is_refused_with_the_reason(team_client, to_sort):
    ended = factories.intake_request(status=IntakeRequest.Status.CLOSED)

    response = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "attach", "reference": ended.reference}
    )

    assert response.status_code == 400
    assert "Cette demande est terminée." in response.content.decode()
    assert ended.messages.count() == 0


def test_discarding_an_email_is_logged(team_client, to_sort, team_member, raw_reply):
    response = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "discard", "reason": "Publicité"}
    )

    assert response.status_code == 302
    to_sort.refresh_from_db()
    assert (to_sort.status, to_sort.note, to_sort.handled_by) == (
        InboundEmail.Status.DISCARDED,
        "Publicité",
        team_member,
    )
    entry = ModelLogEntry.objects.for_instance(to_sort).get()
    assert (entry.action, entry.user) == ("intake.email_discarded", team_member)
    # Its raw bytes stay: nothing is lost.
    assert to_sort.raw.read() == raw_reply


def test_an_email_handled_already_cannot_be_handled_again(team_client, to_sort, team_member):
    mailbox.discard(to_sort, by=team_member)

    response = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "discard", "reason": ""}, follow=True
    )

    html = response.content.decode()
    assert "Ce courriel a déjà été traité." in html
    assert "Verser à la demande" not in html
    assert ModelLogEntry.objects.for_instance(to_sort).count() == 1


@pytest.mark.parametrize("role", ["anonymous", "editor", "moderator", "reader"])
def test_only_the_team_reads_or_sorts_emails(client, to_sort, awaiting, role):
    if role == "reader":
        user = get_user_model().objects.create_user("lecteur", "l@example.org", "x")
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_personal_data", "access_admin"])
        )
    elif role != "anonymous":
        user = site_factories.user_in_group(
            {"editor": "Éditeurs", "moderator": "Modérateurs"}[role], role
        )
    if role != "anonymous":
        client.force_login(user)

    for url in (INDEX, f"{INDEX}{to_sort.pk}/"):
        response = client.get(url)
        if role == "reader":
            assert response.status_code == 200
            assert "Verser à la demande" not in response.content.decode()
        else:
            assert response.status_code in (302, 403), url
    response = client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "attach", "reference": awaiting.reference}
    )
    assert response.status_code in (302, 403)
    to_sort.refresh_from_db()
    assert to_sort.status == InboundEmail.Status.TO_SORT
    assert awaiting.messages.count() == 0


def test_the_email_screens_are_valid_html(team_client, to_sort):
    """The list is Wagtail's own listing (its filter button holds a div, an error of Wagtail's
    markup that every filtered listing of the admin shares): the screens written here are
    checked."""
    vnu_command()
    wrong = team_client.post(
        f"{INDEX}{to_sort.pk}/", {"action": "attach", "reference": "TE-2026-99999"}
    )

    assert_valid_html(
        {
            "email": team_client.get(f"{INDEX}{to_sort.pk}/").content,
            "wrong reference": wrong.content,
        }
    )


def test_a_reply_with_a_refused_file_waits_then_lands_without_it(
    team_client, awaiting, team_member
):
    raw = messages.reply_with_files(
        to=inbound.reply_address(awaiting.pk),
        files=[("programme.exe", b"MZ\x90\x00"), ("plan.pdf", messages.PDF)],
    )

    email = received(raw)

    assert (email.status, email.request, email.note) == (
        InboundEmail.Status.TO_SORT,
        awaiting,
        "« programme.exe » n'est pas un format accepté : PDF, document bureautique ou image.",
    )
    assert awaiting.messages.count() == 0

    team_client.post(f"{INDEX}{email.pk}/", {"action": "attach", "reference": awaiting.reference})

    [message] = awaiting.messages.all()
    assert [attachment.name for attachment in message.attachments.all()] == ["plan.pdf"]
    email.refresh_from_db()
    assert (email.status, email.note) == (
        InboundEmail.Status.IMPORTED,
        "Pièces jointes non reprises : programme.exe.",
    )


def test_the_team_finds_an_email_by_its_sender(team_client, to_sort):
    other = received(messages.forged(reference="TE-2026-00001"), uid=2)

    html = team_client.get(INDEX, {"q": "camille@"}).content.decode()

    assert f"{INDEX}{to_sort.pk}/" in html
    assert f"{INDEX}{other.pk}/" not in html
