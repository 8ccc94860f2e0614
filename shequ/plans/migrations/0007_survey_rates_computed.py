from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The health plan's 知晓率 and 形成率 (residents' and staff's) become computed from surveys."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_security_alerts"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
