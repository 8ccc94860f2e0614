"""Import jobs: an uploaded file is checked (dry run), its unknown columns mapped by the worker if any, then, once
confirmed, imported.

Small files are processed within the request; larger ones as a background task (django-tasks) whose progress the
job page polls, so the page can be left and found again under 导入记录. The uploaded file is opened in one place
(``_open``), whichever step reads it.

The uploaded file holds whole ID numbers, so it is kept only while the job needs it and only sealed: it is
encrypted with the field key ring as it is stored (``shequ.core.sealed``), under a random name, and read back into
memory a chunk at a time. It is deleted as soon as the job is done, fails with nothing to give back (an unreadable
file, a refusal), or is given up (放弃, :func:`job_discard`); a dry run that found errors keeps it, sealed, for the
file of errors (错误说明) until the worker gives it up or it expires. :func:`purge_import_files` (daily:
``manage.py purge_import_files``) deletes every file older than ``RESIDENTS_IMPORT_RETENTION_DAYS`` (the job is
then given up), files left by jobs that no longer need them, and files no job refers to.
"""

from __future__ import annotations

import logging
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import sealed
from shequ.core.crypto import DecryptionError
from shequ.orgs.models import Org
from shequ.residents.imports.checks import ImportResult
from shequ.residents.imports.headers import COLUMNS, NOTES, looks_like_roster
from shequ.residents.imports.reading import ImportFileError, Table, open_table
from shequ.residents.imports.run import NeedsMapping, refresh_statistics_after, run_import, suggested_choice
from shequ.residents.models import ImportJob, ImportMapping, ImportStatus
from shequ.residents.models.history import import_file_path

logger = logging.getLogger(__name__)
INLINE_LIMIT_BYTES = 200 * 1024  # about 1,500 rows of xlsx: quicker to do than to queue
STALE_AFTER = timedelta(minutes=10)  # a running job without progress for this long was stopped (the worker died)
MAPPING_TARGETS = {c.key for c in COLUMNS} | {NOTES, ""}
SEAL_CONTEXT = "residents.import"
FOLDER = "residents/imports"
GONE = "上传的文件已经删除（导入已结束、已放弃或超过保留期限），请重新上传。"


def _store_sealed(job: ImportJob, upload) -> None:
    """Encrypt the upload into a temporary file and store that: no plaintext reaches the storage."""
    with tempfile.TemporaryFile() as tmp:
        upload.seek(0)
        sealed.seal(upload, tmp, context=SEAL_CONTEXT)
        tmp.seek(0)
        job.file.save("upload.sealed", File(tmp), save=False)


def job_start(*, actor: User, org: Org, upload) -> ImportJob:
    """Store the file (sealed) and start its dry run."""
    access.check(actor, org, Perm.IMPORT_DATA)
    with transaction.atomic():
        job = ImportJob(org=org, created_by=actor, filename=upload.name[:200])
        _store_sealed(job, upload)
        job.save()
        audit(actor, "person.import_upload", job, {"org": org.pk, "file": job.filename})
    dispatch(job)
    return job


