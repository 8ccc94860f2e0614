"""The profiles' ``org`` required, with an (org, person) index: a community's profiles of a kind are read from it."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = (
    ("disabilityprofile", "disability"),
    ("floatingprofile", "floating"),
    ("specialgroupprofile", "special"),
    ("volunteerprofile", "volunteer"),
    ("supervisorprofile", "supervisor"),
    ("staffprofile", "staff"),
)


def org_field():
    return models.ForeignKey(
        db_index=False,
        editable=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="orgs.org",
        verbose_name="社区/村",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0014_profile_org"),
    ]

    operations = [
        *(migrations.AlterField(model_name=m, name="org", field=org_field()) for m, _ in MODELS),
        *(
            migrations.AddIndex(model_name=m, index=models.Index(fields=["org", "person"], name=f"{kind}_org_person"))
            for m, kind in MODELS
        ),
    ]
