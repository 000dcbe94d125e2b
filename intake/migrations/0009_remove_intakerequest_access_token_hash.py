from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_triage_data")]

    operations = [migrations.RemoveField(model_name="intakerequest", name="access_token_hash")]
