"""Background jobs of care (django-tasks): the daily tally of visits due (``manage.py care_tally --enqueue``)."""

from __future__ import annotations

from django_tasks import task


@task()
def care_tally_task(year: int | None = None, full: bool = False) -> dict:
    from django.utils import timezone

    from shequ.care import tally

    year = year or timezone.localdate().year
    if full:
        return {"full": True, "written": tally.rebuild(year), "persons": None}
    return tally.refresh(year)
