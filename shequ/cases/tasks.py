"""Background jobs of cases (django-tasks): the daily 督办 sweep.

Run it once a day, e.g. from cron: ``manage.py cases_supervise --enqueue`` (the task worker runs it)
or ``manage.py cases_supervise`` (runs at once).
"""

from __future__ import annotations

from django_tasks import task


@task()
def supervision_sweep_task() -> dict:
    from shequ.cases.services import supervision_sweep

    return supervision_sweep()
