"""What a held session produced: the team records its subjects, compte-rendu (shared or
internal), partners and action items; the applicant sees only what is shared and marks its
own actions done, which the team sees in the thread."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from home.models import Partner
from intake.lifecycle import commands
from intake.lifecycle.base import MoveRefused
from intake.lifecycle.history import event_label
from intake.models import ActionItem, Appointment, IntakeRequest, RequestLogEntry
from tests.html_validity import assert_valid_html, vnu_command
from tests.intake.factories import held_session, intake_request, status_link

pytestmark = pytest.mark.django_db

Status = IntakeRequest.Status


def contentstate(text):
    """What Draftail posts for one paragraph."""
    block = {
        "key": "a1b2c",
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


@pytest.fixture
def client(committing_client, client, team_member):
    client.force_login(team_member)
    return committing_client


@pytest.fixture
def held(db):
    """A working session of an ongoing accompaniment, held last week."""
    ongoing = intake_request(
        collectivite_name="Pamiers", status=Status.IN_PROGRESS, decided_at=timezone.now()
    )
    return held_session(ongoing)


def record_url(appointment):
    return f"/admin/demandes/{appointment.request.pk}/rendez-vous/{appointment.pk}/compte-rendu/"


def test_the_team_records_a_held_session(client, held, team_member):
    partner = Partner.objects.create(name="Fondation des territoires", kind=Partner.Kind.FUNDER)
    due = timezone.localdate() + timedelta(days=30)
    page = client.get(record_url(held))
    assert page.status_code == 200
    assert "draftail" in page.content.decode().lower()
    response = client.post(
        record_url(held),
        {
            "subjects": ["strategy", "funding"],
            "report": contentstate("Deux axes retenus : budget participatif et conseil citoyen."),
            "report_shared": "on",
            "partners": [partner.pk],
            "item_1_title": "Envoyer la charte du conseil citoyen",
            "item_1_owner": "team",
            "item_2_title": "Délibérer sur le budget participatif",
            "item_2_owner": "collectivite",
            "item_2_due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    record = held.record
    assert record.subjects == ["strategy", "funding"]
    assert "Deux axes retenus : budget participatif et conseil citoyen." in record.report
    assert record.report_shared is True
    assert list(record.partners.all()) == [partner]
    # Dated actions first.
    assert list(held.action_items.values_list("title", "owner", "due_on", "done_at")) == [
        ("Délibérer sur le budget participatif", "collectivite", due, None),
        ("Envoyer la charte du conseil citoyen", "team", None, None),
    ]
    entry = RequestLogEntry.objects.for_instance(held.request).get(action="intake.session_recorded")
    assert entry.data == {"appointment": held.pk, "shared": True, "items": 2}

    html = client.get(f"/admin/demandes/{held.request.pk}/").content.decode()
    assert "Vos axes stratégiques en matière de démocratie participative ; Les pistes" in html
    assert "Partenaires indiqués : Fondation des territoires" in html
    assert "Délibérer sur le budget participatif (La collectivité, pour le " in html
    assert "Modifier le compte rendu" in html

    # Rewritten later: the team's action is done, nothing is added twice.
    team_item = held.action_items.get(owner="team")
    form = client.get(record_url(held)).context["form"]
    assert form["report_shared"].value() is True
    response = client.post(
        record_url(held),
        {"subjects": ["strategy"], "report": contentstate("Corrigé."), "done": [team_item.pk]},
    )
    assert response.status_code == 302
    team_item.refresh_from_db()
    assert team_item.done_at is not None
    assert held.action_items.count() == 2
    held.record.refresh_from_db()
    assert (held.record.subjects, held.record.report_shared) == (["strategy"], False)


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"item_1_title": "Relancer l'élu"}, "item_1_owner", "Dites qui mène cette action."),
        ({"item_2_owner": "team"}, "item_2_title", "Décrivez l'action."),
        ({"item_3_due_on": "2027-01-15"}, "item_3_title", "Décrivez l'action."),
        (
            {"item_1_due_on": "15/13/2027", "item_1_title": "X", "item_1_owner": "team"},
            "item_1_due_on",
            "Saisissez une date valide.",
        ),
    ],
)
def test_an_incomplete_action_is_said_at_its_field(client, held, fields, field, error):
    response = client.post(record_url(held), {"report": contentstate("Texte gardé."), **fields})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [error]
    assert not ActionItem.objects.exists()
    assert not hasattr(Appointment.objects.get(pk=held.pk), "record")


def test_a_booked_session_has_no_record_yet(client, held, team_member):
    Appointment.objects.filter(pk=held.pk).update(status=Appointment.Status.BOOKED)
    held.refresh_from_db()
    html = client.get(record_url(held)).content.decode()
    assert "Cette action n'est plus possible" in html
    with pytest.raises(MoveRefused):
        commands.record_session(
            held, by=team_member, subjects=[], report="", report_shared=False, partners=[]
        )


@pytest.fixture
def recorded(held, team_member):
    commands.record_session(
        held,
        by=team_member,
        subjects=["strategy"],
        report="<p>Le conseil citoyen sera tiré au sort.</p>",
        report_shared=True,
        partners=[],
        new_items=[
            ("Note interne : relancer la DGS", ActionItem.Owner.TEAM, None),
            ("Délibérer sur le budget participatif", ActionItem.Owner.COLLECTIVITE, None),
        ],
    )
    internal = held_session(held.request, days_ago=47)
    commands.record_session(
        internal,
        by=team_member,
        subjects=["coherence"],
        report="<p>Tensions au sein de la majorité.</p>",
        report_shared=False,
        partners=[],
    )
    return held


def test_the_applicant_sees_only_what_is_shared(client, recorded):
    client.logout()
    html = client.get(status_link(recorded.request)).content.decode()
    assert "Vos séances de travail" in html
    assert "Le conseil citoyen sera tiré au sort." in html
    assert "Délibérer sur le budget participatif" in html
    assert "Note interne : relancer la DGS" not in html
    assert "Tensions au sein de la majorité." not in html
    assert html.count("Séance du ") == 1  # the internal one shows nothing at all
    assert "C'est fait</button>" in html


def test_the_applicant_marks_its_action_done(client, recorded, team_member):
    client.logout()
    link = status_link(recorded.request)
    item = recorded.action_items.get(owner="collectivite")
    response = client.post(link, {"action": "action_done", "done-item": item.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    entry = RequestLogEntry.objects.for_instance(recorded.request).get(action="intake.action_done")
    assert entry.data == {"item": item.pk, "detail": "Délibérer sur le budget participatif"}
    html = client.get(link).content.decode()
    assert "C&#x27;est noté : l&#x27;action est faite, l&#x27;équipe le voit." in html
    assert "C'est fait</button>" not in html
    # Twice, or the team's item, or another request's: refused, nothing changes.
    team_item = recorded.action_items.get(owner="team")
    for pk in (item.pk, team_item.pk, 99999):
        response = client.post(link, {"action": "action_done", "done-item": pk})
        assert response.status_code == 400
    team_item.refresh_from_db()
    assert team_item.done_at is None
    # The team sees it in the thread.
    client.force_login(team_member)
    thread = client.get(f"/admin/demandes/{recorded.request.pk}/").context["thread"]
    assert event_label([item.object for item in thread if item.kind == "event"][-1]) == (
        "Action faite par la collectivité — Délibérer sur le budget participatif"
    )


def test_the_status_page_with_sessions_is_valid_html(client, recorded):
    vnu_command()
    client.logout()
    assert_valid_html(
        {"status page with sessions": client.get(status_link(recorded.request)).content}
    )
