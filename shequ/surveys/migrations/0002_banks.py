from django.db import migrations

from shequ.surveys.catalogue import load


def load_banks(apps, schema_editor):
    """The shipped question banks: 健康素养 knowledge, health behaviour, satisfaction."""
    load(apps.get_model("surveys", "Bank"), apps.get_model("surveys", "BankQuestion"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(load_banks, migrations.RunPython.noop)]
