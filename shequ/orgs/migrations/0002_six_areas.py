from django.db import migrations

from shequ.orgs.catalogue import SIX_AREAS


def load(apps, schema_editor):
    Area = apps.get_model("orgs", "Area")
    for sort, (code, name, description) in enumerate(SIX_AREAS, start=1):
        Area.objects.get_or_create(code=code, defaults={"name": name, "description": description, "sort": sort * 10})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
