"""More than one machine: two web processes (gunicorn, two workers each) and two RQ task workers against one
PostgreSQL and one Redis. A worker logs in through one web process and goes on through the other (the session is
in Redis), uploads a residents import through each and confirms it through the other, records activities through
both at once, and two schedulers pass at the same moment; the task workers share the queue. Then every imported
person is there once, every record once with its month's count, every task ran once and every periodic job once.

PostgreSQL only (the processes share the test database); Redis on a database number of its own
(``TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/7``), which it empties."""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image

from shequ.accounts import secondfactor
from shequ.core import periodic
from shequ.core.models import PeriodicRun
from shequ.records.models import Record, RecordMonth
from shequ.records.tests.helpers import activity_type
from shequ.residents.imports.jobs import INLINE_LIMIT_BYTES
from shequ.residents.models import ImportJob, ImportStatus, Person
from shequ.residents.tests.helpers import new_id
from shequ.testing import redis_db
from shequ.testing.factories import TEST_PASSWORD, totp_device
from shequ.testing.killed import child_env

ROOT = Path(__file__).resolve().parents[3]
REDIS = redis_db.URL
ROWS = 1300  # per import: past INLINE_LIMIT_BYTES, so the task workers check and import it
RECORDS = 8  # per web process
WAIT = 180  # seconds, for any one thing to happen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),  # the processes read and write the test's database
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several machines share PostgreSQL; SQLite is one machine's file"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(what, message: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if got := what():
            return got
        time.sleep(0.3)
    raise AssertionError(f"timed out: {message}")


