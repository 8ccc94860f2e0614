"""The residents import with media on an S3-compatible store (moto's server over real HTTP): the uploaded roster is
stored sealed in the bucket, checked and imported from there, deleted from it when the import is done, and the daily
purge deletes from the bucket what must not be kept. Nothing is written under MEDIA_ROOT."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from shequ.core import sealed
from shequ.residents.imports import jobs
from shequ.residents.models import ImportJob, ImportStatus, Person
from shequ.residents.tests.helpers import new_id
from shequ.residents.tests.test_imports import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "证件号码", "联系电话"]
FOLDER = "residents/imports/"


def _upload(data: bytes, name: str = "幸福社区花名册.xlsx") -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_an_import_is_checked_and_run_from_the_bucket_which_then_forgets_the_file(s3_media, personas, client_for):
    id_number = new_id()
    c = client_for(personas.worker_a)
    response = c.post(
        reverse("residents:import"),
        {"org": personas.community_a.pk, "file": _upload(xlsx([["张三", id_number, "13800000001"]], header=HEADER))},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.CHECKED and job.added == 1  # the dry run
    assert s3_media.object_keys(FOLDER) == [job.file.name]
    stored = s3_media.body(job.file.name)
    assert stored.startswith(sealed.MAGIC) and id_number.encode() not in stored  # sealed before it left
    assert not Person.objects.exists()

    c.post(reverse("residents:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.get().name == "张三"
    assert not job.file and s3_media.object_keys(FOLDER) == []
    assert s3_media.local_files() == []


def test_the_file_of_errors_is_made_from_the_file_in_the_bucket(s3_media, personas, client_for):
    good = new_id()
    data = xlsx([["张三", good, "13800000001"], ["李四", good[:-1], ""]], header=HEADER)
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="名册.xlsx"))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and s3_media.object_keys(FOLDER) == [job.file.name]  # kept for this
    response = client_for(personas.worker_a).get(reverse("residents:import_errors", args=[job.pk]))
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert rows.to_python()[2][:2] == ["李四", good[:-1]]
    assert s3_media.local_files() == []


def test_the_daily_purge_deletes_from_the_bucket_what_must_not_be_kept(s3_media, personas, settings):
    settings.RESIDENTS_IMPORT_RETENTION_DAYS = 7
    bad = xlsx([["李四", new_id()[:-1], ""]], header=HEADER)
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        orphan = default_storage.save(f"{FOLDER}2020/01/leftover.sealed", ContentFile(b"x"))  # stored a month ago
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        old = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(bad, "a.xlsx"))
    recent = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(bad, "b.xlsx"))
    plain = ImportJob.objects.create(  # a file stored before files were sealed, still needed for its errors
        org=personas.community_a,
        created_by=personas.worker_a,
        filename="旧.xlsx",
        file=default_storage.save(f"{FOLDER}2026/01/旧.xlsx", ContentFile(bad)),
    )
    jobs.process(plain.pk)  # read from the bucket as it is: one row in error
    plain.refresh_from_db()
    assert plain.status == ImportStatus.FAILED and plain.error_count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert set(s3_media.object_keys(FOLDER)) == {orphan, old.file.name, recent.file.name, plain.file.name}

    call_command("purge_import_files", stdout=io.StringIO())
    old.refresh_from_db()
    plain.refresh_from_db()
    assert not old.file and "超过保留期限（7天）" in old.message
    assert plain.file.name.endswith(".sealed") and s3_media.body(plain.file.name).startswith(sealed.MAGIC)
    assert s3_media.object_keys(FOLDER) == sorted([recent.file.name, plain.file.name])
    assert jobs.check_file(plain).error_count == 1  # its file of errors can still be made
    assert s3_media.local_files() == []
