"""Data of the triage back office: each request's status link becomes its first access token,
existing requests get a response clock (and their typed collectivité its searchable name), the
team group gets the triage permissions, and the default reply templates are created."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from intake.models.replies import DEFAULT_REPLIES
from intake.text import normalise
from intake.workdays import add_working_days

TEAM = "Équipe"
TEAM_PERMISSIONS = [
    ("intake", "triage"),
    ("intake", "change_teamsettings"),
    *[
        ("intake", f"{action}_{model}")
        for model in ("label", "replytemplate")
        for action in ("add", "change", "delete", "view")
    ],
]


def tokens_and_clocks(apps, schema_editor):
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    AccessToken = apps.get_model("intake", "AccessToken")
    for request in IntakeRequest.objects.all():
        AccessToken.objects.create(
            request=request, digest=request.access_token_hash, created_at=request.created_at
        )
        received = timezone.localdate(request.created_at)
        request.clock_started_on = received
        request.response_due_on = add_working_days(received, request.response_target_days)
        request.collectivite_search_name = normalise(request.collectivite_name)
        request.save(
            update_fields=["clock_started_on", "response_due_on", "collectivite_search_name"]
        )


def team_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    team, _ = Group.objects.get_or_create(name=TEAM)
    team.permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in TEAM_PERMISSIONS
        )
    )


def reply_templates(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    for purpose, fields in DEFAULT_REPLIES.items():
        ReplyTemplate.objects.get_or_create(purpose=purpose, name=fields["name"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_triage_back_office")]

    operations = [
        migrations.RunPython(tokens_and_clocks, migrations.RunPython.noop),
        migrations.RunPython(team_permissions, migrations.RunPython.noop),
        migrations.RunPython(reply_templates, migrations.RunPython.noop),
    ]
