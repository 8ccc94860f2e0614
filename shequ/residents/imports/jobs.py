"""Import jobs: an uploaded file is checked (dry run), then, once confirmed, imported.

Small files are processed within the request; larger ones as a background task (django-tasks)
whose progress the job page polls, so the page can be left and found again under 导入记录.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.orgs.models import Org
from shequ.residents.imports.reading import ImportFileError, read_table
from shequ.residents.imports.run import run_import
from shequ.residents.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)
INLINE_LIMIT_BYTES = 200 * 1024  # about 1,500 rows of xlsx: quicker to do than to queue


def job_start(*, actor, org: Org, upload) -> ImportJob:
    """Store the file and start its dry run."""
    access.check(actor, org, Perm.IMPORT_DATA)
    with transaction.atomic():
        job = ImportJob(org=org, created_by=actor, filename=upload.name[:200])
        job.file.save(upload.name, upload, save=False)
        job.save()
        audit(actor, "person.import_upload", job, {"org": org.pk, "file": job.filename})
    dispatch(job)
    return job


def job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """Run the real import of a file whose dry run found no error."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED, error_count=0, commit=False).update(
        commit=True, status=ImportStatus.PENDING, processed=0
    )
    if not updated:
        raise ValidationError("此文件尚未通过检查或已经导入,不能再次确认。")
    job.refresh_from_db()
    dispatch(job)
    return job


def dispatch(job: ImportJob) -> None:
    if job.file.size <= INLINE_LIMIT_BYTES:
        process(job.pk)
    else:
        process_import.enqueue(job.pk)


@task()
def process_import(job_id: int) -> None:
    """Check or import one uploaded file in the task worker."""
    process(job_id)


def process(job_id: int) -> None:
    """Check or import one uploaded file: the dry run, or the real import of a confirmed job."""
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    status = ImportStatus.IMPORTING if job.commit else ImportStatus.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(status=status)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        rows = read_table(data, job.filename)
        result = run_import(
            actor=job.created_by, org=job.org, rows=rows, commit=job.commit, filename=job.filename, progress=progress
        )
    except (ImportFileError, PermissionDenied) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            message="处理文件时出错,未写入任何数据。请联系管理员。",
            finished_at=timezone.now(),
        )
        raise
    if result.committed:
        final = ImportStatus.DONE
    elif result.ok:
        final = ImportStatus.CHECKED
    else:
        final = ImportStatus.FAILED
    message = ""
    if result.ignored_headers:
        message = f"以下列不认识,已忽略:{'、'.join(result.ignored_headers)}"[:500]
    ImportJob.objects.filter(pk=job.pk).update(
        status=final,
        total=result.total,
        processed=result.total,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        error_count=result.error_count,
        errors=[e.as_dict() for e in result.errors],
        message=message,
        finished_at=timezone.now(),
    )
