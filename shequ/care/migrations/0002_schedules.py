from django.db import migrations

from shequ.care.catalogue import load


def load_schedules(apps, schema_editor):
    """The district's starting visit schedules, and the confirmation fields of the visit record types."""
    load(apps.get_model("care", "VisitSchedule"), apps.get_model("records", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial"), ("records", "0008_record_month")]
    operations = [migrations.RunPython(load_schedules, migrations.RunPython.noop)]
