from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The disability plan reads the early reports of children (disability_early_child_referral)."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0018_target_standings"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
