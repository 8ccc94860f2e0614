"""Each profile carries its person's community (``org``), filled from the person and kept with every move (0015
makes it required and indexes it; PostgreSQL cannot alter a table in the transaction that filled it)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

MODELS = (
    ("disabilityprofile", "disability"),
    ("floatingprofile", "floating"),
    ("specialgroupprofile", "special"),
    ("volunteerprofile", "volunteer"),
    ("supervisorprofile", "supervisor"),
    ("staffprofile", "staff"),
)


def fill(apps, schema_editor):
    person = apps.get_model("residents", "Person")
    for model_name, _ in MODELS:
        model = apps.get_model("residents", model_name)
        org = person.objects.filter(pk=OuterRef("person_id")).values("org_id")[:1]
        model.objects.update(org_id=Subquery(org))


def field(null: bool):
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="orgs.org",
        verbose_name="社区/村",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_alter_org_unit_type"),
        ("residents", "0013_drop_redundant_indexes"),
    ]

    operations = [
        *(migrations.AddField(model_name=m, name="org", field=field(True)) for m, _ in MODELS),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
