from django.db import migrations

from shequ.letters.catalogue import load


def load_kinds(apps, schema_editor):
    """The letter kinds the reference plans name, with their clauses."""
    load(apps.get_model("letters", "LetterKind"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(load_kinds, migrations.RunPython.noop)]
