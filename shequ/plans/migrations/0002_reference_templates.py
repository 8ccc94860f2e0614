from django.db import migrations

from shequ.plans.catalogue import load


def load_templates(apps, schema_editor):
    load(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
