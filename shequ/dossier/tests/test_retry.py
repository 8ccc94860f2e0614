"""Retrying what a street's job failed or left undone: one community, or all of them, in a new job that points back;
the communities built whole are left alone; refused while the job still runs, for a built one, and for others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shequ.audit.models import AuditLog
from shequ.dossier import build as builder
from shequ.dossier import services
from shequ.dossier.models import Dossier, DossierJob, JobState
from shequ.dossier.tests.helpers import YEAR, a_year, failing_for

pytestmark = pytest.mark.django_db


def _street_job_with_b_failing(p, monkeypatch) -> DossierJob:
    a_year(p)
    real = builder.build
    failing_for(monkeypatch, p.community_b)
    job = services.request_build(actor=p.supervisor, org=p.street, year=YEAR, enqueue=False)
    job = services.run_job(job.pk)
    monkeypatch.setattr(builder, "build", real)
    return job


def test_one_failed_community_is_built_again_alone_and_the_others_are_kept(personas, monkeypatch):
    p = personas
    job = _street_job_with_b_failing(p, monkeypatch)
    assert (job.state, job.message) == (JobState.FAILED, "1份生成失败")
    a = Dossier.objects.get(org=p.community_a)
    a_file = a.file
    with pytest.raises(ValidationError, match="没有需要重试的社区"):
        services.retry(actor=p.supervisor, job=job, org=p.community_a, enqueue=False)  # 社区A was built
    again = services.retry(actor=p.supervisor, job=job, org=p.community_b, enqueue=False)
    assert (again.retry_of_id, again.org_id) == (job.pk, p.community_b.pk)
    assert [d.org_id for d in again.dossiers.all()] == [p.community_b.pk]
    assert services.run_job(again.pk).state == JobState.DONE
    b = Dossier.objects.get(org=p.community_b)
    assert b.state == JobState.DONE and b.file and b.job_id == again.pk
    a.refresh_from_db()
    assert (a.file, a.job_id) == (a_file, job.pk)  # not built again
    row = AuditLog.objects.get(action="dossier.retry")
    assert row.actor_id == p.supervisor.pk and row.detail["communities"] == ["社区B"]


def test_a_job_whose_worker_died_goes_on_with_what_it_never_finished(personas):
    p = personas
    a_year(p)
    job = services.request_build(actor=p.supervisor, org=p.street, year=YEAR, enqueue=False)
    with pytest.raises(ValidationError, match="仍在进行"):
        services.retry(actor=p.supervisor, job=job, enqueue=False)
    Dossier.objects.filter(job=job, org=p.community_a).update(state=JobState.RUNNING, parts_done=7)
    DossierJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat=timezone.now() - services.STALE_AFTER - timedelta(minutes=1)
    )
    job.refresh_from_db()
    again = services.retry(actor=p.supervisor, job=job, enqueue=False)
    assert again.org_id == p.street.pk
    assert {d.org_id for d in again.dossiers.all()} == {p.community_a.pk, p.community_b.pk}
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断" in job.message
    assert services.run_job(again.pk).state == JobState.DONE


def test_only_who_may_build_the_year_retries(personas, monkeypatch):
    p = personas
    job = _street_job_with_b_failing(p, monkeypatch)
    with pytest.raises(PermissionDenied):
        services.retry(actor=p.leader_a, job=job, enqueue=False)  # the street's job: not 社区A's to rerun
    with pytest.raises(PermissionDenied):
        services.retry(actor=p.worker_a, job=job, org=p.community_b, enqueue=False)


def test_the_job_page_offers_the_retry_of_the_failed_row_and_it_runs(personas, client_for, monkeypatch):
    p = personas
    job = _street_job_with_b_failing(p, monkeypatch)
    client = client_for(p.supervisor)
    page = client.get(reverse("dossier:job", args=[job.pk])).content.decode()
    assert page.count('data-testid="retry"') == 1 and "生成失败，请重试或联系管理员。" in page
    response = client.post(reverse("dossier:retry", args=[job.pk]), {"org": p.community_b.pk})
    again = DossierJob.objects.get(retry_of=job)
    assert response.status_code == 302 and response["Location"] == reverse("dossier:job", args=[again.pk])
    page = client.get(reverse("dossier:job", args=[job.pk])).content.decode()
    assert 'data-testid="retries"' in page and 'data-testid="retry"' not in page  # 社区B moved to the new job
    assert client_for(p.worker_b).post(reverse("dossier:retry", args=[job.pk])).status_code == 404
