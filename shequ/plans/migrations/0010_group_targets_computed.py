from django.db import migrations

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The reference plans' group targets (leadership groups, the council, staff and liaisons) become computed
    from the groups' catalogue: a group formed with its head, the members in office."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_rateentry_file_name"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(refresh_templates, migrations.RunPython.noop)]
