"""The permanence the cell announces: Mondays 14:00–17:00, 30-minute slots, one seat each."""

from datetime import time

from django.db import migrations

DEFAULT_RULE = {
    "weekday": 0,
    "start_time": time(14, 0),
    "end_time": time(17, 0),
    "slot_minutes": 30,
    "seats": 1,
    "min_days_ahead": 2,
    "max_days_ahead": 56,
}


def create_default_rule(apps, schema_editor):
    OpeningRule = apps.get_model("intake", "OpeningRule")
    OpeningRule.objects.get_or_create(
        **DEFAULT_RULE, defaults={"label": "Permanence du lundi", "active": True}
    )


def delete_default_rule(apps, schema_editor):
    apps.get_model("intake", "OpeningRule").objects.filter(**DEFAULT_RULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_booking"),
    ]

    operations = [
        migrations.RunPython(create_default_rule, delete_default_rule),
    ]
