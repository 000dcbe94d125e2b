"""Data of the triage back office: each request's status link becomes its first access token,
existing requests get a response clock (and their typed collectivité its searchable name), the
team group gets the triage permissions, and the default reply templates are created."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from intake.text import normalise
from intake.workdays import add_working_days

# The default reply templates as they were written then (migrations never read today's code).
_SIGNATURE = "{agent}, pour l'équipe Territoires d'engagement"
_FOLLOW = "Suivre votre demande et nous écrire : {lien_suivi}"

DEFAULT_REPLIES = {
    "take": {
        "name": "Prise en charge",
        "subject": "Votre demande {reference} est prise en charge",
        "body": (
            "Bonjour {contact},\n\n"
            "Votre demande d'accompagnement pour {collectivite} est désormais suivie par "
            "{agent}, de l'équipe Territoires d'engagement. Nous revenons vers vous très "
            f"vite.\n\n{_FOLLOW}\n\nL'équipe Territoires d'engagement"
        ),
    },
    "ask": {
        "name": "Demande de précisions",
        "subject": "Une question sur votre demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "Pour bien préparer l'accompagnement de {collectivite}, nous avons besoin d'une "
            "précision : \n\n\n"
            "Vous pouvez nous répondre depuis votre page de suivi : {lien_suivi}\n\n"
            f"{_SIGNATURE}"
        ),
    },
    "accept": {
        "name": "Acceptation",
        "subject": "Votre demande {reference} est acceptée",
        "body": (
            "Bonjour {contact},\n\n"
            "Bonne nouvelle : la cellule de conseil et d'orientation accompagnera "
            "{collectivite}. Rendez-vous : {rendez_vous}.\n\n"
            "Nous vous enverrons le lien de la visioconférence avant l'échange.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "redirect": {
        "name": "Orientation vers un partenaire",
        "subject": "Votre demande {reference} : un partenaire pour vous accompagner",
        "body": (
            "Bonjour {contact},\n\n"
            "Après examen, nous pensons que {partenaire} est le mieux placé pour accompagner "
            "{collectivite} sur ce sujet. Nous vous invitons à prendre contact avec lui de "
            f"notre part.\n\n{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "decline": {
        "name": "Refus",
        "subject": "Votre demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous avons étudié avec attention la demande de {collectivite}. Nous ne sommes "
            "malheureusement pas en mesure de l'accompagner : \n\n\n"
            f"N'hésitez pas à revenir vers nous si votre projet évolue.\n\n{_SIGNATURE}"
        ),
    },
    "duplicate": {
        "name": "Doublon",
        "subject": "Votre demande {reference} rejoint une demande en cours",
        "body": (
            "Bonjour {contact},\n\n"
            "{collectivite} nous a déjà adressé une demande que nous suivons : nous "
            "regroupons les deux pour vous répondre d'une seule voix.\n\n"
            f"{_SIGNATURE}"
        ),
    },
    "close": {
        "name": "Clôture",
        "subject": "Fin de l'accompagnement — demande {reference}",
        "body": (
            "Bonjour {contact},\n\n"
            "L'accompagnement de {collectivite} par la cellule de conseil et d'orientation "
            "s'achève. Merci pour ces échanges ; nous restons disponibles si vous avez besoin "
            f"de nous à l'avenir.\n\n{_SIGNATURE}"
        ),
    },
    "reopen": {
        "name": "Réouverture",
        "subject": "Votre demande {reference} est rouverte",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous rouvrons la demande de {collectivite} et revenons vers vous très vite.\n\n"
            f"{_FOLLOW}\n\n{_SIGNATURE}"
        ),
    },
    "withdraw": {
        "name": "Retrait par la collectivité",
        "subject": "Votre demande {reference} est retirée",
        "body": (
            "Bonjour {contact},\n\n"
            "Nous avons bien noté le retrait de la demande de {collectivite}. Vous pouvez en "
            "déposer une nouvelle à tout moment.\n\n"
            "L'équipe Territoires d'engagement"
        ),
    },
    "message": {
        "name": "Message libre",
        "subject": "Message de l'équipe Territoires d'engagement — demande {reference}",
        "body": f"Bonjour {{contact}},\n\n\n\n{_SIGNATURE}\n\n{_FOLLOW}",
    },
}

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
