"""Background jobs of the registry (django-tasks): the daily anonymisation of persons past their retention.

Run it once a day, e.g. from cron: ``manage.py anonymise_persons --enqueue`` (the task worker runs it) or
``manage.py anonymise_persons`` (runs at once).
"""

from __future__ import annotations

from django_tasks import task

from shequ.residents import retention


@task()
def anonymise_persons_task() -> int:
    """Anonymise every person past ``RESIDENTS_RETENTION_YEARS``; the number anonymised."""
    return retention.anonymise_expired()
