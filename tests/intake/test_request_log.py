"""The requests' audit log: a table of its own, read by the team only, where the applicant's
events are the collectivité's."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from intake.lifecycle import commands
from intake.models import IntakeRequest, RequestLogEntry
from tests.intake.factories import intake_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(team_member):
    intake = intake_request(collectivite_name="Pamiers", status=IntakeRequest.Status.IN_REVIEW)
    commands.applicant_writes(intake, body="Voici nos précisions.")
    commands.add_note(intake, by=team_member, body="À rappeler.")
    return intake


def test_the_applicants_events_are_the_collectivites(client, team_member, written):
    entries = list(RequestLogEntry.objects.for_instance(written).order_by("pk"))
    assert [(e.action, e.user_display_name) for e in entries] == [
        ("intake.message_received", "Pamiers"),
        ("intake.note_added", "Camille Agent"),
    ]
    assert not ModelLogEntry.objects.filter(object_id=str(written.pk)).exists()
    client.force_login(team_member)
    for url in ("/admin/reports/site-history/", f"/admin/demandes/history/{written.pk}/"):
        page = client.get(url).content.decode()
        assert "Pamiers" in page and "Camille Agent" in page, url
        assert "système" not in page.lower(), url


def test_only_the_team_reads_the_requests_log(editor, moderator, team_member, written):
    assert RequestLogEntry.objects.viewable_by_user(team_member).count() == 2
    assert not RequestLogEntry.objects.viewable_by_user(editor).exists()
    assert not RequestLogEntry.objects.viewable_by_user(moderator).exists()
    team_member.is_active = False
    assert not RequestLogEntry.objects.viewable_by_user(team_member).exists()


def test_the_migration_moves_the_requests_entries_out_of_the_generic_log(team_member):
    intake = intake_request()
    content_type = ContentType.objects.get_for_model(IntakeRequest)
    old = ModelLogEntry.objects.create(
        content_type=content_type,
        object_id=str(intake.pk),
        label=str(intake),
        action="intake.take",
        user=team_member,
        timestamp=timezone.now(),
        data={"detail": "x"},
    )
    other = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(team_member),
        object_id=str(team_member.pk),
        label="user",
        action="wagtail.edit",
        timestamp=timezone.now(),
    )
    migration = importlib.import_module("intake.migrations.0014_request_log_entries")
    migration.move_entries(apps, None)
    [moved] = RequestLogEntry.objects.all()
    assert (moved.intake_request, moved.action, moved.user, moved.data, moved.label) == (
        intake,
        "intake.take",
        team_member,
        {"detail": "x"},
        str(intake),
    )
    assert moved.timestamp == old.timestamp
    assert list(ModelLogEntry.objects.all()) == [other]
