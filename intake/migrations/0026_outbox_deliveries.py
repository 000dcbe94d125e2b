import uuid

from django.db import migrations, models


def give_keys(apps, schema_editor):
    OutgoingEmail = apps.get_model("intake", "OutgoingEmail")
    for email in OutgoingEmail.objects.filter(idempotency_key__isnull=True).only("pk"):
        OutgoingEmail.objects.filter(pk=email.pk).update(idempotency_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("intake", "0025_session_records")]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="idempotency_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outgoingemail",
            name="idempotency_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="sending_started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "À envoyer"),
                    ("sending", "Envoi en cours"),
                    ("sent", "Envoyé"),
                    ("failed", "Échec définitif"),
                ],
                default="pending",
                max_length=10,
                verbose_name="état",
            ),
        ),
    ]
