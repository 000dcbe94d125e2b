"""The reports' delays stored on each request, filled from the audit log and the
appointments by the same function the lifecycle calls."""

from django.db import migrations, models

from intake.lifecycle import delays

# The team's deciding moves when the columns came (moves.decision_actions() then).
DECISIONS = {
    "intake.accept",
    "intake.decline",
    "intake.duplicate",
    "intake.redirect",
    "intake.spam",
}


def fill(apps, schema_editor):
    delays.backfill(
        apps.get_model("intake", "IntakeRequest").objects,
        apps.get_model("intake", "RequestLogEntry").objects,
        apps.get_model("intake", "Appointment").objects,
        DECISIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0032_retention_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerequest",
            name="decision_working_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="jours ouvrés jusqu'à la première décision",
            ),
        ),
        migrations.AddField(
            model_name="intakerequest",
            name="session_working_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="jours ouvrés jusqu'à la première séance tenue",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
