"""Benchmark: would declarative partitioning of the records table by year help? (PostgreSQL only.)

Copies the bench district's records (``bench/district.py``'s database, built by ``bench/pages.py``) into two
scratch tables of the same columns and the same indexes, every other record moved one year back so that the
table holds two years: ``flat`` (one table, as Shequ keeps it) and ``parted`` (``PARTITION BY LIST (year)``, one
partition a year, its primary key ``(id, year)`` as PostgreSQL requires). Then times, on both, the year-scoped
reads the pages make and the removal of a year:

1. a community's records list of the year (the page's query: its orgs, the year, newest first, 50 rows);
2. a street's count of the year's records;
3. the district's compliance aggregate of the year (by org, type, month and half month);
4. a community's records list over all years (no year in the query: every partition is read);
5. one record by id (the detail page: no year, every partition's index is probed);
6. removing the older year: ``DELETE`` on ``flat``, ``DETACH PARTITION`` on ``parted`` (each rolled back).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/partitions.py

Last line: ``RESULT rows=<n> year_list=<parted ÷ flat> year_count=<…> year_aggregate=<…> all_years_list=<…>
by_id=<…> drop_year=<…>`` (below 1: partitioning is faster). The scratch schema is dropped at the end.
"""

from __future__ import annotations

import argparse
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

from bench import district  # noqa: E402

SCHEMA = "bench_partition"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--label", default="full", help="the district database's label (full, 0_01)")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--keep", action="store_true", help="keep the scratch tables for another run")
    return p.parse_args()


def sql(statement: str, params=None) -> float:
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(statement, params)
    return time.perf_counter() - t0


def fetch(statement: str, params=None) -> list:
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def build(year: int) -> dict[str, float]:
    """The two scratch tables, filled and indexed; seconds each."""
    columns = [r[0] for r in fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = "
        "'records_record' ORDER BY ordinal_position"
    )]  # fmt: skip
    moved = ", ".join(
        {"year": "year - 1", "date": "(date - interval '1 year')::date"}.get(c, f'"{c}"') for c in columns
    )
    plain = ", ".join(f'"{c}"' for c in columns)
    indexes = [r[0] for r in fetch("SELECT indexdef FROM pg_indexes WHERE tablename = 'records_record'")]
    sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    sql(f"CREATE SCHEMA {SCHEMA}")
    took = {}
    for table in ("flat", "parted"):
        t0 = time.perf_counter()
        target = f"{SCHEMA}.{table}"
        if table == "flat":
            sql(f"CREATE TABLE {target} (LIKE public.records_record INCLUDING DEFAULTS)")
        else:
            sql(f"CREATE TABLE {target} (LIKE public.records_record INCLUDING DEFAULTS) PARTITION BY LIST (year)")
            for y in (year - 1, year):
                sql(f"CREATE TABLE {target}_{y} PARTITION OF {target} FOR VALUES IN ({y})")
        sql(f"INSERT INTO {target} ({plain}) SELECT {plain} FROM public.records_record WHERE year = %s AND id %% 2 = 0",
            [year])  # fmt: skip
        sql(f"INSERT INTO {target} ({plain}) SELECT {moved} FROM public.records_record WHERE year = %s AND id %% 2 = 1",
            [year])  # fmt: skip
        for definition in indexes:
            if "records_record_pkey" in definition:
                key = "(id)" if table == "flat" else "(id, year)"  # a partitioned table's key holds the year
                sql(f"ALTER TABLE {target} ADD PRIMARY KEY {key}")
                continue
            name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            sql(definition.replace(f"INDEX {name} ON public.records_record", f"INDEX {table}_{name} ON {target}"))
        sql(f"ANALYZE {target}")
        took[table] = time.perf_counter() - t0
        district.log(f"  {table}: {took[table]:.0f} 秒")
    return took


