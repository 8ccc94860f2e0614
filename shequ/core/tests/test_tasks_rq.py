"""The task queue on Redis (``TASKS_BACKEND=rq``): a task enqueued during a request goes to RQ with the request's
id and a real RQ worker (burst mode) runs it under that id; its result is read back through django-tasks. Runs
against the local Redis, on a database number of its own (``TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/7``),
which it empties."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import django_rq
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks import task_backends
from rq import SimpleWorker

from shequ.cases.tasks import supervision_sweep_task
from shequ.core.logs import RequestLogMiddleware
from shequ.core.tasks_rq import RQBackend, RQJob
from shequ.plans import reminders
from shequ.testing import redis_db

ROOT = Path(__file__).resolve().parents[3]
REDIS = redis_db.URL


@pytest.fixture
def on_rq(settings, redis_store):
    """Tasks go to RQ on the tests' Redis database."""
    settings.RQ_QUEUES = {"default": {"URL": REDIS}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "shequ.core.tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_store


def work() -> None:
    """One real RQ worker, in burst mode: runs what is queued, then stops (in this process: the test's database)."""
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)


def lines(caplog, message: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "shequ.tasks" and r.getMessage() == message]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_during_a_request_runs_in_an_rq_worker_under_its_id(on_rq, caplog):
    caplog.set_level(logging.INFO)
    assert isinstance(task_backends["default"], RQBackend)
    enqueued = []

    def view(request):
        enqueued.append(supervision_sweep_task.enqueue())
        return HttpResponse("ok")

    RequestLogMiddleware(view)(RequestFactory().get("/cases/", HTTP_X_REQUEST_ID="req-rq-7"))
    [result] = enqueued
    job = RQJob.fetch(result.id, connection=on_rq)
    assert job.meta["request_id"] == "req-rq-7" and job.get_status() == "queued"
    assert on_rq.llen("rq:queue:default") == 1

    caplog.clear()
    work()
    [started] = lines(caplog, "task started")
    [finished] = lines(caplog, "task finished")
    assert started.task == "shequ.cases.tasks.supervision_sweep_task" and started.task_id == result.id
    assert started.request_id == finished.request_id == "req-rq-7"
    assert finished.task_status == "SUCCESSFUL"
    result.refresh()
    assert result.status == "SUCCESSFUL" and isinstance(result.return_value, dict)
    assert on_rq.llen("rq:queue:default") == 0


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_outside_a_request_runs_under_an_id_of_its_own(on_rq, caplog):
    caplog.set_level(logging.INFO)
    result = reminders.refresh_reminders.enqueue(days=3)
    assert "request_id" not in RQJob.fetch(result.id, connection=on_rq).meta
    work()
    [started] = lines(caplog, "task started")
    assert len(started.request_id) == 32
    result.refresh()
    assert result.status == "SUCCESSFUL"


def backend_with(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS)"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASKS_BACKEND", "SESSION_STORE")}
    return subprocess.run(  # noqa: S603 - this interpreter, our settings
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "shequ.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_tasks_backend_rq_needs_redis_and_the_database_queue_stays_the_default():
    assert backend_with().stdout.split() == ["shequ.core.tasks.DatabaseBackend", "False"]
    assert backend_with(TASKS_BACKEND="rq", REDIS_URL=REDIS).stdout.split() == ["shequ.core.tasks_rq.RQBackend", "True"]
    refused = backend_with(TASKS_BACKEND="rq")
    assert refused.returncode != 0 and "TASKS_BACKEND=rq needs REDIS_URL" in refused.stderr
