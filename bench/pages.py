"""Benchmark: every list, search, detail and dashboard page, as the persona who uses it, at district scale.

Builds (or with ``--keepdb`` reuses) the bench district (``bench/district.py``: 10 streets × 20 communities, by
default 1,000,000 residents, 10,000,000 records and 200,000 cases; ``--scale 0.01`` for 1 %) in its own database
(``test_shequ_pages_<label>``; PostgreSQL through DATABASE_URL, else SQLite), then for each page logs in as its
persona, warms it up once and times ``--repeat`` requests (default 10): median and slowest total time, and the
time its SQL took. The slowest query of each page is explained (``EXPLAIN ANALYZE`` on PostgreSQL) into
``bench/results/pages-<label>-explain.txt``; the figures go to ``bench/results/pages-<label>.json``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench python bench/pages.py --scale 0.01 --keepdb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench python bench/pages.py --keepdb

Last line: ``RESULT pages=<n> worst_ratio=<largest median at full size ÷ median at 1 %> worst_ms=<largest median
at full size>`` (the ratio once both sizes have run; each run reads the other's json). Targets: worst_ratio ≤ 1.5,
worst_ms ≤ 300.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench import district  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="share of the full size (0.01 for 1 %%)")
    p.add_argument("--residents", type=int, default=None, help="residents at this run (overrides the scale)")
    p.add_argument("--records", type=int, default=None, help="records at this run (overrides the scale)")
    p.add_argument("--cases", type=int, default=None, help="cases at this run (overrides the scale)")
    p.add_argument("--streets", type=int, default=10)
    p.add_argument("--communities", type=int, default=20, help="communities per street")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--only", default="", help="comma-separated page labels")
    p.add_argument("--keepdb", action="store_true")
    p.add_argument("--no-build", action="store_true", help="time the kept database as it stands (with --keepdb)")
    return p.parse_args()


def pages(ctx) -> list[tuple[str, str, str]]:
    """(label, persona, url) of every page timed: who uses it, where."""
    from shequ.cases.models import Case
    from shequ.plans.models import Plan, Task
    from shequ.records.models import Record
    from shequ.residents.models import Household, Person

    a = ctx.orgs["communityA"]
    person = Person.objects.filter(org=a, household__isnull=False).order_by("pk").first()
    household = Household.objects.filter(org=a).order_by("pk").first()
    record = Record.objects.filter(org=a, area__code="health").order_by("-pk").first()
    case = Case.objects.filter(org=a).order_by("-pk").first()
    plan = Plan.objects.filter(org=a).order_by("pk").first()
    task = Task.objects.filter(org=a).order_by("pk").first()
    initials = (person.name_initials or "w")[:2] if person else "w"
    surname = person.name[:1] if person else "王"
    street = ctx.orgs["street1"]
    out = [
        ("home_worker", "a_worker", "/"),
        ("home_street", "street_leader", "/"),
        ("home_district", "admin", "/"),
        ("residents_list", "a_worker", "/residents/"),
        ("residents_grid", "a_grid", "/residents/"),
        ("residents_street", "street_leader", "/residents/"),
        ("residents_district", "admin", "/residents/"),
        ("residents_initials", "a_worker", f"/residents/?q={initials}"),
        ("residents_name", "a_worker", f"/residents/?q={surname}"),
        ("residents_district_initials", "admin", f"/residents/?q={initials}"),
        ("residents_disability", "a_worker", "/residents/?profile=disability"),
        ("residents_floating", "a_safety", "/residents/?profile=floating"),
        ("person_pick", "a_worker", f"/residents/pick/?q={initials}&field=persons&multi=1"),
        ("households", "a_worker", "/residents/households/"),
        ("moves", "a_worker", "/residents/moves/"),
        ("records_list", "a_worker", "/records/"),
        ("records_street", "street_leader", "/records/"),
        ("records_district", "admin", "/records/"),
        ("records_search", "a_worker", "/records/?q=讲座"),
        ("cases_inbox", "a_worker", "/cases/"),
        ("cases_street_inbox", "street_leader", "/cases/?box=all"),
        ("cases_dashboard_street", "street_leader", f"/cases/dashboard/?org={street.pk}"),
        ("cases_dashboard_district", "admin", "/cases/dashboard/"),
        ("cases_screening", "street_leader", f"/cases/screening/?year={ctx.year}"),
        ("plans_list", "a_worker", "/plans/"),
        ("tasks_list", "a_worker", "/plans/tasks/"),
        ("plans_overview", "street_leader", f"/plans/overview/?org={street.pk}&year={ctx.year}"),
        ("users", "admin", "/accounts/users/"),
        ("audit_log", "admin", "/audit/"),
    ]
    if person:
        out.append(("person_detail", "a_worker", f"/residents/{person.pk}/"))
    if household:
        out.append(("household_detail", "a_worker", f"/residents/households/{household.pk}/"))
    if record:
        out.append(("record_detail", "a_worker", f"/records/{record.pk}/"))
    if case:
        out.append(("case_detail", "a_leader", f"/cases/{case.pk}/"))
    if plan:
        out.append(("plan_detail", "a_leader", f"/plans/{plan.pk}/"))
    if task:
        out.append(("task_detail", "a_worker", f"/plans/tasks/{task.pk}/"))
    return out


def explain(sql: str) -> str:
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(" ".join(str(c) for c in row) for row in cur.fetchall())
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cur.fetchall())


def time_page(client, url: str, repeat: int) -> dict:
    response = client.get(url)  # warm-up
    totals, sqls, slowest = [], [], (0.0, "")
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            total = (time.perf_counter() - t0) * 1000
        totals.append(total)
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        for q in ctx.captured_queries:
            if float(q["time"]) * 1000 > slowest[0] and q["sql"].lstrip().upper().startswith("SELECT"):
                slowest = (float(q["time"]) * 1000, q["sql"])
        queries = len(ctx.captured_queries)
    return {
        "status": response.status_code,
        "queries": queries,
        "median_ms": statistics.median(totals),
        "max_ms": max(totals),
        "sql_median_ms": statistics.median(sqls),
        "slowest_query_ms": slowest[0],
        "slowest_sql": slowest[1],
    }


def main() -> None:
    args = parse_args()
    setup_test_environment()
    from django.conf import settings
    from django.test import Client

    from shequ.testing.factories import log_in

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    size = district.Size(streets=args.streets, communities=args.communities).scaled(args.scale)
    size = district.Size(
        streets=size.streets,
        communities=size.communities,
        residents=args.residents or size.residents,
        records=args.records or size.records,
        cases=args.cases or size.cases,
    )
    label = district.label_of(args.scale)
    t0 = time.perf_counter()
    ctx = district.open_district(label, size, keepdb=args.keepdb, no_build=args.no_build)
    district.log(f"建库用时 {time.perf_counter() - t0:.0f} 秒")
    counts = {}
    with connection.cursor() as cur:
        for table in ("residents_person", "records_record", "cases_case", "orgs_org"):
            cur.execute(f"SELECT count(*) FROM {table}")  # our table names  # nosec B608
            counts[table] = cur.fetchone()[0]
    district.log("行数: " + "，".join(f"{k} {v:,}" for k, v in counts.items()))

    only = {s for s in args.only.split(",") if s}
    clients: dict[str, Client] = {}
    results: dict[str, dict] = {}
    explains: list[str] = []
    head = ("页面", "身份", "状态", "查询", "中位ms", "最慢ms", "SQLms", "最慢查询ms")
    district.log(f"{head[0]:<28} {head[1]:<14} " + " ".join(f"{h:>8}" for h in head[2:]))
    for page, persona, url in pages(ctx):
        if only and page not in only:
            continue
        if persona not in clients:
            clients[persona] = Client()
            log_in(clients[persona], ctx.users[persona])
        r = time_page(clients[persona], url, args.repeat)
        r.update(persona=persona, url=url)
        results[page] = r
        district.log(
            f"{page:<28} {persona:<14} {r['status']:>4} {r['queries']:>4} {r['median_ms']:>8.1f} {r['max_ms']:>8.1f} "
            f"{r['sql_median_ms']:>8.1f} {r['slowest_query_ms']:>10.1f}"
        )
        if r["slowest_sql"]:
            explains.append(f"## {page} ({persona} {url}): {r['slowest_query_ms']:.1f} ms\n{r['slowest_sql']}\n")
            try:
                explains.append(explain(r["slowest_sql"]) + "\n")
            except Exception as exc:  # noqa: BLE001 - an explain that fails is noted, not fatal
                explains.append(f"(EXPLAIN failed: {exc})\n")
    RESULTS.mkdir(exist_ok=True)
    stem = f"pages-{connection.vendor}-{label}"
    (RESULTS / f"{stem}.json").write_text(
        json.dumps({"size": size.__dict__, "counts": counts, "pages": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    (RESULTS / f"{stem}-explain.txt").write_text("\n".join(explains), encoding="utf-8")
    full_file = RESULTS / f"pages-{connection.vendor}-full.json"
    small_file = RESULTS / f"pages-{connection.vendor}-0_01.json"
    worst_ratio = "n/a"
    full = json.loads(full_file.read_text(encoding="utf-8"))["pages"] if full_file.exists() else results
    if full_file.exists() and small_file.exists():
        small = json.loads(small_file.read_text(encoding="utf-8"))["pages"]
        ratios = {p: full[p]["median_ms"] / small[p]["median_ms"] for p in full if p in small and small[p]["median_ms"]}
        if ratios:
            worst = max(ratios, key=ratios.get)
            worst_ratio = f"{ratios[worst]:.2f}"
            district.log(f"最大倍数: {worst} {ratios[worst]:.2f}")
    worst_page = max(full, key=lambda p: full[p]["median_ms"])
    district.log(f"最慢页面: {worst_page} {full[worst_page]['median_ms']:.1f} ms")
    print(f"RESULT pages={len(results)} worst_ratio={worst_ratio} worst_ms={full[worst_page]['median_ms']:.0f}")


if __name__ == "__main__":
    main()
