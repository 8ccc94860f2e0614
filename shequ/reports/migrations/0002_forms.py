from django.db import migrations

from shequ.reports.catalogue import load_forms


def load(apps, schema_editor):
    """The report forms of the six reference plans."""
    load_forms(apps.get_model("reports", "ReportForm"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
