from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The school plan's safety meetings count the safety group's meetings, with each term's start and end."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0020_care_filed_computed")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
