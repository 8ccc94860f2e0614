"""Media on an S3-compatible store (moto's server over real HTTP, django-storages as in production): uploaded photos
and files are stored in the bucket and served only through their scoped views, and nothing is written to
MEDIA_ROOT. The residents import and the dossier on the store are tested beside their own tests."""

from __future__ import annotations

import io
import json
import re
import tarfile
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from shequ.records.tests.helpers import image_upload, make_record
from shequ.site.tests.test_backup import target  # noqa: F401 - the fresh database to restore into
from shequ.testing import files

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_records_photos_and_files_are_stored_in_the_bucket_and_served_by_their_views(s3_media, personas, client_for):
    r = make_record(
        personas.worker_a,
        personas.community_a,
        photos=[image_upload(size=(800, 600))],
        attachments=[SimpleUploadedFile("签到表.pdf", files.PDF, content_type="application/pdf")],
    )
    photo, att = r.photos.get(), r.attachments.get()
    assert re.fullmatch(r"records/files/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", att.file.name)
    assert {photo.image.name, photo.thumb.name, att.file.name} <= set(s3_media.object_keys())
    assert s3_media.body(att.file.name) == files.PDF
    # The bucket is private: the object has no address of its own that answers without the store's credentials.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_media.endpoint}/{s3_media.bucket}/{att.file.name}")  # noqa: S310
    assert refused.value.code == 403

    worker = client_for(personas.worker_a)
    shown = worker.get(reverse("records:photo", args=[photo.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert _body(shown) == s3_media.body(photo.image.name)
    assert int(shown["Content-Length"]) == len(s3_media.body(photo.image.name))
    thumb = worker.get(reverse("records:photo", args=[photo.pk]) + "?size=thumb")
    assert _body(thumb) == s3_media.body(photo.thumb.name) != _body(shown)
    download = worker.get(reverse("records:attachment", args=[att.pk]))
    assert download.status_code == 200 and _body(download) == files.PDF
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"

    outsider = client_for(personas.worker_b)
    assert outsider.get(reverse("records:photo", args=[photo.pk])).status_code == 404
    assert outsider.get(reverse("records:attachment", args=[att.pk])).status_code == 404
    assert s3_media.local_files() == []


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_leave_media_on_the_store_alone_and_say_so(s3_media, personas, tmp_path, request):
    r = make_record(personas.worker_a, personas.community_a, photos=[image_upload()])
    out = io.StringIO()
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=out)
    assert "媒体文件在对象存储上，未包含" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["media"] == {"included": False, "files": {}}
    assert not [n for n in names if n.startswith("media/")]
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", request.getfixturevalue("target"), stdout=out)
    assert "媒体文件在对象存储上，未恢复" in out.getvalue() and "恢复校验通过" in out.getvalue()
    assert r.photos.get().image.name in s3_media.object_keys()  # left where it is
    assert s3_media.local_files() == []
