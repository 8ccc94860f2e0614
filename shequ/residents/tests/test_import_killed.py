"""A process killed (SIGKILL) in the middle of an import leaves no partial rows, and the import can run again."""

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from shequ.residents.imports import jobs
from shequ.residents.models import ImportJob, ImportStatus
from shequ.residents.tests.helpers import new_id
from shequ.residents.tests.test_imports import xlsx

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).with_name("killed_import.py")
ROWS = 4500  # three batches of persons


def _child_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env["PROGRESS_CACHE_DIR"] = str(tmp_path / "progress")
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)  # the migrated test database, for the other process to use
        target.close()
        env["SQLITE_PATH"] = str(path)
    else:
        settings = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return env


def _run(env, *args) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_killed_import_leaves_no_partial_rows_and_runs_again(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [[f"居民{i}", new_id(), f"H-{i // 3}", "户主" if i % 3 == 0 else "子"] for i in range(ROWS)]
    upload = ContentFile(xlsx(rows, header=["姓名", "证件号码", "户号", "与户主关系"]), name="大名册.xlsx")
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=upload)
    job.refresh_from_db()
    if job.status == ImportStatus.PENDING:  # queued for the worker: do the dry run here
        jobs.process(job.pk)
        job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.added == ROWS
    ImportJob.objects.filter(pk=job.pk).update(commit=True, status=ImportStatus.PENDING)
    env = _child_env(tmp_path)

    child = subprocess.Popen(  # noqa: S603
        [sys.executable, str(SCRIPT), "process", str(job.pk), "slow"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "WRITING"  # persons are being written
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    persons, households, status = _run(env, "count", str(job.pk)).split()[1:]
    assert (persons, households, status) == ("0", "0", "importing")

    if connection.vendor == "sqlite":  # make the job stale in the shared file
        with sqlite3.connect(env["SQLITE_PATH"]) as db:
            db.execute("UPDATE residents_importjob SET heartbeat = ? WHERE id = ?", ("2020-01-01 00:00:00", job.pk))
    else:
        ImportJob.objects.filter(pk=job.pk).update(heartbeat=datetime(2020, 1, 1, tzinfo=UTC))
    assert "DONE" in _run(env, "process", str(job.pk))
    persons, households, status = _run(env, "count", str(job.pk)).split()[1:]
    assert (int(persons), int(households), status) == (ROWS, ROWS // 3, "done")
