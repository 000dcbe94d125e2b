"""Stored phone numbers to E.164. They were kept in a display form ('01 23 45 67 89',
'+687 12 34 56') that wrote a Réunion number as '02 62 40 04 04', a metropolitan one."""

from django.core.exceptions import ValidationError
from django.db import migrations

from intake.phone import normalise_phone


def to_e164(apps, schema_editor):
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    stored = IntakeRequest.objects.exclude(phone="").exclude(phone__regex=r"^\+[0-9]+$")
    for intake_request in stored.iterator():
        try:
            intake_request.phone = normalise_phone(intake_request.phone)
        except ValidationError:
            continue  # Not a number the form takes today: kept, and shown, as stored.
        intake_request.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0018_reply_templates_from_the_moves")]

    operations = [migrations.RunPython(to_e164, migrations.RunPython.noop)]
