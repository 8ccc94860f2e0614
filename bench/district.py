"""The bench district, shared by the benchmarks that need a realistic one (``pages.py``, the load bench).

The demo district (``manage.py demo``: the tree, an account for every role, a believable year of every line of
work) grown to ``streets`` × ``communities`` communities, ``residents`` residents (the demo's own bulk grower:
valid, hashed and encrypted ID numbers, households, profiles), ``cases`` bulk cases of the year (the demo's
``--cases``) and ``records`` work records of the year, the last written here with COPY (PostgreSQL) in chunks,
spread over the communities and their grids, every activity type and the days of the year so far.

Every step only adds what is missing, so a database kept with ``--keepdb`` is reused as it stands.

    from bench import district
    name = district.open_database("pages_full", keepdb=True)   # test_shequ_pages_full on PostgreSQL
    ctx = district.build(district.Size.full())
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

CHUNK = 200_000


@dataclass(frozen=True)
class Size:
    streets: int = 10
    communities: int = 20  # per street
    residents: int = 1_000_000
    records: int = 10_000_000
    cases: int = 200_000

    @classmethod
    def full(cls, **kw) -> Size:
        return cls(**kw)

    def scaled(self, factor: float) -> Size:
        """The same tree with ``factor`` of the rows (the demo's own rows stay whole)."""
        return Size(
            streets=self.streets,
            communities=self.communities,
            residents=max(int(self.residents * factor), 1),
            records=max(int(self.records * factor), 1),
            cases=max(int(self.cases * factor), 1),
        )

    def label(self) -> str:
        return (
            f"{self.streets} 个街道 × {self.communities} 个社区，居民 {self.residents:,}，"
            f"记录 {self.records:,}，事项 {self.cases:,}"
        )


def log(msg: str) -> None:
    print(msg, flush=True)


def open_database(name: str, *, keepdb: bool) -> str:
    """Create (or with ``keepdb`` reuse) the database ``test_shequ_<name>`` and point the connection at it."""
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"test_shequ_{name}"
    # serialize=False: the test runner's copy of the database as a string (for TransactionTestCase) would hold a
    # kept district's ten million records in memory.
    return connection.creation.create_test_db(verbosity=0, autoclobber=not keepdb, keepdb=keepdb, serialize=False)


def label_of(scale: float) -> str:
    """The name of a size in database and result file names: "full", "0_01" …"""
    return "full" if scale >= 1 else f"{scale:g}".replace(".", "_")


def open_district(label: str, size: Size, *, keepdb: bool, no_build: bool):
    """Open the bench district's database ``test_shequ_pages_<label>`` and build what is missing (or, with
    ``no_build``, take it as it stands, statistics and kept figures refreshed); returns the demo context."""
    name = open_database(f"pages_{label}", keepdb=keepdb)
    log(f"数据库: {connection.vendor} {name}；规模: {size.label()}")
    if not no_build:
        return build(size)
    ctx = context(size)
    analyze()
    refresh_standings(ctx.year)
    return ctx


def build(size: Size, *, year: int | None = None):
    """Build (or complete) the district; returns the demo context (orgs and users by key)."""
    from shequ.accounts import demo as base_demo
    from shequ.core.registry import demo_steps

    options = {
        "year": year,
        "quiet": True,
        "verbosity": 0,
        "streets": size.streets,
        "communities": size.communities,
        "residents": size.residents,
        "records_one_year": True,
        "cases": size.cases,
    }
    ctx = base_demo.DemoContext(year=year or date.today().year, options=options)
    for step in demo_steps():
        t0 = time.perf_counter()
        step.run(ctx, options)
        log(f"  演示步骤 {getattr(step.run, '__module__', step.run)}: {time.perf_counter() - t0:.1f} 秒")
    t0 = time.perf_counter()
    added = grow_records(ctx, size.records)
    if added:
        from shequ.records import tallies

        tallies.rebuild(ctx.year)
    log(f"  工作记录: 新增 {added:,} 条（含月度记录数）, {time.perf_counter() - t0:.1f} 秒")
    analyze()
    refresh_standings(ctx.year)
    return ctx


def refresh_standings(year: int) -> None:
    """What the scheduler's ``manage.py plans_standings`` does every few minutes: every target's state kept, then
    the figures other apps keep (care's 本月未走访 per community)."""
    from shequ.plans.compliance import standings

    t0 = time.perf_counter()
    n = standings.refresh(year)
    log(f"  指标状态（plans_standings）: {n:,} 项, {time.perf_counter() - t0:.1f} 秒")
    t0 = time.perf_counter()
    kept = standings.refresh_kept()
    log(f"  其他保存的数据: {kept}, {time.perf_counter() - t0:.1f} 秒")


def context(size: Size, *, year: int | None = None):
    """The demo context (orgs and users by key) of a district built before, without adding anything."""
    from shequ.accounts import demo as base_demo

    return base_demo.build(year=year, streets=size.streets, communities=size.communities)


def grow_records(ctx, target: int) -> int:
    """Add records of the demo year (COPY on PostgreSQL) until the year holds ``target``; returns how many."""
    from shequ.orgs.models import OrgKind
    from shequ.records.models import ActivityType, Record
    from shequ.residents.bulk import PlainRows, insert_tuples

    have = Record.objects.filter(year=ctx.year).count()
    missing = target - have
    if missing <= 0:
        return 0
    orgs = [o.pk for o in ctx.orgs.values() if o.kind in (OrgKind.COMMUNITY, OrgKind.GRID) and o.is_active]
    types = list(ActivityType.objects.filter(is_active=True).values_list("pk", "area_id", "name"))
    fields = [f for f in Record._meta.concrete_fields if not f.primary_key]
    plain = PlainRows(fields)
    today = timezone.localdate()
    last = today if ctx.year == today.year else date(ctx.year, 12, 31)
    days = [date(ctx.year, 1, 1) + timedelta(d) for d in range((last - date(ctx.year, 1, 1)).days + 1)]
    adapted_days = [connection.ops.adapt_datefield_value(d) for d in days]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    extra = json.dumps({})
    idx = {name: plain.index[name] for name in plain.names}
    template = list(plain.ready({}, when, extra=extra, year=ctx.year))
    rng = random.Random(have)
    done = 0
    while done < missing:
        n = min(CHUNK, missing - done)
        rows = []
        for i in range(n):
            t_pk, area_id, t_name = types[int(rng.random() * len(types))]
            row = template[:]
            row[idx["org_id"]] = orgs[int(rng.random() * len(orgs))]
            row[idx["area_id"]] = area_id
            row[idx["activity_type_id"]] = t_pk
            row[idx["date"]] = adapted_days[int(rng.random() * len(days))]
            row[idx["title"]] = f"{t_name}（第{have + done + i + 1}次）"
            row[idx["participant_count"]] = int(rng.random() * 60)
            rows.append(tuple(row))
        with transaction.atomic():
            insert_tuples(Record, fields, rows)
        done += n
        log(f"    记录 {have + done:,} / {target:,}")
    return done


def analyze() -> None:
    """Fresh planner statistics after the bulk load, and on PostgreSQL the tables' visibility maps set, as
    autovacuum would in production: without them an index-only scan (the records' title search, the open cases'
    box counts) reads every row's table page as well. Autovacuum may be off where the bench runs. Then a checkpoint:
    timed under the writes of the one that follows a large VACUUM, every page is 20-30 % slower."""
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            cur.execute("CHECKPOINT")
