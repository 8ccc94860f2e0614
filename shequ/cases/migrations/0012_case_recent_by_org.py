"""The inbox newest first for each org that owns or registered a case (read branch by branch); on PostgreSQL built
``CONCURRENTLY`` (docs/deploy.md: indexes on big tables without locking their writes)."""

from django.db import migrations, models

from shequ.core.indexes import add_concurrently

INDEXES = [
    models.Index(fields=["org", "-registered_at", "-id"], name="case_org_recent"),
    models.Index(fields=["origin_org", "-registered_at", "-id"], name="case_origin_recent"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0011_case_open")]

    operations = [add_concurrently("cases", "Case", INDEXES)]
