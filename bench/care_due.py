"""Benchmark: the 本月未走访 list of a street with many people under care.

Builds, in a throw-away test database (PostgreSQL through DATABASE_URL when set, otherwise SQLite), the demo
district's tree and accounts, then ``--people`` residents under care spread over the first street's communities
and grids (four in five disabled, the rest special groups with risk levels), with helper pairs for one in three
and a year of visits (about one month in eight missed). Logged in as the street's leader (孙主任), it times the
lists (best of ``--repeat``) and counts their queries, then times the tally of visits due (``care.tally``) and the
completion page that reads it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_care python bench/care_due.py --people 20000

The last line is machine-readable: ``RESULT people=<n> due_queries=<q> due_ms=<t> ...``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--people", type=int, default=20_000)
    p.add_argument("--communities", type=int, default=10, help="communities per street")
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
            elapsed = time.perf_counter() - t0
        best, queries, status = min(best, elapsed), len(ctx.captured_queries), response.status_code
    return queries, best * 1000, status


def build(ctx, people: int, today: date) -> int:
    """The people under care, their pairs and a year of visits, in bulk; returns the number of visits."""
    from shequ.care.models import HelperKind, HelperPair
    from shequ.orgs.models import Org, OrgKind
    from shequ.records import tallies
    from shequ.records.models import ActivityType, Record
    from shequ.residents.models import DisabilityProfile, Person, SpecialGroupProfile

    street = ctx.orgs["street1"]
    communities = list(Org.objects.filter(parent=street, kind=OrgKind.COMMUNITY).order_by("pk"))
    grids = {c.pk: list(Org.objects.filter(parent=c, kind=OrgKind.GRID)) for c in communities}
    rng = random.Random(7)
    persons = []
    for i in range(people):
        org = communities[i % len(communities)]
        grid = rng.choice(grids[org.pk]) if grids[org.pk] else None
        persons.append(Person(org=org, grid=grid, name=f"帮扶对象{i}", name_pinyin=f"bangfu{i:06d}",
                              gender="MF"[i % 2], birth_date=date(1950 + i % 50, 1 + i % 12, 1),
                              address=f"幸福家园{i % 90}栋"))  # fmt: skip
    Person.objects.bulk_create(persons, batch_size=5000)
    since = today.replace(year=today.year - 1)
    dis = [
        DisabilityProfile(person=p, category=str(1 + i % 7), grade=str(1 + i % 4))
        for i, p in enumerate(persons)
        if i % 5
    ]
    DisabilityProfile.objects.bulk_create(dis, batch_size=5000)
    DisabilityProfile.objects.update(created_at=datetime.combine(since, datetime.min.time(), tzinfo=UTC))
    kinds = ["correction", "released", "drug", "mental", "youth"]
    sp = [SpecialGroupProfile(person=p, kind=kinds[i % 5], risk_level=i % 6, period_start=since)
          for i, p in enumerate(persons) if not i % 5]  # fmt: skip
    SpecialGroupProfile.objects.bulk_create(sp, batch_size=5000)
    helper = ctx.users["a_worker"]
    pairs = [HelperPair(org=p.org, area=ctx.areas["disability" if i % 5 else "safety"], person=p,
                        category="disability" if i % 5 else kinds[i % 5], helper=helper, helper_kind=HelperKind.STAFF,
                        started_on=date(today.year, 1, 1)) for i, p in enumerate(persons) if i % 3 == 0]  # fmt: skip
    HelperPair.objects.bulk_create(pairs, batch_size=5000)
    dis_type = ActivityType.objects.get(area__code="disability", code="helper_visit")
    sp_type = ActivityType.objects.get(area__code="safety", code="special_group")
    records, links = [], []
    for i, p in enumerate(persons):
        t = dis_type if i % 5 else sp_type
        for month in range(1, today.month + 1):
            if rng.random() < 0.125:
                continue
            day = date(today.year, month, 1) + timedelta(days=rng.randint(0, 27))
            if day > today:
                continue
            records.append(Record(org=p.org, area_id=t.area_id, activity_type=t, date=day, year=day.year,
                                  title=f"{t.name}：{p.name}", participant_count=1, content="走访",
                                  created_by=helper))  # fmt: skip
            links.append(p.pk)
    Record.objects.bulk_create(records, batch_size=5000)
    through = Record.persons.through
    through.objects.bulk_create([through(record_id=r.pk, person_id=pid) for r, pid in zip(records, links, strict=True)],
                                batch_size=10000)  # fmt: skip
    tallies.rebuild(today.year)
    return len(records)


def main() -> None:
    args = parse_args()
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from bench import district

    name = district.open_database("care_due", keepdb=args.keepdb)
    log(f"数据库: {connection.vendor} {name}")
    try:
        from django.test import Client
        from django.utils import timezone

        from shequ.accounts import demo as base_demo

        today = timezone.localdate()
        t0 = time.perf_counter()
        ctx = base_demo.build(year=today.year, streets=1, communities=args.communities)
        visits = build(ctx, args.people, today)
        log(f"帮扶对象 {args.people} 人，走访记录 {visits} 条，用时 {time.perf_counter() - t0:.1f} 秒")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        client = Client()
        client.force_login(ctx.users["street_leader"], backend="shequ.accounts.backends.UsernameOrPhoneBackend")
        client.get("/")
        results = {}
        grid = ctx.orgs.get("gridA1")
        for label, url in [
            ("due", "/care/"),
            ("soon", "/care/?show=soon"),
            ("due_grid", f"/care/?grid={grid.pk}" if grid else "/care/"),
            ("due_page9", "/care/?page=9"),
            ("workbench", "/"),
        ]:
            q, ms, status = timed(client, url, args.repeat)
            results[label] = (q, ms)
            log(f"{label:<10} {url:<24} 状态 {status}  查询 {q:>3} 次  {ms:>8.1f} ms")
        from shequ.care import lists, selectors, tally

        # The list worked out as before (every person's standing in Python, then paged) beside the database's page.
        actor = ctx.users["street_leader"]
        mine = selectors.care_persons
        for label, fn in [
            ("list_python", lambda: selectors.due(selectors.subjects(actor, mine(actor, today), today), today)[:50]),
            ("list_db", lambda: list(lists.listing(actor, mine(actor, today), today, show="due", category="",
                                                   page="1").page.object_list)),
        ]:  # fmt: skip
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                fn()
                best = min(best, time.perf_counter() - t0)
            results[label] = (0, best * 1000)
            log(f"{label:<10} {'(selectors)':<24} {best * 1000:>8.1f} ms")

        t0 = time.perf_counter()
        due_rows = tally.rebuild(today.year, today)
        tally_s = time.perf_counter() - t0
        log(f"应访统计: {due_rows} 行，用时 {tally_s:.1f} 秒")
        q, ms, status = timed(client, "/care/completion/", args.repeat)
        results["completion"] = (q, ms)
        log(f"{'completion':<10} {'/care/completion/':<24} 状态 {status}  查询 {q:>3} 次  {ms:>8.1f} ms")
        log(
            f"RESULT people={args.people} visits={visits} "
            + " ".join(f"{k}_queries={q} {k}_ms={ms:.0f}" for k, (q, ms) in results.items())
            + f" tally_rows={due_rows} tally_s={tally_s:.1f}"
        )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
