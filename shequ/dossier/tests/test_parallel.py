"""A street's one click queues one build task per community, so every task worker (on every machine) takes its
share; whichever builds the last one closes the job, once, with the failures counted."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from shequ.dossier import build as builder
from shequ.dossier import services
from shequ.dossier.models import Dossier, JobState
from shequ.dossier.tests.helpers import YEAR, a_year, failing_for

pytestmark = pytest.mark.django_db


def _queued(job_pk: int) -> list[int]:
    """The dossiers the queued build tasks of the job name, in the order they were queued."""
    tasks = DBTaskResult.objects.filter(task_path__endswith="build_dossier").order_by("enqueued_at", "id")
    return [t.args_kwargs["args"][1] for t in tasks if t.args_kwargs["args"][0] == job_pk]


def test_a_street_job_queues_one_task_per_community_and_the_last_one_closes_it(
    personas, django_capture_on_commit_callbacks
):
    p = personas
    a_year(p)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_build(actor=p.supervisor, org=p.street, year=YEAR)
    queued = _queued(job.pk)
    assert sorted(queued) == sorted(job.dossiers.values_list("pk", flat=True)) and len(queued) == 2
    first, last = queued[::-1]  # the workers may take them in any order
    services.build_dossier.call(job.pk, first)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.finished_at is None  # the other community is still waiting
    services.build_dossier.call(job.pk, last)
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.DONE, "")
    assert all(d.state == JobState.DONE and d.file for d in job.dossiers.all())
    finished = job.finished_at
    services.build_dossier.call(job.pk, first)  # a task delivered twice builds nothing again
    job.refresh_from_db()
    assert job.finished_at == finished


def test_a_failed_community_fails_the_job_once_the_others_are_built(personas, monkeypatch):
    p = personas
    a_year(p)
    failing_for(monkeypatch, p.community_b)
    job = services.request_build(actor=p.supervisor, org=p.street, year=YEAR, enqueue=False)
    b = Dossier.objects.get(org=p.community_b)
    services.build_dossier.call(job.pk, b.pk)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # 社区A is still to be built
    services.build_dossier.call(job.pk, Dossier.objects.get(org=p.community_a).pk)
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.FAILED, "1份生成失败")


def test_a_task_of_a_dossier_moved_to_a_retry_leaves_it_to_the_retry(personas, monkeypatch):
    p = personas
    a_year(p)
    job = services.request_build(actor=p.supervisor, org=p.street, year=YEAR, enqueue=False)
    b = Dossier.objects.get(org=p.community_b)
    Dossier.objects.filter(pk=b.pk).update(state=JobState.FAILED)
    services.build_dossier.call(job.pk, Dossier.objects.get(org=p.community_a).pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    again = services.retry(actor=p.supervisor, job=job, enqueue=False)
    calls = []
    monkeypatch.setattr(builder, "build", lambda pk: calls.append(pk))
    services.build_dossier.call(job.pk, b.pk)  # the old job's task, delivered late
    assert calls == [] and Dossier.objects.get(pk=b.pk).job_id == again.pk