def timed(statement: str, params, repeat: int) -> float:
    """Median milliseconds of ``repeat`` runs after one warm-up (rows fetched)."""
    fetch(statement, params)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fetch(statement, params)
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def removal(table: str, year: int) -> float:
    """Milliseconds to remove the older year, rolled back."""
    target = f"{SCHEMA}.{table}"
    with connection.cursor() as cur:
        cur.execute("BEGIN")
        t0 = time.perf_counter()
        if table == "flat":
            cur.execute(f"DELETE FROM {target} WHERE year = %s", [year - 1])
        else:
            cur.execute(f"ALTER TABLE {target} DETACH PARTITION {target}_{year - 1}")
        took = (time.perf_counter() - t0) * 1000
        cur.execute("ROLLBACK")
    return took


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/partitions.py 需要 PostgreSQL（DATABASE_URL）。")
    connection.settings_dict["NAME"] = f"test_shequ_pages_{args.label}"
    connection.close()
    year = fetch("SELECT max(year) FROM records_record")[0][0]
    rows = fetch("SELECT count(*) FROM records_record WHERE year = %s", [year])[0][0]
    district.log(f"数据库 test_shequ_pages_{args.label}：{rows:,} 条记录，{year - 1}–{year} 两年各一半")
    connection.set_autocommit(True)
    try:
        built = build(year)
        # communityA's subtree (the busiest community of the bench), its street's, the district's orgs
        a = fetch("SELECT path FROM orgs_org WHERE name = '幸福社区' ORDER BY id LIMIT 1")[0][0]
        street = a[: a.rstrip("/").rfind("/") + 1]
        ids_a = [r[0] for r in fetch("SELECT id FROM orgs_org WHERE path LIKE %s", [a + "%"])]
        ids_street = [r[0] for r in fetch("SELECT id FROM orgs_org WHERE path LIKE %s", [street + "%"])]
        one = fetch(f"SELECT id FROM {SCHEMA}.flat WHERE year = %s ORDER BY id LIMIT 1 OFFSET 1000", [year])[0][0]
        queries = {
            "year_list": ("SELECT id, date, title FROM {t} WHERE org_id = ANY(%s) AND year = %s "
                          "ORDER BY date DESC, id DESC LIMIT 50", [ids_a, year]),
            "year_count": ("SELECT count(*) FROM {t} WHERE org_id = ANY(%s) AND year = %s", [ids_street, year]),
            "year_aggregate": ("SELECT org_id, activity_type_id, extract(month FROM date), "
                               "CASE WHEN extract(day FROM date) > 15 THEN 1 ELSE 0 END, count(*) FROM {t} "
                               "WHERE year = %s GROUP BY 1, 2, 3, 4", [year]),
            "all_years_list": ("SELECT id, date, title FROM {t} WHERE org_id = ANY(%s) "
                               "ORDER BY date DESC, id DESC LIMIT 50", [ids_a]),
            "by_id": ("SELECT * FROM {t} WHERE id = %s", [one]),
        }  # fmt: skip
        figures: dict[str, dict[str, float]] = {}
        for label, (statement, params) in queries.items():
            figures[label] = {
                t: timed(statement.format(t=f"{SCHEMA}.{t}"), params, args.repeat) for t in ("flat", "parted")
            }
        figures["drop_year"] = {t: removal(t, year) for t in ("flat", "parted")}
        district.log(f"建表（复制、建索引、ANALYZE）: flat {built['flat']:.0f} 秒，parted {built['parted']:.0f} 秒")
        district.log(f"{'查询':<16}{'flat ms':>12}{'parted ms':>12}{'parted÷flat':>14}")
        for label, f in figures.items():
            district.log(f"{label:<16}{f['flat']:>12.1f}{f['parted']:>12.1f}{f['parted'] / f['flat']:>14.2f}")
        ratios = " ".join(f"{label}={f['parted'] / f['flat']:.2f}" for label, f in figures.items())
        print(f"RESULT rows={rows} {ratios}")
    finally:
        if not args.keep:
            sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


if __name__ == "__main__":
    main()
