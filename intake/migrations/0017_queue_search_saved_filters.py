"""The queue's search text (with a trigram index on PostgreSQL) and the saved filters."""

from collections import defaultdict

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from intake.text import normalise

TRIGRAM_INDEX = "intake_request_search_trgm"


def fill_search_text(apps, schema_editor):
    """The search text of the requests received so far, as IntakeRequest.search_document()
    writes it."""
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    Collectivite = apps.get_model("intake", "Collectivite")
    referential = Collectivite.objects.filter(kind__in=["departement", "outre_mer"])
    departements = {
        code: (name, region)
        for code, name, region in referential.values_list("code", "name", "region_code")
    }
    regions = dict(Collectivite.objects.filter(kind="region").values_list("code", "name"))
    texts = defaultdict(list)
    for model in ("RequestMessage", "InternalNote"):
        for request_id, body in apps.get_model("intake", model).objects.values_list(
            "request_id", "body"
        ):
            texts[request_id].append(body)
    batch = []
    for request in IntakeRequest.objects.select_related("collectivite").iterator(chunk_size=1000):
        collectivite = request.collectivite
        if collectivite is not None:
            name, departement, region = (
                collectivite.name,
                collectivite.departement_name,
                collectivite.region_code,
            )
        else:
            departement, region = departements.get(request.collectivite_departement, ("", ""))
            name = request.collectivite_name
        parts = [
            request.reference,
            name,
            departement,
            regions.get(region, ""),
            f"{request.first_name} {request.last_name}",
            request.email,
            request.context,
            *texts[request.pk],
        ]
        request.search_text = " ".join(filter(None, map(normalise, parts)))
        batch.append(request)
        if len(batch) == 1000:
            IntakeRequest.objects.bulk_update(batch, ["search_text"])
            batch = []
    IntakeRequest.objects.bulk_update(batch, ["search_text"])


def create_trigram_index(apps, schema_editor):
    """On PostgreSQL, each word of a search (LIKE '%word%') reads a trigram index instead of
    every row; pg_trgm is a trusted extension, which the database's owner may create."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX {TRIGRAM_INDEX} ON intake_intakerequest USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0016_mailbox_periodic_attachments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerequest",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.CreateModel(
            name="SavedQueueFilter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                ("querystring", models.CharField(max_length=2000, verbose_name="filtres")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_queue_filters",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "filtre enregistré",
                "verbose_name_plural": "filtres enregistrés",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "name"), name="unique_saved_filter_name"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
