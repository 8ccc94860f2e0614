"""Uploaded rosters at rest: sealed under a random name, read back only into memory, deleted when the import no
longer needs them, and purged daily past the retention."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from shequ.audit.models import AuditLog
from shequ.core import sealed
from shequ.residents.imports import jobs
from shequ.residents.models import ImportJob, ImportStatus, Person
from shequ.residents.tests.helpers import new_id
from shequ.residents.tests.test_imports import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "证件号码", "联系电话"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _stored(job: ImportJob) -> bytes:
    with default_storage.open(job.file.name, "rb") as fh:
        return fh.read()


def _files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_an_uploaded_roster_is_stored_sealed_under_a_random_name(personas, tmp_path):
    id_number = new_id()
    data = xlsx([["张三", id_number, "13800000001"], ["李四", id_number[:-1], ""]], header=HEADER)
    job = jobs.job_start(
        actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="幸福社区花名册.xlsx")
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED  # one bad row: the file is kept for its file of errors
    assert re.fullmatch(r"residents/imports/\d{4}/\d{2}/[0-9a-f]{32}\.sealed", job.file.name)
    assert "花名册" not in job.file.name and job.filename == "幸福社区花名册.xlsx"
    stored = _stored(job)
    assert stored.startswith(sealed.MAGIC)
    assert id_number.encode() not in stored and b"PK\x03\x04" not in stored and data not in stored
    with default_storage.open(job.file.name, "rb") as fh:
        assert sealed.open_sealed(fh, context=jobs.SEAL_CONTEXT).read() == data


def test_the_file_of_errors_is_still_the_workers_own_rows_with_the_explanations(personas, client_for):
    good = new_id()
    data = xlsx([["张三", good, "13800000001"], ["李四", good[:-1], "12ab"]], header=HEADER)
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.xlsx"))
    response = client_for(personas.worker_a).get(reverse("residents:import_errors", args=[job.pk]))
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][len(HEADER)] == "错误说明" and rows[2][:2] == ["李四", good[:-1]]
    assert "身份证号码应为18位" in rows[2][len(HEADER)]


def test_a_csv_of_any_size_is_streamed_through_the_seal(personas):
    lines = ["姓名,证件号码,联系电话"] + [f"居民{i},{new_id()},1380000{i:04d}" for i in range(4000)]
    data = "\n".join(lines).encode("utf-8")
    assert len(data) > 2 * sealed.CHUNK  # several sealed chunks
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.csv"))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.total == 4000 and job.added == 4000


def test_the_file_is_deleted_when_the_import_is_done(personas, tmp_path):
    data = xlsx([["张三", new_id(), "13800000001"]], header=HEADER)
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.xlsx"))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.file  # kept until the worker confirms
    name = job.file.name
    job = jobs.job_confirm(actor=personas.worker_a, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 1
    assert not job.file and not default_storage.exists(name)
    assert _files_under(tmp_path) == []


def test_the_file_is_deleted_when_it_cannot_be_read(personas, tmp_path):
    job = jobs.job_start(
        actor=personas.worker_a, org=personas.community_a, upload=ContentFile(b"not a table", name="名册.xlsx")
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "不是有效的Excel文件" in job.message
    assert not job.file and _files_under(tmp_path) == []


def test_giving_up_deletes_the_file_and_is_audited(personas, client_for, tmp_path):
    data = xlsx([["张三", new_id(), "13800000001"]], header=HEADER)
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.xlsx"))
    c = client_for(personas.worker_a)
    assert 'data-testid="discard"' in c.get(reverse("residents:import_detail", args=[job.pk])).content.decode()
    assert client_for(personas.worker_b).post(reverse("residents:import_discard", args=[job.pk])).status_code == 404
    response = c.post(reverse("residents:import_discard", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DISCARDED and not job.file and _files_under(tmp_path) == []
    assert AuditLog.objects.filter(action="person.import_discard").count() == 1
    page = c.get(reverse("residents:import_detail", args=[job.pk])).content.decode()
    assert "已放弃" in page and 'data-testid="confirm"' not in page
    assert c.post(reverse("residents:import_confirm", args=[job.pk])).status_code == 302
    assert not Person.objects.exists()


def test_the_daily_purge_removes_files_past_the_retention_and_gives_up_their_jobs(personas, settings, tmp_path):
    settings.RESIDENTS_IMPORT_RETENTION_DAYS = 7
    bad = xlsx([["李四", new_id()[:-1], ""]], header=HEADER)
    good = xlsx([["张三", new_id(), ""]], header=HEADER)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        old_failed = jobs.job_start(
            actor=personas.worker_a, org=personas.community_a, upload=ContentFile(bad, "a.xlsx")
        )
        old_checked = jobs.job_start(
            actor=personas.worker_a, org=personas.community_a, upload=ContentFile(good, "b.xlsx")
        )
    recent = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(bad, "c.xlsx"))
    orphan = default_storage.save("residents/imports/2020/01/leftover.sealed", ContentFile(b"x"))
    old = (timezone.now() - timedelta(days=30)).timestamp()
    os.utime(default_storage.path(orphan), (old, old))
    call_command("purge_import_files", stdout=io.StringIO())
    for job in (old_failed, old_checked, recent):
        job.refresh_from_db()
    assert (
        not old_failed.file and old_failed.status == ImportStatus.FAILED and "超过保留期限（7天）" in old_failed.message
    )
    assert not old_checked.file and old_checked.status == ImportStatus.DISCARDED
    assert recent.file and default_storage.exists(recent.file.name)
    assert not default_storage.exists(orphan)
    assert _files_under(tmp_path) == [recent.file.name]


def test_the_purge_deletes_and_seals_the_plaintext_files_stored_before(personas, tmp_path):
    id_number = new_id()
    data = xlsx([["张三", id_number, ""], ["李四", id_number[:-1], ""]], header=HEADER)
    done = ImportJob.objects.create(
        org=personas.community_a,
        created_by=personas.worker_a,
        filename="旧.xlsx",
        status="done",
        file=default_storage.save("residents/imports/2026/01/旧.xlsx", ContentFile(data)),
    )
    failed = ImportJob.objects.create(
        org=personas.community_a,
        created_by=personas.worker_a,
        filename="错.xlsx",
        file=default_storage.save("residents/imports/2026/01/错.xlsx", ContentFile(data)),
    )
    jobs.process(failed.pk)  # a file stored before sealing is still read
    failed.refresh_from_db()
    assert failed.status == ImportStatus.FAILED and failed.error_count == 1
    out = jobs.purge_import_files()
    assert out["finished"] == 1 and out["sealed"] == 1
    done.refresh_from_db()
    failed.refresh_from_db()
    assert not done.file
    assert failed.file.name.endswith(".sealed") and id_number.encode() not in _stored(failed)
    assert _files_under(tmp_path) == [failed.file.name]
    assert jobs.check_file(failed).error_count == 1  # its file of errors can still be made


def test_the_file_of_errors_after_the_file_is_gone_says_so(personas, client_for):
    data = xlsx([["李四", new_id()[:-1], ""]], header=HEADER)
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.xlsx"))
    jobs.release_file(job)
    c = client_for(personas.worker_a)
    page = c.get(reverse("residents:import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="error-file"' not in page and "重新上传" in page
    response = c.get(reverse("residents:import_errors", args=[job.pk]), follow=True)
    assert "上传的文件已经删除" in response.content.decode()


def test_the_purge_runs_in_the_task_worker_too(personas):
    from django_tasks import default_task_backend

    assert jobs.purge_import_files_task.enqueue() is not None
    assert default_task_backend is not None


def test_a_large_import_refreshes_the_statistics_after_it_is_reported_done(personas, monkeypatch):
    from shequ.residents.imports import run

    seen: list[str] = []
    monkeypatch.setattr(run, "refresh_statistics", lambda: seen.append(ImportJob.objects.get().status))
    rows = [["张三", new_id(), "13800000001"], ["李四", new_id(), "13800000002"]]
    job = jobs.job_start(
        actor=personas.worker_a,
        org=personas.community_a,
        upload=ContentFile(xlsx(rows, header=HEADER), name="名册.xlsx"),
    )
    job = jobs.job_confirm(actor=personas.worker_a, job=job)
    assert seen == []  # two rows: the planner's statistics are still good
    Person.objects.all().delete()

    monkeypatch.setattr(run, "ANALYZE_AFTER", 2)
    ImportJob.objects.all().delete()
    job = jobs.job_start(
        actor=personas.worker_a,
        org=personas.community_a,
        upload=ContentFile(xlsx(rows, header=HEADER), name="名册.xlsx"),
    )
    job = jobs.job_confirm(actor=personas.worker_a, job=job)
    assert Person.objects.count() == 2
    assert seen == [ImportStatus.DONE]  # the worker was told the import is done before the statistics were refreshed
