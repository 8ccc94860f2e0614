"""Background tasks of the registry (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def process_import(job_id: int) -> None:
    """Check or import one uploaded file (see shequ.residents.jobs)."""
    from shequ.residents.jobs import process

    process(job_id)
