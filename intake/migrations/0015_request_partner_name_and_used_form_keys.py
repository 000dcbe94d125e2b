import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def keep_partner_names(apps, schema_editor):
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    Partner = apps.get_model("home", "Partner")
    IntakeRequest.objects.filter(partner__isnull=False).update(
        partner_name=Subquery(Partner.objects.filter(pk=OuterRef("partner_id")).values("name"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0014_request_log_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerequest",
            name="partner_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="nom du partenaire"),
        ),
        migrations.RunPython(keep_partner_names, migrations.RunPython.noop),
        migrations.CreateModel(
            name="UsedFormKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.UUIDField()),
                ("scope", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="intake.intakerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "formulaire traité",
                "verbose_name_plural": "formulaires traités",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "scope"), name="intake_form_key_used_once"
                    )
                ],
            },
        ),
    ]
