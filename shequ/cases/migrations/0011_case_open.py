"""Two partial indexes over the open cases, for the workbench's and the inbox's box counts; on PostgreSQL built
``CONCURRENTLY`` (docs/deploy.md: indexes on big tables without locking their writes)."""

from django.conf import settings
from django.db import migrations, models

OPEN = models.Q(("state__in", ["completed", "handling", "received", "referred", "refused", "registered"]))
INDEXES = [
    models.Index(
        condition=OPEN,
        fields=["org"],
        include=("id", "origin_org", "state", "owner", "leader", "deadline", "escalated_from", "supervision", "area"),
        name="case_open_org",
    ),
    models.Index(condition=OPEN, fields=["origin_org"], name="case_open_origin"),
]


def _each_index(apps, schema_editor, method: str) -> None:
    """Add or remove each index; CONCURRENTLY on PostgreSQL (SQLite's schema editor has no such option)."""
    model = apps.get_model("cases", "Case")
    options = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
    for index in INDEXES:
        getattr(schema_editor, method)(model, index, **options)


def forwards(apps, schema_editor):
    _each_index(apps, schema_editor, "add_index")


def backwards(apps, schema_editor):
    _each_index(apps, schema_editor, "remove_index")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0010_case_org_type_state"),
        ("orgs", "0003_alter_org_unit_type"),
        ("residents", "0013_drop_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=index) for index in INDEXES],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
