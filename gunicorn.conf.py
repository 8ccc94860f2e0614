"""gunicorn's settings for Shequ: ``gunicorn -c gunicorn.conf.py shequ.wsgi``.

The worker timeout is WEB_TIMEOUT (default 30 s), the same variable the Django settings read: the database
cancels a web request's query after DB_STATEMENT_TIMEOUT (default 20 s, see shequ/settings.py) and the page
answers "查询超时，请缩小范围" before gunicorn would kill the worker. Set the two together.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 8))))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = timeout
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
# Shequ writes one line per request itself (shequ/core/logs.py: JSON in production); gunicorn's access log only
# beside the readable text of development.
_json_logs = os.environ.get("LOG_FORMAT", "json" if os.environ.get("SHEQU_ENV") == "production" else "text") == "json"
accesslog = None if _json_logs else "-"

# /metrics adds up every worker's figures (shequ/core/metrics.py): each worker writes them to files in this folder,
# emptied when gunicorn starts; a worker that exits is marked dead so that its gauges stop counting.
PROMETHEUS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "var", "prometheus")
)


def on_starting(server):
    import shutil

    shutil.rmtree(PROMETHEUS_DIR, ignore_errors=True)
    os.makedirs(PROMETHEUS_DIR, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