def job_map_columns(*, actor: User, job: ImportJob, choices: dict[str, str]) -> ImportJob:
    """The worker's field (or "ignore", or 备注) for each column the check could not match; remembered for this
    org and file shape, then the dry run starts again."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    layout = job.layout or {}
    unmatched = [str(c) for c in layout.get("unmatched", [])]
    if job.status != ImportStatus.MAPPING:
        raise ValidationError("此文件现在不需要确认列的对应。")
    missing = [c for c in unmatched if c not in choices]
    if missing or any(v not in MAPPING_TARGETS for v in choices.values()):
        raise ValidationError("请为每一列选择对应的字段或“不导入”。")
    used = [v for v in (*layout.get("matched", {}).values(), *choices.values()) if v and v != NOTES]
    if len(used) != len(set(used)):
        raise ValidationError("同一个字段只能对应一列；多出的列可以选“并入备注”。")
    headers = layout.get("headers", [])
    with transaction.atomic():
        ImportMapping.objects.update_or_create(
            org=job.org,
            shape=layout["shape"],
            defaults={
                "headers": headers,
                "mapping": {headers[int(c)]: v for c, v in choices.items() if int(c) < len(headers)},
                "updated_by": actor,
            },
        )
        ImportJob.objects.filter(pk=job.pk).update(
            mapping={c: choices[c] for c in unmatched}, status=ImportStatus.PENDING, message=""
        )
        audit(
            actor,
            "person.import_mapping",
            job,
            {"columns": {headers[int(c)]: v for c, v in choices.items() if int(c) < len(headers)}},
        )
    job.refresh_from_db()
    dispatch(job)
    return job


def job_choose_sheet(*, actor: User, job: ImportJob, sheet: str) -> ImportJob:
    """Check another sheet of the same file."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    if job.commit or job.running or sheet not in {s["name"] for s in job.sheets}:
        raise ValidationError("不能换用这张工作表。")
    ImportJob.objects.filter(pk=job.pk).update(sheet=sheet, mapping={}, status=ImportStatus.PENDING, message="")
    job.refresh_from_db()
    dispatch(job)
    return job


def job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Run the real import of a file whose dry run found no error."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED, error_count=0, commit=False).update(
        commit=True, status=ImportStatus.PENDING, processed=0, heartbeat=timezone.now()
    )
    if not updated:
        raise ValidationError("此文件尚未通过检查或已经导入，不能再次确认。")
    job.refresh_from_db()
    dispatch(job)
    return job


def is_stale(job: ImportJob) -> bool:
    last = job.heartbeat or job.created_at
    return job.running and last < timezone.now() - STALE_AFTER


def job_restart(*, actor: User, job: ImportJob) -> ImportJob:
    """Start again a job whose process was stopped midway (nothing of it was written: the import is one
    transaction)."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    if not is_stale(live(job)):
        raise ValidationError("此导入仍在进行，不能重新开始。")
    updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=ImportStatus.PENDING, processed=0, phase="", heartbeat=timezone.now()
    )
    if not updated:
        raise ValidationError("此导入的状态已经变化，请刷新页面。")
    caches["progress"].delete(_cache_key(job.pk))
    job.refresh_from_db()
    dispatch(job)
    return job


def job_discard(*, actor: User, job: ImportJob) -> ImportJob:
    """Give up a job that is not running (放弃): its file is deleted at once; what it found stays on the page."""
    access.check(actor, job.org, Perm.IMPORT_DATA)
    job = live(job)
    if job.status in {ImportStatus.DONE, ImportStatus.DISCARDED} or (job.running and not is_stale(job)):
        raise ValidationError("此导入正在进行或已经结束，不能放弃。")
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DISCARDED, message="已放弃，上传的文件已删除。", finished_at=timezone.now()
        )
        audit(actor, "person.import_discard", job, {"org": job.org_id, "file": job.filename})
    release_file(job)
    job.refresh_from_db()
    return job


def release_file(job: ImportJob) -> bool:
    """Delete the job's stored file (its results stay); true when there was one."""
    name = ImportJob.objects.filter(pk=job.pk).values_list("file", flat=True).first()
    if not name:
        return False
    ImportJob.objects.filter(pk=job.pk, file=name).update(file="")
    job.file.storage.delete(name)
    job.file.name = ""
    return True


def dispatch(job: ImportJob) -> None:
    if job.file.size <= INLINE_LIMIT_BYTES:
        process(job.pk)
    else:
        process_import.enqueue(job.pk)


@task()
def process_import(job_id: int) -> None:
    """Check or import one uploaded file in the task worker."""
    process(job_id)


