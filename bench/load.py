"""Benchmark: Shequ under concurrent users, served by gunicorn with the production settings, driven by locust.

Builds (or with ``--keepdb`` reuses) the bench district of ``bench/pages.py`` (the same database,
``test_shequ_pages_<label>``; PostgreSQL only, through DATABASE_URL), logs each persona in once, collects the static
files, runs the scheduled ``plans_standings`` once (the kept figures, in Redis: ``LOAD_REDIS_URL``, default database
5 of the local Redis, as production shares its cache between web processes), starts gunicorn (``--workers``,
production settings on loopback) and runs locust headless for
``--duration`` seconds with ``--users`` simulated users: community workers on their lists, searches and records,
a 网格员 on their persons, leaders of a community, a street and the district on the workbench, the overview and the
dashboards (every page of ``bench/pages.py`` as its persona, weighted as the day's traffic), residents on the
portal; community workers also record activities (one record posted for every five pages they open). Imports
are not in the mix. Prints p50/p95/p99 and requests per
second per page; figures go to ``bench/results/load-<label>.json``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench python bench/load.py --scale 0.01 --keepdb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench python bench/load.py --keepdb

Last line: ``RESULT p95_ratio_full_vs_small=<largest p95 at full size ÷ p95 at 1 % over the pages> rps=<requests
per second at this size> errors=<failed requests at this size>`` (the ratio once both sizes have run). Target:
ratio ≤ 1.5, errors 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess  # starts gunicorn and locust from this checkout
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench import district  # noqa: E402
from bench.pages import pages as timed_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
# How often each persona's user comes, against the others (a district has many more workers than leaders).
WEIGHTS = {"a_worker": 6, "a_grid": 3, "a_safety": 2, "a_leader": 2, "street_leader": 2, "admin": 1, "resident": 4}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="share of the full size (0.01 for 1 %%)")
    p.add_argument("--streets", type=int, default=10)
    p.add_argument("--communities", type=int, default=20, help="communities per street")
    p.add_argument("--users", type=int, default=20, help="simulated users at once")
    p.add_argument("--duration", type=int, default=60, help="seconds of load")
    p.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--keepdb", action="store_true")
    p.add_argument("--no-build", action="store_true", help="use the kept database as it stands (with --keepdb)")
    return p.parse_args()


def _clients(ctx, personas) -> dict:
    """A logged-in test client (second factor passed) per persona, as the login would leave it."""
    from django.test import Client

    from shequ.testing.factories import log_in

    out = {}
    for persona in personas:
        client = Client()
        log_in(client, ctx.users[persona])
        out[persona] = client
    return out


def _record_post(ctx, client) -> dict | None:
    """What a community worker's "记录一次活动" form sends: a health activity (the persona's line of work) with no
    required field of its own, checked once through the form here (it must answer with the new record), and the
    form's CSRF token of this session for locust to send again."""
    import re

    from django.utils import timezone

    from shequ.records.models import ActivityType, Record

    a = ctx.orgs["communityA"]
    kind = next(
        (t for t in ActivityType.objects.filter(is_active=True, area__code="health").order_by("sort", "pk")
         if not any(f.get("required") for f in t.extra_fields)),
        None,
    )  # fmt: skip
    if kind is None:
        return None
    fields = {
        "type": str(kind.pk),
        "org": str(a.pk),
        "date": timezone.localdate().isoformat(),
        "title": "入户走访（负载测试）",
        "place": "社区服务站",
    }
    page = client.get("/records/new/", {"type": kind.pk}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    before = Record.objects.count()
    answer = client.post("/records/new/", fields)
    if token is None or answer.status_code != 302 or Record.objects.count() != before + 1:
        raise SystemExit(f"记录表单未接受负载测试的数据（{answer.status_code}）")
    return {
        "url": "/records/new/",
        "fields": {**fields, "csrfmiddlewaretoken": token.group(1)},
        "csrf_cookie": client.cookies[settings.CSRF_COOKIE_NAME].value,
    }


def _plan(ctx) -> dict:
    by_persona: dict[str, list[list[str]]] = {}
    for label, persona, url in timed_pages(ctx):
        by_persona.setdefault(persona, []).append([label, url])
    if "resident" in ctx.users:
        a = ctx.orgs["communityA"]
        by_persona["resident"] = [
            ["portal_home", "/p/"],
            ["portal_board", f"/p/board/{a.pk}/"],
            ["portal_mine", "/p/mine/"],
        ]
    clients = _clients(ctx, by_persona)
    post = _record_post(ctx, clients["a_worker"])
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "personas": {
            p: {
                "pages": urls,
                "session": clients[p].cookies[settings.SESSION_COOKIE_NAME].value,
                "weight": WEIGHTS.get(p, 1),
                # a community worker records an activity once in every RECORD_EVERY pages (writes in the mix)
                "post": post if p == "a_worker" else None,
            }
            for p, urls in by_persona.items()
        },
    }


