"""The request form page's seeded texts no longer type the permanence's day nor offer to move
an appointment that may not exist: the page says both from the data. Texts an editor changed
are left as they are."""

from django.db import migrations

OLD_INTRODUCTION = (
    "<p>Présentez votre collectivité et vos besoins, puis choisissez un créneau pour un "
    "premier échange en visioconférence pendant la permanence du lundi. L'équipe de "
    "Territoires d'engagement vous répond rapidement.</p>"
)
NEW_INTRODUCTION = (
    "<p>Présentez votre collectivité et vos besoins, puis choisissez un créneau pour un "
    "premier échange en visioconférence pendant la permanence de l'équipe. L'équipe de "
    "Territoires d'engagement vous répond rapidement.</p>"
)
OLD_CONFIRMATION = (
    "<p>Vous pouvez à tout moment suivre votre demande, déplacer ou annuler le rendez-vous "
    "et écrire à l'équipe grâce au lien reçu par courriel.</p>"
)


def update_texts(apps, schema_editor):
    IntakeFormPage = apps.get_model("intake", "IntakeFormPage")
    IntakeFormPage.objects.filter(introduction=OLD_INTRODUCTION).update(
        introduction=NEW_INTRODUCTION
    )
    IntakeFormPage.objects.filter(confirmation_text=OLD_CONFIRMATION).update(confirmation_text="")


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_remove_intakerequest_access_token_hash")]

    operations = [migrations.RunPython(update_texts, migrations.RunPython.noop)]
