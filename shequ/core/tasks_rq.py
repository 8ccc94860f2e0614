"""django-tasks' RQ backend (django-tasks-rq) carrying the enqueuing request's id (``TASKS_BACKEND=rq``).

Kept apart from :mod:`shequ.core.tasks` so that RQ and its Redis client (about 25 MB) are loaded only by the
processes configured for them; the worker reads the id back through :meth:`RQBackend.stored_request_id`.
"""

from __future__ import annotations

import logging
from typing import Any

import django_rq
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job as RQJob
from django_tasks_rq.backend import RQBackend as BaseRQBackend
from django_tasks_rq.backend import failed_callback, success_callback
from rq.job import Callback, JobStatus

from shequ.core.logs import request_id
from shequ.core.tasks import KEY

log = logging.getLogger("shequ.tasks")

__all__ = ["RQBackend", "RQJob"]


class RQBackend(BaseRQBackend):
    """django-tasks' RQ backend (django-tasks-rq), with the enqueuing request's id in the RQ job's meta."""

    def enqueue(self, task, args, kwargs) -> TaskResult:
        # django-tasks-rq's enqueue (which fixes the job's meta), with the request id in the meta.
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=RQJob)
        meta: dict[str, Any] = {"backend_name": self.alias}
        if rid := request_id.get():
            meta[KEY] = rid
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta=meta,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
        log.info("task enqueued", extra={"task": task.module_path, "task_id": result.id})
        return result

    def stored_request_id(self, result_id: str) -> str | None:
        job = self._get_job(result_id)
        return job.meta.get(KEY) if job is not None else None