def _server_env(db_name: str, static_root: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db_name}"
    return {
        **os.environ,
        "SHEQU_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are valid there
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "AUDIT_KEY": settings.AUDIT_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # TLS ends at the load balancer; requests say so in X-Forwarded-Proto
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "DEMO_ACCOUNTS_RELAXED": "true",
        # As in production with more than one web process: the cache (the kept figures) and the sessions in Redis,
        # a database of its own so that the bench leaves the tests' alone.
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/5"),
    }


def _wait_ready(base: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn 未能启动")


def _stats(prefix: str) -> dict[str, dict]:
    out = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    return out


def _worker_memory(master: int) -> dict:
    """Resident memory (MB) of gunicorn's worker processes after the load: now and at their peak."""
    out = {"rss_mb": [], "peak_mb": []}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            out["rss_mb"].append(round(int(fields["VmRSS"].split()[0]) / 1024))
            out["peak_mb"].append(round(int(fields["VmHWM"].split()[0]) / 1024))
    return out


def run_load(args, plan: dict, db_name: str) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="shequ-load-") as tmp:
        env = _server_env(db_name, f"{tmp}/static")
        subprocess.run(  # noqa: S603 - this checkout's manage.py
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        # The scheduled job's pass before the day starts: the targets' states and the figures kept for large scopes,
        # in the servers' cache (as `manage.py schedule` keeps them every five minutes).
        subprocess.run(  # noqa: S603 - this checkout's manage.py
            [str(BIN / "python"), "manage.py", "plans_standings"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "shequ.wsgi",
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{args.port}",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_ready(base)
            prefix = f"{tmp}/locust"
            subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                    "-u", str(args.users), "-r", str(args.users), "-t", f"{args.duration}s", "--host", base,
                    "--csv", prefix, "--loglevel", "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "SHEQU_LOAD_PLAN": str(plan_file)},
                check=False,  # locust exits 1 when a request failed: the figures say how many
            )  # fmt: skip
            stats = _stats(prefix)
            stats["_memory"] = _worker_memory(server.pid)
            return stats
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/load.py 需要 PostgreSQL（DATABASE_URL）：gunicorn 与本进程共用同一个数据库。")
    size = district.Size(streets=args.streets, communities=args.communities).scaled(args.scale)
    label = district.label_of(args.scale)
    ctx = district.open_district(label, size, keepdb=args.keepdb, no_build=args.no_build)
    name = connection.settings_dict["NAME"]
    plan = _plan(ctx)
    connection.close()  # the server's workers use their own connections
    district.log(
        f"负载: {args.users} 个用户 {args.duration} 秒，gunicorn {args.workers} 个进程，负载 {os.getloadavg()[0]:.1f}"
    )
    stats = run_load(args, plan, name)
    memory = stats.pop("_memory")
    total = stats.pop("Aggregated", {"requests": 0, "failures": 0, "rps": 0.0})
    head = ("页面", "请求", "失败", "p50ms", "p95ms", "p99ms", "请求/秒")
    district.log(f"{head[0]:<28} " + " ".join(f"{h:>8}" for h in head[1:]))
    for page, s in sorted(stats.items()):
        district.log(
            f"{page:<28} {s['requests']:>8} {s['failures']:>8} {s['p50_ms']:>8.0f} {s['p95_ms']:>8.0f} "
            f"{s['p99_ms']:>8.0f} {s['rps']:>8.2f}"
        )
    district.log(
        f"合计: {total['requests']} 个请求，{total['failures']} 个失败，{total['rps']:.2f} 请求/秒；"
        f"负载 {os.getloadavg()[0]:.1f}"
    )
    district.log(f"gunicorn 工作进程内存（MB）：现在 {memory['rss_mb']}，峰值 {memory['peak_mb']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{label}.json").write_text(
        json.dumps(
            {"size": size.__dict__, "args": vars(args), "pages": stats, "total": total, "memory": memory},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    ratio = "n/a"
    full_file, small_file = RESULTS / "load-full.json", RESULTS / "load-0_01.json"
    if full_file.exists() and small_file.exists():
        full = json.loads(full_file.read_text(encoding="utf-8"))["pages"]
        small = json.loads(small_file.read_text(encoding="utf-8"))["pages"]
        ratios = {p: full[p]["p95_ms"] / small[p]["p95_ms"] for p in full if small.get(p, {}).get("p95_ms")}
        if ratios:
            worst = max(ratios, key=ratios.get)
            ratio = f"{ratios[worst]:.2f}"
            district.log(f"最大倍数: {worst} {ratio}")
    print(f"RESULT p95_ratio_full_vs_small={ratio} rps={total['rps']:.2f} errors={total['failures']}")


if __name__ == "__main__":
    main()
