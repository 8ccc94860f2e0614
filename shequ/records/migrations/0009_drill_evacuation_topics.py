from django.db import migrations

from shequ.records.catalogue import update_activity_types


def update(apps, schema_editor):
    """Drills get their evacuation time and the kinds of the eight key prevention items; safety lessons the two
    items they lacked (防体罚伤害、防校舍设施事故)."""
    update_activity_types(
        apps.get_model("records", "ActivityType"), [("school", "drill"), ("safety", "drill"), ("school", "lesson")]
    )


class Migration(migrations.Migration):
    dependencies = [("records", "0008_record_month")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
