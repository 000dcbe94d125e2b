"""The reply templates' purposes are now the moves' declarations (lifecycle/moves.py), offered
as choices by the admin form; and the blanks the team must fill are marked "[…]", which a
message can no longer be sent with. The stored templates get the mark where they still have
the empty blank of their default text."""

from django.db import migrations, models

# (purpose, the blank as the defaults left it, the same blank marked)
BLANKS = [
    ("ask", "précision : \n\n\n", "précision : […]\n\n"),
    ("decline", "l'accompagner : \n\n\n", "l'accompagner : […]\n\n"),
    ("message", "Bonjour {contact},\n\n\n\n", "Bonjour {contact},\n\n[…]\n\n"),
]


def mark_blanks(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    for purpose, blank, marked in BLANKS:
        for template in ReplyTemplate.objects.filter(purpose=purpose, body__contains=blank):
            template.body = template.body.replace(blank, marked, 1)
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0017_queue_search_saved_filters")]

    operations = [
        migrations.AlterField(
            model_name="replytemplate",
            name="body",
            field=models.TextField(
                help_text=(
                    "Variables possibles : {collectivite}, {contact}, {reference}, {lien_suivi}, "
                    "{rendez_vous}, {partenaire}, {agent}. Écrivez […] là où l'équipe doit "
                    "compléter le message (une question, un motif) : tant qu'il en reste un, le "
                    "message ne part pas."
                ),
                verbose_name="texte",
            ),
        ),
        migrations.AlterField(
            model_name="replytemplate",
            name="purpose",
            field=models.CharField(max_length=20, verbose_name="usage"),
        ),
        migrations.RunPython(mark_blanks, migrations.RunPython.noop),
    ]
