"""Benchmark: the cases dashboard, dispute screening table and inbox at district scale.

Builds, in a throw-away test database (PostgreSQL through DATABASE_URL when set, otherwise SQLite), the demo
district grown to ``--streets`` × ``--communities`` communities (two grids each) and ``--cases`` bulk cases of
the year (the demo's ``--cases`` growth), then, logged in as the district administrator, times the pages and
counts their queries (best of ``--repeat``):

- /cases/dashboard/ (open, overdue, escalated by org and type; time to accept and close; satisfaction)
- /cases/screening/ (排查数/调处数/调处成功数/重大纠纷 by community, rolled up street → district, 零报告)
- /cases/ and /cases/?box=overdue (the inbox, paged)
- the daily 督办 sweep, and ``count_cases_by_org`` over every community

Usage: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_cases_bench python bench/cases_dashboard.py``
The last line is machine-readable: ``RESULT cases=<n> dashboard_queries=<q> dashboard_ms=<t> ...``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=200_000)
    p.add_argument("--streets", type=int, default=10)
    p.add_argument("--communities", type=int, default=20, help="communities per street")
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--keepdb", action="store_true")
    return p.parse_args()


def log(msg: str) -> None:
    print(msg, flush=True)


def timed(client, url: str, repeat: int) -> tuple[int, float, int]:
    best, queries, status = float("inf"), 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - t0
        best, queries, status = min(best, elapsed), len(ctx.captured_queries), response.status_code
    return queries, best * 1000, status


def main() -> None:
    args = parse_args()
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    log(f"数据库: {connection.vendor} {name}")
    try:
        from django.test import Client

        from shequ.accounts import demo as base_demo
        from shequ.cases import demo, services
        from shequ.cases.models import Case
        from shequ.cases.selectors import count_cases_by_org
        from shequ.orgs.models import OrgKind

        t0 = time.perf_counter()
        ctx = base_demo.build(year=args.year, streets=args.streets, communities=args.communities)
        communities = [o for o in ctx.orgs.values() if o.kind == OrgKind.COMMUNITY]
        log(f"组织: {len(ctx.orgs)} 个(社区/村 {len(communities)} 个),用时 {time.perf_counter() - t0:.1f} 秒")
        t0 = time.perf_counter()
        added = demo.grow(ctx, args.cases)
        total = Case.objects.count()
        log(f"事项: 新增 {added},共 {total},用时 {time.perf_counter() - t0:.1f} 秒")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        t0 = time.perf_counter()
        swept = services.supervision_sweep()
        sweep_s = time.perf_counter() - t0
        log(f"督办扫描: 检查 {swept['checked']},升级 {swept['raised']},用时 {sweep_s:.2f} 秒")
        t0 = time.perf_counter()
        counts = count_cases_by_org(org_ids=[c.pk for c in communities], year=ctx.year, type_codes=["accident"])
        ms = (time.perf_counter() - t0) * 1000
        log(f"count_cases_by_org({len(communities)} 个社区): {sum(counts.values())} 件,{ms:.0f} ms")

        client = Client()
        client.force_login(ctx.users["admin"], backend="shequ.accounts.backends.UsernameOrPhoneBackend")
        client.get("/")  # warm the session and caches
        results = {}
        for label, url in [
            ("dashboard", "/cases/dashboard/"),
            ("screening", f"/cases/screening/?year={ctx.year}&month=6"),
            ("inbox", "/cases/"),
            ("overdue", "/cases/?box=overdue"),
            ("street_dashboard", f"/cases/dashboard/?org={ctx.orgs['street1'].pk}"),
        ]:
            q, ms, status = timed(client, url, args.repeat)
            results[label] = (q, ms)
            log(f"{label:<17} {url:<45} 状态 {status}  查询 {q:>3} 次  {ms:>8.1f} ms")
        log(
            f"RESULT cases={total} communities={len(communities)} "
            + " ".join(f"{k}_queries={q} {k}_ms={ms:.0f}" for k, (q, ms) in results.items())
            + f" sweep_s={sweep_s:.2f}"
        )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
