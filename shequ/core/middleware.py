from __future__ import annotations

import re
from contextlib import ExitStack

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.http import JsonResponse
from django.shortcuts import render

INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d{19,}$")


class RejectNulBytesMiddleware:
    """Refuse requests that no person sends and that the database cannot take.

    NUL characters (PostgreSQL text cannot store them) in query or form fields, and whole numbers
    in the query beyond 64 bits (no id, page or offset is that large): answered with a 400 before
    they reach a query, instead of turning a search box or an API filter into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return self._refuse()
        for _key, values in request.GET.lists():
            if any(_INTEGER.match(v) and abs(int(v)) > INT64_MAX for v in values):
                return self._refuse("参数超出允许的范围。")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for values in request.POST.lists():
                if any("\x00" in v for v in values[1]) or "\x00" in values[0]:
                    return self._refuse()
        return self.get_response(request)

    @staticmethod
    def _refuse(message: str = "请求中含有不允许的空字符。"):
        return JsonResponse({"code": "invalid", "message": message, "detail": None}, status=400)


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


class StatementTimeoutMiddleware:
    """A runaway query cannot take the site down: on PostgreSQL, web requests run with a statement timeout.

    ``DB_STATEMENT_TIMEOUT`` (seconds, well under the worker timeout ``WEB_TIMEOUT`` that gunicorn.conf.py
    reads) is set once per database connection of the web process, so background tasks and management
    commands keep no limit. A query it cancels answers 503 with "查询超时，请缩小范围" instead of
    holding a worker until gunicorn kills it (whose query PostgreSQL would go on running).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "DB_STATEMENT_TIMEOUT", 0)
        if not seconds or connection.vendor != "postgresql":
            return self.get_response(request)
        ms = int(seconds * 1000)

        def with_timeout(execute, sql, params, many, context):
            _set_statement_timeout(context["connection"], ms)
            return execute(sql, params, many, context)

        # Set on the request's first query: a request that reads nothing opens no connection for it. The read
        # replica's connection (shequ/core/replica.py) gets the same limit.
        with ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(with_timeout))
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and getattr(exception.__cause__, "sqlstate", None) == QUERY_CANCELED:
            return render(request, "query_timeout.html", status=503)
        return None


def _set_statement_timeout(conn, ms: int) -> None:
    """Set the session's statement timeout on a connection that does not have it yet. The raw connection
    runs the SET, so that it is no query of the page's (query-count guards count the page's own)."""
    raw = conn.connection
    if raw is None or getattr(conn, "_shequ_statement_timeout", None) == (id(raw), ms):
        return
    raw.execute(f"SET statement_timeout = {int(ms)}")  # an int we formatted: nosec B608
    conn._shequ_statement_timeout = (id(raw), ms)
