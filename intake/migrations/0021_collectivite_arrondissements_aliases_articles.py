import django.db.models.deletion
from django.db import migrations, models

# Since this migration {collectivite} says its article ("le Gers", "la CA du Pays de Gex"), and
# {de_collectivite} joins it to "de" ("du Gers"): the stored templates, the team's own too, get
# the one that reads right after "de".
BEFORE, AFTER = "de {collectivite}", "{de_collectivite}"


def join_de_with_the_article(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    for template in ReplyTemplate.objects.filter(body__contains=BEFORE) | (
        ReplyTemplate.objects.filter(subject__contains=BEFORE)
    ):
        template.subject = template.subject.replace(BEFORE, AFTER)
        template.body = template.body.replace(BEFORE, AFTER)
        template.save(update_fields=["subject", "body"])


def split_de_from_the_article(apps, schema_editor):
    ReplyTemplate = apps.get_model("intake", "ReplyTemplate")
    for template in ReplyTemplate.objects.filter(body__contains=AFTER) | (
        ReplyTemplate.objects.filter(subject__contains=AFTER)
    ):
        template.subject = template.subject.replace(AFTER, BEFORE)
        template.body = template.body.replace(AFTER, BEFORE)
        template.save(update_fields=["subject", "body"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0020_phone_requests_and_partners"),
    ]

    operations = [
        migrations.AddField(
            model_name="collectivite",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                help_text="La commune d'un arrondissement municipal.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="arrondissements",
                to="intake.collectivite",
                verbose_name="commune",
            ),
        ),
        migrations.AddField(
            model_name="collectivite",
            name="name_type",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Code TNCC de l'INSEE, qui donne l'article du nom : 0 « de », 1 « d' », 2 « le », 3 « la », 4 « les », 5 « l' », 6 « aux », 7 « las », 8 « los ».",
                verbose_name="type de nom",
            ),
        ),
        migrations.AddField(
            model_name="collectivite",
            name="other_names",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="collectivite",
            name="short_names",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="collectivite",
            name="kind",
            field=models.CharField(
                choices=[
                    ("commune", "Commune"),
                    ("arrondissement", "Arrondissement municipal"),
                    ("epci", "Intercommunalité (EPCI)"),
                    ("ept", "Établissement public territorial"),
                    ("departement", "Département"),
                    ("region", "Région"),
                    ("outre_mer", "Outre-mer"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="replytemplate",
            name="body",
            field=models.TextField(
                help_text=(
                    "Variables possibles : {collectivite} (avec son article : « le Gers »), "
                    "{de_collectivite} (« du Gers »), {contact}, {reference}, {lien_suivi}, "
                    "{rendez_vous}, {partenaire}, {agent}. Écrivez […] là où l'équipe doit "
                    "compléter le message (une question, un motif) : tant qu'il en reste un, le "
                    "message ne part pas."
                ),
                verbose_name="texte",
            ),
        ),
        migrations.CreateModel(
            name="CollectiviteAlias",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deleguee", "commune déléguée"),
                            ("associee", "commune associée"),
                            ("short", "nom d'usage"),
                        ],
                        max_length=10,
                        verbose_name="type",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        blank=True,
                        help_text="Code officiel d'une ancienne commune.",
                        max_length=5,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                ("search_name", models.CharField(editable=False, max_length=200)),
                (
                    "collectivite",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aliases",
                        to="intake.collectivite",
                        verbose_name="collectivité",
                    ),
                ),
            ],
            options={
                "verbose_name": "autre nom de collectivité",
                "verbose_name_plural": "autres noms de collectivités",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("collectivite", "kind", "search_name"),
                        name="unique_collectivite_alias",
                    )
                ],
            },
        ),
        migrations.RunPython(join_de_with_the_article, split_de_from_the_article),
    ]
