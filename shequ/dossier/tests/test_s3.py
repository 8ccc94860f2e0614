"""The dossier with media on an S3-compatible store (moto's server over real HTTP): built into the bucket as one
object, downloaded through the scoped, audited view, replaced whole by a rebuild; a build killed at any point shows
no half object as built and is simply run again. Nothing is written under MEDIA_ROOT."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.dossier import services
from shequ.dossier.build import folder_of
from shequ.dossier.models import Dossier
from shequ.dossier.tests.helpers import YEAR, a_year, built
from shequ.testing import killed

pytestmark = pytest.mark.django_db
TOP = f"社区A-{YEAR}年度档案/"


def test_a_dossier_builds_into_the_bucket_and_downloads_through_the_audited_view(s3_media, personas, client_for):
    a_year(personas)
    built(personas.leader_a, personas.community_a)
    d = Dossier.objects.get(org=personas.community_a)
    assert s3_media.object_keys(folder_of(d.pk)) == [d.file]  # one whole object, no scratch file beside it
    stored = s3_media.body(d.file)
    assert d.size == len(stored) and d.files == len(zipfile.ZipFile(io.BytesIO(stored)).namelist())

    url = reverse("dossier:download", args=[d.pk])
    assert client_for(personas.worker_b).get(url).status_code == 404
    response = client_for(personas.supervisor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"].startswith("attachment;") and response["Cache-Control"] == "private, no-store"
    )
    body = b"".join(response.streaming_content)
    assert body == stored and int(response["Content-Length"]) == len(stored)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert f"{TOP}00-年度档案目录.pdf" in names and sum(n.startswith(f"{TOP}照片/") for n in names) == 11
    assert AuditLog.objects.filter(action="dossier.download", object_id=str(d.pk)).count() == 1
    assert s3_media.local_files() == []


def test_a_rebuild_replaces_the_object_and_a_missing_one_is_not_found(s3_media, personas, client_for):
    a_year(personas)
    built(personas.leader_a, personas.community_a)
    first = Dossier.objects.get(org=personas.community_a).file
    built(personas.leader_a, personas.community_a)
    d = Dossier.objects.get(org=personas.community_a)
    assert d.file != first and s3_media.object_keys(folder_of(d.pk)) == [d.file]
    s3_media.client().delete_object(Bucket=s3_media.bucket, Key=d.file)
    assert client_for(personas.leader_a).get(reverse("dossier:download", args=[d.pk])).status_code == 404
    assert not AuditLog.objects.filter(action="dossier.download").exists()
    assert s3_media.local_files() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("pause", "left"),
    [
        ("dossier.build:publish:before", 0),  # the zip whole in the worker's temporary file, nothing uploaded
        ("dossier.build:publish:after", 1),  # uploaded under its final name, the row not yet pointing at it
    ],
)
def test_a_build_killed_midway_on_the_store_serves_nothing_and_runs_again(s3_media, personas, tmp_path, pause, left):
    a_year(personas)
    job = services.request_build(actor=personas.leader_a, org=personas.community_a, year=YEAR, enqueue=False)
    d = Dossier.objects.get(job=job)
    env = {**killed.child_env(tmp_path), **s3_media.env()}
    killed.kill_at(env, pause, "dossier_build", job.pk)
    state = killed.state(env, "dossier_state", d.pk)
    assert (state["state"], state["served"], state["whole_files"]) == ("running", "", None)
    assert len(s3_media.object_keys(folder_of(d.pk))) == left
    assert "DONE done" in killed.run(env, "dossier_build", job.pk)  # the same job, run again
    after = killed.state(env, "dossier_state", d.pk)
    assert after["state"] == "done" and after["whole_files"] > 30
    assert s3_media.object_keys(folder_of(d.pk)) == [f"{folder_of(d.pk)}/{after['served']}"]  # the leftover swept away
    assert s3_media.local_files() == []
