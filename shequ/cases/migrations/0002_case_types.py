from django.db import migrations

from shequ.cases.catalogue import load_case_types


def load(apps, schema_editor):
    load_case_types(apps.get_model("cases", "CaseType"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