@contextmanager
def _open(job: ImportJob):
    """The uploaded file as a table, decrypted as it is read: the one place that opens it. A file stored before
    files were sealed is read as it is."""
    if not job.file:
        raise ImportFileError(GONE)
    try:
        fh = job.file.storage.open(job.file.name, "rb")
    except FileNotFoundError as exc:
        raise ImportFileError(GONE) from exc
    try:
        if sealed.is_sealed(fh):
            try:
                plain = sealed.open_sealed(fh, context=SEAL_CONTEXT)
            except DecryptionError as exc:
                raise ImportFileError("上传的文件无法解密（加密密钥已更换），请重新上传。") from exc
            size = plain.raw.size
        else:
            plain, size = fh, job.file.size
        table: Table = open_table(plain, job.filename, sheet=job.sheet, size=size, prefer=looks_like_roster)
        try:
            yield table
        finally:
            table.close()
    finally:
        fh.close()


def check_file(job: ImportJob, *, keep_all_errors: bool = False) -> ImportResult:
    """The dry run of a job's file again (for the file of errors)."""
    with _open(job) as table:
        return run_import(
            actor=job.created_by,
            org=job.org,
            table=table,
            commit=False,
            choices=job.mapping or None,
            result=ImportResult(keep_all_errors=keep_all_errors),
        )


def rows_of(job: ImportJob):
    """The rows of the job's sheet, as read (for the file of errors)."""
    with _open(job) as table:
        yield from table.rows()


def process(job_id: int) -> None:
    """Check or import one uploaded file: the dry run, or the real import of a confirmed job."""
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    status = ImportStatus.IMPORTING if job.commit else ImportStatus.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(status=status, phase="checking", heartbeat=timezone.now())
    reporter = _Progress(job)
    try:
        with _open(job) as table:
            result = run_import(
                actor=job.created_by,
                org=job.org,
                table=table,
                commit=job.commit,
                choices=job.mapping or None,
                filename=job.filename,
                progress=reporter,
            )
    except NeedsMapping as need:
        layout = need.layout.as_dict()
        layout["suggested"] = {str(c): suggested_choice(need.layout, c) for c in need.layout.unmatched}
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.MAPPING, layout=layout, sheet=need.sheet, sheets=need.sheets, finished_at=timezone.now()
        )
        return
    except (ImportFileError, PermissionDenied) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        release_file(job)
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            message="处理文件时出错，未写入任何数据。请联系管理员。",
            finished_at=timezone.now(),
        )
        release_file(job)
        raise
    finally:
        reporter.close()
    if result.committed:
        final = ImportStatus.DONE
    elif result.ok:
        final = ImportStatus.CHECKED
    else:
        final = ImportStatus.FAILED
    ImportJob.objects.filter(pk=job.pk).update(
        status=final,
        total=result.total,
        processed=result.total,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        error_count=result.error_count,
        errors=[e.as_dict() for e in result.errors],
        changes=result.changes,
        skipped=result.skipped,
        sheet=result.sheet,
        sheets=result.sheets,
        phase="",
        message="",
        finished_at=timezone.now(),
    )
    if final == ImportStatus.DONE or (final == ImportStatus.FAILED and not result.error_count):
        release_file(job)  # nothing more to read from it; a dry run with errors keeps it for the file of errors
    try:
        refresh_statistics_after(result)
    except DatabaseError:  # the import is done and reported; the statistics wait for autovacuum
        logger.exception("statistics after import job %s", job.pk)


