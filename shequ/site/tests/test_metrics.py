"""/metrics: Prometheus's text for scrapers (an allowed address or the token), nothing for anyone else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shequ.plans import reminders

pytestmark = pytest.mark.django_db


def value(text: str, name: str, **labels: str) -> float:
    """The sample ``name{labels}`` of an exposition (labels in any order), or 0."""
    for line in text.splitlines():
        match = re.match(rf"^{re.escape(name)}(?:{{(.*)}})? (\S+)$", line)
        if match and all(f'{k}="{v}"' in (match.group(1) or "") for k, v in labels.items()):
            return float(match.group(2))
    return 0.0


def test_a_scraper_on_an_allowed_address_reads_requests_queries_and_latency(client, personas):
    client.get("/healthz")
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert value(text, "django_http_requests_total_by_view_transport_method_total", view="healthz") >= 2
    assert value(text, "django_http_requests_latency_seconds_by_view_method_count", view="healthz") >= 2
    assert value(text, "django_db_execute_total") > 0  # the database wrapper counts queries


def test_the_task_queue_depth_and_failures_are_gauges(client, personas):
    reminders.refresh_reminders.enqueue(days=3)
    reminders.refresh_reminders.enqueue(days=3)
    failed = reminders.refresh_reminders.enqueue(days=3)
    DBTaskResult.objects.filter(pk=failed.id).update(status="FAILED")
    DBTaskResult.objects.filter(status="READY").update(enqueued_at=timezone.now() - timedelta(minutes=5))
    text = client.get("/metrics").content.decode()
    assert value(text, "shequ_tasks", queue="default", status="READY") == 2
    assert value(text, "shequ_tasks", queue="default", status="FAILED") == 1
    assert value(text, "shequ_tasks_oldest_ready_seconds", queue="default") >= 300


def test_other_addresses_get_404_and_a_wrong_token_403(client, settings):
    settings.METRICS_TOKEN = "s3cret-token-of-the-scraper"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # Through a proxy on this machine: the proxy's address is no scraper's.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    wrong = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 403
    right = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-token-of-the-scraper")
    assert right.status_code == 200


def test_without_a_token_configured_no_bearer_opens_it(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_a_logged_in_user_elsewhere_gets_404(client_for, personas):
    response = client_for(personas.admin).get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 404
