from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def keep_partner_names(apps, schema_editor):
    IntakeRequest = apps.get_model("intake", "IntakeRequest")
    Partner = apps.get_model("home", "Partner")
    IntakeRequest.objects.filter(partner__isnull=False).update(
        partner_name=Subquery(Partner.objects.filter(pk=OuterRef("partner_id")).values("name"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0021_closure_part_of_a_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakerequest",
            name="partner_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="nom du partenaire"),
        ),
        migrations.RunPython(keep_partner_names, migrations.RunPython.noop),
    ]
