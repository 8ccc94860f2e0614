"""The records' search index, built without locking the table: ``record_org_date`` is in the list's order (date and id,
newest first) and also holds the area and the title (PostgreSQL's INCLUDE), so that a community's title search, its
page and its capped count are read from the index alone; the three foreign keys lose the indexes of their own that
the others already lead with.

On PostgreSQL the new index is built ``CONCURRENTLY`` under another name, the old one dropped ``CONCURRENTLY`` and the
new one renamed (docs/deploy.md: indexes on big tables concurrently); SQLite has no INCLUDE: its index gets the id.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "records_record"
# The foreign keys' own indexes, as Django named them when it made them.
KEY_INDEXES = (
    "records_record_org_id_76f4b494",
    "records_record_area_id_1dad8334",
    "records_record_activity_type_id_96395c9d",
)
KEY_COLUMNS = ("org_id", "area_id", "activity_type_id")


def forwards(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS record_org_date_new ON {TABLE} (org_id, date DESC, id DESC) "
            "INCLUDE (area_id, title)"
        )
        run("DROP INDEX CONCURRENTLY IF EXISTS record_org_date")
        run("ALTER INDEX record_org_date_new RENAME TO record_org_date")
        for name in KEY_INDEXES:
            run(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    else:
        run("DROP INDEX IF EXISTS record_org_date")
        run(f'CREATE INDEX record_org_date ON {TABLE} ("org_id", "date" DESC, "id" DESC)')
        for name in KEY_INDEXES:
            run(f"DROP INDEX IF EXISTS {name}")


def backwards(apps, schema_editor):
    run = schema_editor.execute
    postgresql = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if postgresql else ""
    for name, column in zip(KEY_INDEXES, KEY_COLUMNS, strict=True):
        run(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {TABLE} ({column})")
    if postgresql:
        run(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS record_org_date_old ON {TABLE} (org_id, date DESC)")
        run("DROP INDEX CONCURRENTLY IF EXISTS record_org_date")
        run("ALTER INDEX record_org_date_old RENAME TO record_org_date")
    else:
        run("DROP INDEX IF EXISTS record_org_date")
        run(f'CREATE INDEX record_org_date ON {TABLE} ("org_id", "date" DESC)')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orgs", "0003_alter_org_unit_type"),
        ("records", "0009_drill_evacuation_topics"),
        ("residents", "0013_drop_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="record", name="record_org_date"),
                migrations.AlterField(
                    model_name="record",
                    name="activity_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="records.activitytype",
                        verbose_name="类型",
                    ),
                ),
                migrations.AlterField(
                    model_name="record",
                    name="area",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="orgs.area",
                        verbose_name="条线",
                    ),
                ),
                migrations.AlterField(
                    model_name="record",
                    name="org",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="orgs.org",
                        verbose_name="组织",
                    ),
                ),
                migrations.AddIndex(
                    model_name="record",
                    index=models.Index(
                        fields=["org", "-date", "-id"], include=("area", "title"), name="record_org_date"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, atomic=False)],
        ),
    ]
