"""The inbox newest first for each org that owns or registered a case (read branch by branch); on PostgreSQL built
``CONCURRENTLY`` (docs/deploy.md: indexes on big tables without locking their writes)."""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["org", "-registered_at", "-id"], name="case_org_recent"),
    models.Index(fields=["origin_org", "-registered_at", "-id"], name="case_origin_recent"),
]


def _each_index(apps, schema_editor, method: str) -> None:
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

    dependencies = [("cases", "0011_case_open")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=index) for index in INDEXES],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
