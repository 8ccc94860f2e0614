"""The log an operator follows: one line per request with its id, the id carried into the tasks the request
enqueues and logged by the worker, slow requests and slow queries with their page, JSON lines when asked."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from shequ.core.logs import JsonFormatter, RequestIdFilter, RequestLogMiddleware
from shequ.plans import reminders

pytestmark = pytest.mark.django_db


def lines(caplog, logger: str, message: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger and r.getMessage() == message]


def test_each_request_has_one_line_with_its_id_status_time_queries_and_user(client_for, personas, caplog, settings):
    settings.SLOW_REQUEST_MS = 60_000
    caplog.set_level(logging.INFO, logger="shequ.request")
    response = client_for(personas.worker_a).get("/", HTTP_X_REQUEST_ID="lb-7f3a9c")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a9c"
    [line] = [r for r in lines(caplog, "shequ.request", "request") if r.path == "/"]
    assert (line.method, line.status, line.view, line.user) == ("GET", 200, "dashboard", personas.worker_a.pk)
    assert line.queries > 0 and line.ms > 0
    assert line.request_id == "lb-7f3a9c"


def test_djangos_own_line_of_a_404_carries_the_request_id(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(record)
    assert record.request_id == "req-404"


def test_a_request_without_a_usable_id_gets_a_new_one(client, caplog):
    caplog.set_level(logging.INFO, logger="shequ.request")
    first = client.get("/healthz", HTTP_X_REQUEST_ID='bad id"; drop')["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert not [r for r in caplog.records if getattr(r, "request_id", "") == 'bad id"; drop']


def test_slow_requests_and_slow_queries_are_warnings_with_their_page(client_for, personas, settings, caplog):
    settings.SLOW_REQUEST_MS = 0
    settings.SLOW_QUERY_MS = 0
    caplog.set_level(logging.INFO, logger="shequ.request")
    client_for(personas.worker_a).get("/records/")
    [slow] = [r for r in lines(caplog, "shequ.request", "slow request") if r.path == "/records/"]
    assert slow.levelno == logging.WARNING and slow.view == "records:list"
    queries = [r for r in lines(caplog, "shequ.request", "slow query") if r.path == "/records/"]
    assert len(queries) == slow.queries
    assert all(r.levelno == logging.WARNING and r.sql for r in queries)


def test_fast_requests_and_queries_are_not_warnings(client, caplog, settings):
    settings.SLOW_REQUEST_MS = settings.SLOW_QUERY_MS = 60_000
    caplog.set_level(logging.INFO, logger="shequ.request")
    client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "shequ.request" and r.levelno >= logging.WARNING]


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
def test_a_task_enqueued_during_a_request_runs_under_its_id(caplog):
    caplog.set_level(logging.INFO)

    def view(request):
        reminders.refresh_reminders.enqueue(days=3)
        return HttpResponse("ok")

    RequestLogMiddleware(view)(RequestFactory().get("/plans/", HTTP_X_REQUEST_ID="req-42"))
    assert DBTaskResult.objects.get().args_kwargs["request_id"] == "req-42"

    caplog.clear()
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())
    [started] = lines(caplog, "shequ.tasks", "task started")
    [finished] = lines(caplog, "shequ.tasks", "task finished")
    assert started.task == "shequ.plans.reminders.refresh_reminders"
    assert started.request_id == finished.request_id == "req-42"
    assert finished.task_status == "SUCCESSFUL"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
def test_a_task_enqueued_outside_a_request_runs_under_an_id_of_its_own(caplog):
    caplog.set_level(logging.INFO)
    reminders.refresh_reminders.enqueue(days=3)
    assert "request_id" not in DBTaskResult.objects.get().args_kwargs
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())
    [started] = lines(caplog, "shequ.tasks", "task started")
    assert len(started.request_id) == 32


def test_json_lines_carry_the_fields():
    record = logging.LogRecord("shequ.request", logging.INFO, __file__, 1, "request", None, None)
    record.method, record.path, record.status, record.ms, record.queries, record.user = "GET", "/", 200, 12.5, 9, 3
    record.request_id = "abc"
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["msg"] == "request" and entry["level"] == "INFO" and entry["request_id"] == "abc"
    assert (entry["method"], entry["path"], entry["status"], entry["ms"], entry["queries"], entry["user"]) == (
        "GET",
        "/",
        200,
        12.5,
        9,
        3,
    )


def test_a_slow_query_logs_a_long_in_list_as_one_placeholder():
    from shequ.core.logs import _short

    placeholders = ", ".join(["%s"] * 500)
    sql = f"SELECT id FROM t WHERE org_id IN ({placeholders}) AND name = %s"  # noqa: S608 - a logged text
    assert _short(sql) == "SELECT id FROM t WHERE org_id IN (%s ×500) AND name = %s"
