from django.db import migrations

from shequ.groups.catalogue import load


def load_kinds(apps, schema_editor):
    """The kinds of group the reference plans name, with their quorum and majority rules."""
    load(apps.get_model("groups", "GroupKind"))


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]
    operations = [migrations.RunPython(load_kinds, migrations.RunPython.noop)]
