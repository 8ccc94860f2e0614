from django.db import migrations

from shequ.assessment.catalogue import load_rubrics


def load(apps, schema_editor):
    """The rubrics of the reference plans for communities."""
    load_rubrics(apps.get_model("assessment", "Rubric"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
