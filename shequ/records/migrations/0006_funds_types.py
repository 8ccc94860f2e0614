from django.db import migrations

from shequ.records.catalogue import load_activity_types


def load(apps, schema_editor):
    """The 经费收支 type of every line of work (the funds ledger)."""
    load_activity_types(apps.get_model("records", "ActivityType"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("records", "0005_record_date_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
