"""Records counted per org, line of work and month (``RecordMonth``), kept in step with the records.

A record's own save and delete move its count (one upsert in the same transaction). Bulk loads that bypass
them (the demo's year, the bench district, ``bulk_create``) call :func:`rebuild` afterwards, as does
``manage.py records_tally``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth

from shequ.records.models import Record, RecordMonth


@transaction.atomic
def rebuild(year: int | None = None) -> int:
    """Count the records again (one year, or all); returns how many month rows were written."""
    records = Record.objects.all() if year is None else Record.objects.filter(year=year)
    old = RecordMonth.objects.all() if year is None else RecordMonth.objects.filter(year=year)
    old.delete()
    rows = (
        records.annotate(month=ExtractMonth("date"))
        .values_list("org_id", "area_id", "year", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    made = RecordMonth.objects.bulk_create(
        (RecordMonth(org_id=o, area_id=a, year=y, month=m, n=n) for o, a, y, m, n in rows.iterator()),
        batch_size=5000,
    )
    return len(made)
