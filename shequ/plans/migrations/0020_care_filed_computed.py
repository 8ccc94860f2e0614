from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The disability plan's 建档立卡率 is computed (care_disability_filed_rate), no longer typed."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0019_early_child_computed"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
