"""``/metrics`` for Prometheus: django-prometheus's request, latency and database metrics, and the task queue.

django-prometheus counts requests and responses by view and status, their latency, and (through its database
wrappers, which settings.py puts in front of the configured engine) queries, their time and errors. Under gunicorn
each worker keeps its own figures: gunicorn.conf.py sets ``PROMETHEUS_MULTIPROC_DIR`` so that every worker writes
them to files there and a scrape of any worker adds them up. The task queue (django-tasks' database backend) is
read from its table at each scrape: tasks by queue and status, and the age of the oldest task waiting.

Only a scraper may read it: a request from an address of ``METRICS_ALLOWED_IPS`` that came through no proxy, or
one with ``Authorization: Bearer <METRICS_TOKEN>``. Anyone else gets a 404 (a wrong token a 403).
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class TaskQueueCollector:
    """The database task queue, read at each scrape (two small grouped queries)."""

    def collect(self):
        tasks = GaugeMetricFamily("shequ_tasks", "Background tasks by queue and status", labels=["queue", "status"])
        for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")).order_by():
            tasks.add_metric([row["queue_name"], row["status"]], row["n"])
        yield tasks
        oldest = GaugeMetricFamily(
            "shequ_tasks_oldest_ready_seconds", "Age of the oldest task waiting to run", labels=["queue"]
        )
        now = timezone.now()
        waiting = DBTaskResult.objects.ready().values("queue_name").annotate(first=Min("enqueued_at")).order_by()
        for row in waiting:
            oldest.add_metric([row["queue_name"]], max((now - row["first"]).total_seconds(), 0.0))
        yield oldest


def allowed(request: HttpRequest) -> bool | None:
    """True for a scraper; False for a wrong token (403); None for anyone else (404)."""
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return bool(token) and hmac.compare_digest(header.removeprefix("Bearer ").strip(), token)
    through_proxy = "X-Forwarded-For" in request.headers or "X-Real-IP" in request.headers
    if not through_proxy and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS:
        return True
    return None


def metrics(request: HttpRequest) -> HttpResponse:
    verdict = allowed(request)
    if verdict is None:
        raise Http404
    if verdict is False:
        return HttpResponseForbidden("令牌无效。")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    tasks = CollectorRegistry(auto_describe=False)
    tasks.register(TaskQueueCollector())
    body = generate_latest(registry) + generate_latest(tasks)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
