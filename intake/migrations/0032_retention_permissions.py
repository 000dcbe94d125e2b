"""The retention settings (home's RetentionSettings): the team changes them, moderators and
the team read them (moderators answer for the privacy page that shows them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ("Équipe", "Modérateurs")
WRITERS = ("Équipe",)


def retention_permissions(apps, schema_editor):
    home = apps.get_app_config("home")
    home.models_module = True
    create_permissions(home, apps=apps, verbosity=0)
    home.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    view, change = (
        Permission.objects.get(content_type__app_label="home", codename=codename)
        for codename in ("view_retentionsettings", "change_retentionsettings")
    )
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(view)
    for group in Group.objects.filter(name__in=WRITERS):
        group.permissions.add(change)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0031_statistics_page"),
        ("home", "0009_retention_settings"),
    ]

    operations = [migrations.RunPython(retention_permissions, migrations.RunPython.noop)]
