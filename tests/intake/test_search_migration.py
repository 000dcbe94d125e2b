"""Migration 0020 writes the search text of the requests received before it, as the lifecycle
writes it since."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("intake", "0014_request_log_entries")]
AFTER = [("intake", "0017_queue_search_saved_filters")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_search_text_of_earlier_requests():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Collectivite = apps.get_model("intake", "Collectivite")
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    Collectivite.objects.create(kind="region", code="04", name="La Réunion", region_code="04")
    Collectivite.objects.create(
        kind="departement", code="974", name="La Réunion", departement_code="974", region_code="04"
    )
    request = IntakeRequest.objects.create(
        reference="TE-2026-00001",
        submission_key=uuid.uuid4(),
        collectivite_name="Syndicat des eaux",
        collectivite_departement="974",
        first_name="Noé",
        last_name="Payet",
        function="Maire",
        role="elected",
        email="noe@example.re",
        phone="+262262400404",
        rhythm="one_off",
        context="Jardins partagés",
        first_exchange="slot",
        consent_at=timezone.now(),
    )
    apps.get_model("intake", "RequestMessage").objects.create(
        request=request, author="applicant", body="Où en est le budget participatif ?"
    )
    apps.get_model("intake", "InternalNote").objects.create(request=request, body="Rappeler")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    migrated = apps.get_model("intake", "IntakeRequest").objects.get()
    assert migrated.search_text == (
        "te 2026 00001 syndicat des eaux la reunion la reunion noe payet noe example re "
        "jardins partages ou en est le budget participatif rappeler"
    )
