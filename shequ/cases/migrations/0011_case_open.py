"""Two partial indexes over the open cases, for the workbench's and the inbox's box counts; on PostgreSQL built
``CONCURRENTLY`` (docs/deploy.md: indexes on big tables without locking their writes)."""

from django.conf import settings
from django.db import migrations, models

from shequ.core.indexes import add_concurrently

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


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0010_case_org_type_state"),
        ("orgs", "0003_alter_org_unit_type"),
        ("residents", "0013_drop_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [add_concurrently("cases", "Case", INDEXES)]
