from django.db import migrations, models

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The school's leadership meetings and safety inspections count monthly in term (寒暑假 months do not)."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


FIELD = models.BooleanField(
    default=False, help_text="按学校校历，只计在校的月份（寒暑假所在月份不计）", verbose_name="仅在校期间"
)


class Migration(migrations.Migration):
    dependencies = [("plans", "0014_campaign_days"), ("orgs", "0002_six_areas")]
    operations = [
        migrations.AddField(model_name="target", name="in_term", field=FIELD),
        migrations.AddField(model_name="templatetarget", name="in_term", field=FIELD),
        migrations.RunPython(refresh_templates, migrations.RunPython.noop),
    ]
