"""Logs an operator can follow: one line per request, a request id carried into the tasks it enqueues, slow
requests and slow queries named with their page.

Every request gets an id: the ``X-Request-ID`` it came with (a proxy's or a load balancer's, when it looks like
one) or a new one; it goes back in the response's ``X-Request-ID`` header and onto every log record written while
the request runs (:class:`RequestIdFilter`). :class:`RequestLogMiddleware` writes the request's line (method, path,
status, milliseconds, queries, user id, request id) to the ``shequ.request`` logger: a warning past
``SLOW_REQUEST_MS``, and one warning for each query past ``SLOW_QUERY_MS`` with its SQL (placeholders only, never
the values, which may be a resident's) and the page it served. Only the path is logged, never the query string.

``LOG_FORMAT=json`` (the production default) writes each record as one JSON object a line (:class:`JsonFormatter`);
development keeps readable text. ``shequ.core.tasks`` carries the id into the task queue.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection

request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = logging.getLogger("shequ.request")
# The fields of a record that a JSON line carries besides the message (set through ``extra=``).
FIELDS = ("method", "path", "view", "status", "ms", "queries", "user", "sql", "task", "task_id", "task_status")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _VALID_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


_PLACEHOLDERS = re.compile(r"%s(?:, %s)+")


def _short(sql: str) -> str:
    """A query as logged: a long IN list's placeholders as one ("%s ×200"), and at most 2,000 characters."""
    return _PLACEHOLDERS.sub(lambda m: f"%s ×{m.group(0).count('%s')}", sql)[:2000]


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or the task's: ``shequ.core.tasks``) on every record, "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # Django logs a request's 4xx and 5xx after the middleware has returned: the request still says its id.
            of_request = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = request_id.get() or of_request or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the request id and known fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get() or None,
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines for development: the message, then the known fields as ``name=value``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name))
        return f"{line} {fields}" if fields else line


class RequestLogMiddleware:
    """The request's id, its line in the log, and its slow queries. Placed first, so that it sees every query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = new_request_id(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        request.request_id = rid
        queries = 0
        slow_ms = settings.SLOW_QUERY_MS

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                ms = (time.perf_counter() - started) * 1000
                if ms >= slow_ms:
                    log.warning(
                        "slow query",
                        extra={"ms": round(ms, 1), "sql": _short(sql), "path": request.path, "method": request.method},
                    )

        started = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            response["X-Request-ID"] = rid
            ms = (time.perf_counter() - started) * 1000
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            fields = {
                "method": request.method,
                "path": request.path,
                "view": match.view_name if match is not None else "",
                "status": response.status_code,
                "ms": round(ms, 1),
                "queries": queries,
                "user": user.pk if user is not None and user.is_authenticated else None,
            }
            if ms >= settings.SLOW_REQUEST_MS:
                log.warning("slow request", extra=fields)
            else:
                log.info("request", extra=fields)
            return response
        finally:
            request_id.reset(token)