class _Progress:
    """Progress of a running job. While checking, the job row is updated; while writing, the import's transaction
    holds the database (SQLite allows one writer), so the figures go through a connection of their own on
    PostgreSQL and through the shared "progress" cache on SQLite."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.side = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase == "checking":
            ImportJob.objects.filter(pk=self.job.pk).update(
                processed=done, total=total, phase=phase, heartbeat=timezone.now()
            )
            return
        if connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET processed = %s, total = %s, phase = %s, heartbeat = %s "  # noqa: S608 - the model's table, values bound  # nosec B608
                    "WHERE id = %s",
                    [done, total, phase, timezone.now(), self.job.pk],
                )
        else:
            caches["progress"].set(_cache_key(self.job.pk), (phase, done, total, timezone.now()), 3600)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
        caches["progress"].delete(_cache_key(self.job.pk))


def _cache_key(pk: int) -> str:
    return f"residents.import.{pk}"


def live(job: ImportJob) -> ImportJob:
    """The job with the figures of its writing phase, wherever they are kept."""
    if job.status == ImportStatus.IMPORTING:
        cached = caches["progress"].get(_cache_key(job.pk))
        if cached:
            job.phase, job.processed, job.total, job.heartbeat = cached
    return job


# --- the daily purge ------------------------------------------------------------------------------------------


EXPIRED = "上传的文件已超过保留期限（{days}天），已按规定删除。如需继续，请重新上传。"
NO_LONGER_NEEDED = Q(status__in=[ImportStatus.DONE, ImportStatus.DISCARDED]) | Q(
    status=ImportStatus.FAILED, error_count=0
)


def purge_import_files(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the import files that must not be kept (run daily): those of jobs that no longer need them, every one
    older than ``RESIDENTS_IMPORT_RETENTION_DAYS`` (its job, unless done or failed, is given up), and those no job
    refers to once that old; a file stored before files were sealed and still needed is sealed in place."""
    now = now or timezone.now()
    days = settings.RESIDENTS_IMPORT_RETENTION_DAYS
    cutoff = now - timedelta(days=days)
    out = {"finished": 0, "expired": 0, "sealed": 0, "orphans": 0}
    for job in ImportJob.objects.exclude(file="").filter(NO_LONGER_NEEDED):
        out["finished"] += release_file(job)
    for job in ImportJob.objects.exclude(file="").filter(created_at__lt=cutoff):
        if job.running and not is_stale(live(job)):
            continue  # being imported right now: the import deletes it when it ends
        if job.status != ImportStatus.FAILED:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DISCARDED, finished_at=now)
        ImportJob.objects.filter(pk=job.pk).update(message=EXPIRED.format(days=days))
        out["expired"] += release_file(job)
    for job in ImportJob.objects.exclude(file=""):  # the few files still needed: is each one sealed?
        out["sealed"] += _seal_in_place(job)
    out["orphans"] = _purge_orphans(cutoff)
    if any(out.values()):
        logger.info("import files purged: %s", out)
    return out


def _seal_in_place(job: ImportJob) -> int:
    storage, old = job.file.storage, job.file.name
    try:
        with storage.open(old, "rb") as fh, tempfile.TemporaryFile() as tmp:
            if sealed.is_sealed(fh):
                return 0
            sealed.seal(fh, tmp, context=SEAL_CONTEXT)
            tmp.seek(0)
            new = storage.save(import_file_path(job, ""), File(tmp))
    except FileNotFoundError:
        ImportJob.objects.filter(pk=job.pk, file=old).update(file="")
        return 0
    if ImportJob.objects.filter(pk=job.pk, file=old).update(file=new):
        storage.delete(old)
        return 1
    storage.delete(new)  # the job moved on meanwhile
    return 0


def _purge_orphans(cutoff: datetime) -> int:
    """Files under the import folder that no job refers to, past the retention (an aborted upload, a removed job)."""
    from django.core.files.storage import default_storage as storage

    referenced = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for name in _walk(storage, FOLDER):
        if name in referenced:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
        except (FileNotFoundError, NotImplementedError):
            pass
        storage.delete(name)
        removed += 1
    return removed


def _walk(storage, folder: str):
    try:
        dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        yield f"{folder}/{name}"
    for d in dirs:
        yield from _walk(storage, f"{folder}/{d}")


@task()
def purge_import_files_task() -> dict[str, int]:
    """The daily purge in the task worker (``manage.py purge_import_files --enqueue``)."""
    return purge_import_files()