class Machines:
    """The processes, each with its log file; stopped with SIGTERM (each by its own id)."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp, self.env, self.procs = tmp_path, env, []

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(  # noqa: S603 - this interpreter's tools, fixed arguments
            list(args), cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        self.procs.append((name, proc, log))
        return proc

    def web(self, name: str) -> str:
        port = free_port()
        prom = self.tmp / f"prometheus-{name}"
        self.start(
            name,
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "gunicorn.conf.py",
            "--no-control-socket",  # two masters on one machine here: each would take the same socket
            "shequ.wsgi",
            WEB_BIND=f"127.0.0.1:{port}",
            WEB_WORKERS="2",
            PROMETHEUS_MULTIPROC_DIR=str(prom),
        )
        base = f"http://127.0.0.1:{port}"

        def up():
            try:
                return requests.get(f"{base}/healthz", timeout=30).status_code == 200
            except requests.RequestException:
                return False

        until(up, f"{name} answers", timeout=90)
        return base

    def log_entries(self) -> list[dict]:
        entries = []
        for name, _, _ in self.procs:
            for line in (self.tmp / f"{name}.log").read_text().splitlines():
                if line.startswith("{"):
                    with contextlib.suppress(json.JSONDecodeError):  # another tool's line
                        entries.append({**json.loads(line), "process": name})
        return entries

    def stop(self) -> None:
        for _, proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc, log in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def roster(tag: str) -> tuple[bytes, list[str]]:
    ids = [new_id() for _ in range(ROWS)]
    note = "家中有老人需定期探访，子女在外地工作，联系方式已登记在册，逢年过节社区上门慰问。"
    lines = ["姓名,证件号码,联系电话,备注"] + [f"居民{tag}{i},{n},1390000{i:04d},{note}" for i, n in enumerate(ids)]
    data = "\n".join(lines).encode("utf-8")
    assert len(data) > INLINE_LIMIT_BYTES  # the import goes through the queue
    return data, ids


def photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (60, 120, 200)).save(buf, format="JPEG")
    return buf.getvalue()


def login(base: str, user) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/login/", timeout=30)
    r = s.post(
        f"{base}/login/",
        data={"username": user.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        timeout=30,
    )
    assert r.status_code == 200 and "/login/" not in r.url, r.url
    if "/accounts/mfa/" in r.url:
        code = secondfactor.new_recovery_codes(user)[0]
        r = s.post(r.url, data={"code": code, "csrfmiddlewaretoken": s.cookies["csrftoken"]}, timeout=30)
        assert "/accounts/mfa/" not in r.url, r.url
    return s


def post(s: requests.Session, url: str, **kw) -> requests.Response:
    return s.post(url, headers={"X-CSRFToken": s.cookies["csrftoken"], "Referer": url}, timeout=60, **kw)


def test_two_web_processes_and_two_task_workers_lose_nothing_and_do_nothing_twice(personas, redis_store, tmp_path):
    user = personas.worker_a
    # The web processes hash as production does (the tests' own hasher is MD5).
    user.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "two-machines", iterations=1000)
    user.save(update_fields=["password"])
    totp_device(user)  # a second factor, if the role asks for one
    org = personas.community_a
    board = activity_type("health", "board")

    env = child_env(tmp_path)
    env.update(REDIS_URL=REDIS, TASKS_BACKEND="rq", LOG_FORMAT="json", PYTHONUNBUFFERED="1")
    env.pop("SHEQU_ENV", None)
    machines = Machines(tmp_path, env)
    try:
        one, two = machines.web("web-1"), machines.web("web-2")
        for name in ("worker-1", "worker-2"):
            machines.start(name, sys.executable, "manage.py", "rqworker", "default", "--name", name)

        # Logged in through one, the same session goes on through the other.
        session = login(one, user)
        page = session.get(f"{two}/", timeout=30)
        assert page.status_code == 200 and not page.history and "/login/" not in page.url

        # A residents import uploaded through each, checked by a task worker, confirmed through the other.
        files = {tag: roster(tag) for tag in ("甲", "乙")}
        jobs = {}
        for tag, base in (("甲", one), ("乙", two)):
            r = post(
                session,
                f"{base}/residents/imports/",
                data={"org": org.pk},
                files={"file": (f"名册{tag}.csv", files[tag][0], "text/csv")},
            )
            assert r.status_code == 200 and "/residents/imports/" in r.url, r.status_code
            jobs[tag] = int(re.search(r"/residents/imports/(\d+)/", r.url).group(1))
        for tag, base in (("甲", two), ("乙", one)):
            pk = jobs[tag]
            until(lambda pk=pk: ImportJob.objects.get(pk=pk).status == ImportStatus.CHECKED, f"import {tag} checked")
            assert post(session, f"{base}/residents/imports/{pk}/confirm/").status_code == 200

        # Records through both web processes at once, each thread with its own connection and the same session.
        def record(base: str, n: int) -> int:
            s = requests.Session()
            s.cookies.update(session.cookies)
            r = post(
                s,
                f"{base}/records/new/",
                data={
                    "type": board.pk,
                    "org": org.pk,
                    "date": "2026-05-16",
                    "title": f"宣传栏第{n}期",
                    "place": "服务站门口",
                    "x_issue_no": str(n),
                    "x_location": "1号宣传栏",
                },
                files={"photos": ("photo.jpg", photo(), "image/jpeg")},
            )
            return r.status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(record, [one, two] * RECORDS, range(2 * RECORDS)))
        assert statuses == [200] * 2 * RECORDS

        # Two schedulers at the same moment (one on each machine): their jobs go to the same queue.
        moment = "2026-03-02T07:00"
        schedulers = [
            machines.start(f"scheduler-{i}", sys.executable, "manage.py", "schedule", "--once", "--at", moment)
            for i in (1, 2)
        ]
        for proc in schedulers:
            assert proc.wait(timeout=WAIT) == 0

        for tag, pk in jobs.items():
            until(lambda pk=pk: ImportJob.objects.get(pk=pk).status == ImportStatus.DONE, f"import {tag} done")

        def settled():
            entries = machines.log_entries()
            enqueued = {e["task_id"] for e in entries if e["msg"] == "task enqueued"}
            finished = [e["task_id"] for e in entries if e["msg"] == "task finished"]
            return (entries, enqueued) if enqueued and set(finished) >= enqueued else None

        entries, enqueued = until(settled, "every task finished")
    finally:
        machines.stop()

    # Every task ran once, in one of the two workers, and every one of them succeeded.
    started = Counter(e["task_id"] for e in entries if e["msg"] == "task started")
    assert set(started) == enqueued and set(started.values()) == {1}
    finished = [e for e in entries if e["msg"] == "task finished"]
    assert {e["task_status"] for e in finished} == {"SUCCESSFUL"}, [
        e for e in finished if e["task_status"] != "SUCCESSFUL"
    ]
    assert {e["process"] for e in entries if e["msg"] == "task started"} <= {"worker-1", "worker-2"}
    imports = [e for e in entries if e["msg"] == "task started" and e["task"].endswith("process_import")]
    assert len(imports) == 4  # each file checked once and imported once
    # ... under the id of the web request that enqueued it, on whichever machine that was.
    asked = {e["task_id"]: e for e in entries if e["msg"] == "task enqueued"}
    assert all(asked[e["task_id"]]["process"].startswith("web-") for e in imports)
    assert [e["request_id"] for e in imports] == [asked[e["task_id"]]["request_id"] for e in imports]

    # Every imported person once, every file whole.
    for tag, pk in jobs.items():
        job = ImportJob.objects.get(pk=pk)
        assert (job.total, job.added) == (ROWS, ROWS)
        assert Person.objects.filter(name__startswith=f"居民{tag}").count() == ROWS
    assert Person.objects.count() == Person.objects.values("id_hash").distinct().count() >= 2 * ROWS

    # Every record once, and the month's count (one upsert per record, from both processes at once) not short.
    titles = Counter(Record.objects.filter(title__startswith="宣传栏第").values_list("title", flat=True))
    assert titles == Counter({f"宣传栏第{n}期": 1 for n in range(2 * RECORDS)})
    assert RecordMonth.objects.get(org=org, area=board.area, year=2026, month=5).n == 2 * RECORDS

    # Each due periodic job claimed once, enqueued once, run once.
    runs = dict(PeriodicRun.objects.values_list("task_id", "job"))
    assert sorted(runs.values()) == sorted(j.name for j in periodic.schedule())
    assert all(started[task_id] == 1 for task_id in runs)
