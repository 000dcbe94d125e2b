"""Every screen of the back office a team member opens, in Chromium, under axe-core: the
dashboard, each tab of the queue, a request in each kind of status with every form it offers
(moves, appointments, scheduling), its history, the team's snippets and settings, the
permanence and a closure's appointments, the agenda, the reports, the site history."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake import booking
from intake.lifecycle import commands
from intake.lifecycle.moves import allowed_moves
from intake.models import (
    Appointment,
    Closure,
    IntakeRequest,
    Label,
    OpeningRule,
    OutgoingEmail,
    ReplyTemplate,
)
from intake.selectors import QUEUE_VIEWS
from tests import factories
from tests.browser.admin import sign_in
from tests.intake.factories import held_session, intake_request
from tests.intake.files import PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = IntakeRequest.Status


@pytest.fixture
def screens(demo_server):
    """(server, team member, the admin paths to visit)."""
    call_command("load_collectivites", stdout=StringIO())
    member = factories.user_in_group(
        "Équipe", "camille.agent", first_name="Camille", last_name="Agent"
    )
    Label.objects.create(name="Budget participatif", colour="green")
    slot = booking.available_slots()[0]
    new = intake_request(collectivite_name="Fresnes")
    appointment = commands.team_books(
        new, by=member, starts_at=slot.starts_at, kind=Appointment.Kind.FIRST_EXCHANGE
    )
    ongoing = intake_request(
        collectivite_name="Pamiers",
        status=Status.IN_PROGRESS,
        decided_at=timezone.now(),
        cadence="regular",
        next_session_from=timezone.localdate(),
        next_session_until=timezone.localdate(),
    )
    # A suspended accompaniment: its page and its move forms.
    suspended = intake_request(
        collectivite_name="Foix",
        status=Status.SUSPENDED,
        decided_at=timezone.now(),
        cadence="regular",
        suspended_on=timezone.localdate(),
    )
    ended = intake_request(
        collectivite_name="Lavaur", status=Status.DECLINED, ended_at=timezone.now()
    )
    commands.applicant_writes(
        new, body="Nous avons une question.", files=[("Délibération.pdf", PDF)]
    )
    commands.add_note(new, by=member, body="À rappeler.", pinned=True)
    closure = Closure.objects.create(
        start_date=timezone.localdate(slot.starts_at), end_date=timezone.localdate(slot.starts_at)
    )
    paths = ["/admin/", "/admin/demandes/", "/admin/accompagnements/"]
    paths.append("/admin/accompagnements/?state=to_plan&ordering=-next_on")
    paths += [f"/admin/demandes/?vue={tab}" for tab in QUEUE_VIEWS]
    for intake in (new, ongoing, suspended, ended):
        paths.append(f"/admin/demandes/{intake.pk}/")
        paths += [f"/admin/demandes/{intake.pk}/{move.name}/" for move in allowed_moves(intake)]
        paths.append(f"/admin/demandes/history/{intake.pk}/")
    base = f"/admin/demandes/{new.pk}/rendez-vous/"
    paths += [
        f"{base}{appointment.pk}/{action}/" for action in ("confirmer", "deplacer", "annuler")
    ]
    paths.append(f"{base}nouveau/")
    # A session of the accompaniment, held: its record form, and a new one to schedule.
    held = held_session(ongoing)
    commands.record_session(
        held,
        by=member,
        subjects=["strategy"],
        report="<p>Deux axes retenus.</p>",
        report_shared=True,
        partners=[],
        new_items=[("Délibérer", "collectivite", None)],
    )
    paths += [
        f"/admin/demandes/{ongoing.pk}/rendez-vous/{held.pk}/compte-rendu/",
        f"/admin/demandes/{ongoing.pk}/rendez-vous/nouveau/",
    ]
    template = ReplyTemplate.objects.first()
    failed = OutgoingEmail.objects.filter(request=new).first()
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error="550 mailbox full"
    )
    paths += [
        "/admin/snippets/intake/label/",
        "/admin/snippets/intake/label/add/",
        f"/admin/snippets/intake/label/edit/{Label.objects.get().pk}/",
        "/admin/snippets/intake/replytemplate/",
        "/admin/snippets/intake/replytemplate/add/",
        f"/admin/snippets/intake/replytemplate/edit/{template.pk}/",
        "/admin/permanence/regles/",
        "/admin/permanence/regles/new/",
        f"/admin/permanence/regles/edit/{OpeningRule.objects.get().pk}/",
        "/admin/permanence/fermetures/",
        "/admin/permanence/fermetures/new/",
        f"/admin/permanence/fermetures/edit/{closure.pk}/",
        f"/admin/permanence/fermetures/rendez-vous/{closure.pk}/",
        # The agenda: this week, and the first slot's week with its appointment and closure.
        "/admin/agenda/",
        f"/admin/agenda/?semaine={timezone.localdate(slot.starts_at).isoformat()}",
        "/admin/settings/intake/teamsettings/",
        # The activity reports: the charts and the map of the last 12 months.
        "/admin/rapports/",
        "/admin/reports/site-history/",
        "/admin/courriels-sortants/",
        f"/admin/courriels-sortants/{failed.pk}/",
    ]
    return demo_server, member, paths


def test_every_back_office_screen_passes_axe(screens, page, axe_check):
    server, member, paths = screens
    sign_in(page, server.url, member)
    for number, path in enumerate(paths, 1):
        response = page.goto(server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        step = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
        axe_check(page, f"{number:02d}-{step}")
    assert len(paths) > 35
