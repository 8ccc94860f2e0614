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
accesslog = "-"
