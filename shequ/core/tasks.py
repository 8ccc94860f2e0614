"""The task queue carries the request id: a task enqueued while a request runs keeps the request's id, and the
worker logs the task's start and end (and whatever the task logs) under it.

:class:`DatabaseBackend` (the default ``TASKS_BACKEND``) is django-tasks' database backend that writes the current
request id beside the task's arguments, in the same row and the same INSERT; ``shequ.core.tasks_rq.RQBackend``
(``TASKS_BACKEND=rq``, a module of its own so that a process on the database queue does not load RQ) writes it in
the RQ job's meta, in the same Redis write. The worker's ``task_started`` signal reads it back
(``stored_request_id`` of the task's backend) and sets it for the task's run; ``task_finished`` logs the end and
clears it. A task enqueued outside a request (a scheduled command) runs under an id of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend
from django_tasks_db.compat import normalize_json, task_finished, task_started
from django_tasks_db.models import DBTaskResult

from shequ.core.logs import new_request_id, request_id

log = logging.getLogger("shequ.tasks")
KEY = "request_id"


class DatabaseBackend(BaseDatabaseBackend):
    """django-tasks' database backend, with the enqueuing request's id stored on the task's row."""

    def _task_to_db_task(self, task, args, kwargs) -> DBTaskResult:
        rid = request_id.get()
        if not rid:
            row = super()._task_to_db_task(task, args, kwargs)
        else:
            # The parent's INSERT with the request id beside the arguments (the worker reads only "args" and
            # "kwargs"): no second query.
            row = DBTaskResult.objects.create(
                id=self._get_id(),
                args_kwargs={**normalize_json({"args": args, "kwargs": kwargs}), KEY: rid},
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after,
                backend_name=self.alias,
            )
        log.info("task enqueued", extra={"task": row.task_path, "task_id": str(row.pk)})
        return row

    def stored_request_id(self, result_id: str) -> str | None:
        try:
            stored = DBTaskResult.objects.filter(pk=result_id).values_list("args_kwargs", flat=True).first() or {}
        except ValidationError:  # not one of this backend's ids
            return None
        return stored.get(KEY) if isinstance(stored, dict) else None


_tokens: dict[str, Any] = {}


def _started(sender, task_result, **kwargs) -> None:
    stored = getattr(task_result.task.get_backend(), "stored_request_id", None)
    rid = stored(str(task_result.id)) if stored else None
    _tokens[str(task_result.id)] = request_id.set(rid or new_request_id())
    log.info("task started", extra={"task": task_result.task.module_path, "task_id": str(task_result.id)})


def _finished(sender, task_result, **kwargs) -> None:
    ms = None
    if task_result.started_at and task_result.finished_at:
        ms = round((task_result.finished_at - task_result.started_at).total_seconds() * 1000, 1)
    log.log(
        logging.ERROR if task_result.status == "FAILED" else logging.INFO,
        "task finished",
        extra={
            "task": task_result.task.module_path,
            "task_id": str(task_result.id),
            "task_status": str(task_result.status),
            "ms": ms,
        },
    )
    token = _tokens.pop(str(task_result.id), None)
    if token is not None:
        request_id.reset(token)


def connect() -> None:
    task_started.connect(_started, dispatch_uid="shequ.core.tasks.started")
    task_finished.connect(_finished, dispatch_uid="shequ.core.tasks.finished")
