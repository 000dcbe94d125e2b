"""The team group (the only one that sees requests) and the /demande/ page under home."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from home.page_tree import count_children, last_child_fields

TEAM = "Équipe"
TEAM_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("intake", "view_intakerequest"),
    ("intake", "view_personal_data"),
    ("intake", "view_appointment"),
    ("intake", "view_requestmessage"),
    *[
        ("intake", f"{action}_{model}")
        for model in ("openingrule", "closure")
        for action in ("add", "change", "delete", "view")
    ],
]
INTRODUCTION = (
    "<p>Présentez votre collectivité et vos besoins, puis choisissez un créneau pour un "
    "premier échange en visioconférence pendant la permanence du lundi. L'équipe de "
    "Territoires d'engagement vous répond rapidement.</p>"
)
CONFIRMATION = (
    "<p>Vous pouvez à tout moment suivre votre demande, déplacer ou annuler le rendez-vous "
    "et écrire à l'équipe grâce au lien reçu par courriel.</p>"
)


def create_team_and_page(apps, schema_editor):
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

    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    IntakeFormPage = apps.get_model("intake.IntakeFormPage")
    ContentType = apps.get_model("contenttypes.ContentType")
    home = HomePage.objects.filter(depth=2).first()
    if home is None or IntakeFormPage.objects.exists():
        return
    if Page.objects.filter(depth=3, path__startswith=home.path, slug="demande").exists():
        return
    IntakeFormPage.objects.create(
        title="Demande d'accompagnement",
        draft_title="Demande d'accompagnement",
        content_type=ContentType.objects.get_or_create(app_label="intake", model="intakeformpage")[
            0
        ],
        **last_child_fields(Page, home, "demande"),
        live=True,
        show_in_menus=False,
        introduction=INTRODUCTION,
        confirmation_text=CONFIRMATION,
    )
    count_children(Page, home)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_outbox_and_form_page"),
        ("home", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_team_and_page, migrations.RunPython.noop)]
