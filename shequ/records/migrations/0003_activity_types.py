from django.db import migrations

from shequ.records.catalogue import load_activity_types


def load(apps, schema_editor):
    load_activity_types(apps.get_model("records", "ActivityType"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("records", "0002_photos_attachments_persons"), ("orgs", "0002_six_areas")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
