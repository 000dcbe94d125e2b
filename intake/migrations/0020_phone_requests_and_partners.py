"""Requests typed in by the team (how the consent was given, and by whom the request was
entered), the team's right to create and edit the partners it redirects to, and the default
redirection message in words without grammatical gender (where the team left it untouched)."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TEAM = "Équipe"
PARTNER_PERMISSIONS = ["add_partner", "change_partner", "view_partner"]
GENDERED_REDIRECT = (
    "Bonjour {contact},\n\n"
    "Après examen, nous pensons que {partenaire} est le mieux placé pour accompagner "
    "{collectivite} sur ce sujet. Nous vous invitons à prendre contact avec lui de "
    "notre part.\n\nSuivre votre demande et nous écrire : {lien_suivi}\n\n"
    "{agent}, pour l'équipe Territoires d'engagement"
)
WITHOUT_GENDER = (
    "Bonjour {contact},\n\n"
    "Après examen, nous vous orientons vers {partenaire}, dont l'offre répond le mieux aux "
    "besoins de {collectivite} sur ce sujet. Ses coordonnées figurent sous ce message : "
    "n'hésitez pas à prendre contact de notre part.\n\nSuivre votre demande et nous écrire : "
    "{lien_suivi}\n\n{agent}, pour l'équipe Territoires d'engagement"
)


def team_edits_partners(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    team, _ = Group.objects.get_or_create(name=TEAM)
    team.permissions.add(
        *Permission.objects.filter(content_type__app_label="home", codename__in=PARTNER_PERMISSIONS)
    )


def redirect_without_gender(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    ReplyTemplate.objects.filter(purpose="redirect", body=GENDERED_REDIRECT).update(
        body=WITHOUT_GENDER
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_partner_contact"),
        ("intake", "0019_phones_in_e164"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerequest",
            name="consent_channel",
            field=models.CharField(
                choices=[
                    ("online", "En ligne, dans le formulaire"),
                    ("oral", "Oralement"),
                    ("written", "Par écrit"),
                ],
                default="online",
                max_length=10,
                verbose_name="consentement donné",
            ),
        ),
        migrations.AddField(
            model_name="intakerequest",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="saisie par",
            ),
        ),
        migrations.RunPython(team_edits_partners, migrations.RunPython.noop),
        migrations.RunPython(redirect_without_gender, migrations.RunPython.noop),
    ]
