from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The school plan's eight key prevention items each term, computed from the safety lessons and the calendar."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0021_school_meetings_from_groups"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
