"""Benchmark: import N generated residents from one file, side by side, each contender in its own process.

1. Shequ's import (``shequ.residents.imports``): the file read as a stream (python-calamine for xlsx, the csv
   module for csv), every row checked (GB 11643 check digit, dates, phones, relations, addresses), ID numbers
   hashed and encrypted in batches, households created, persons written with COPY (PostgreSQL) or plain inserts
   (SQLite), all in one transaction.
2. django-import-export at its best documented tuning: a ModelResource with ``use_bulk``, ``skip_diff``,
   ``CachedInstanceLoader`` and ``batch_size``, keyed by the ID column so that it is idempotent like Shequ's.
   With ``--ie-default-rows N`` also its default configuration, on the first N rows.
3. The floor: python-calamine read of the same file → the same write Shequ makes (``shequ.residents.bulk.
   BackgroundInserts``: per batch the new households, then the persons; on PostgreSQL each batch's COPY on a worker
   thread while the next batch is read) of the same rows, the very values Shequ stored (hashes, ciphers, pinyin,
   addresses, households and their heads: taken from Shequ's first run and handed to the floor before its clock
   starts), without any check or computation.
4. A second floor, as the benchmark measured before: the same read and write of the file's values as they stand
   (the ID number in the hash column, the phone in the cipher column, no pinyin, no address, no household), which
   puts empty values into six of the persons' indexes and writes no household.

Each contender runs against an empty table, so the peak memory (VmHWM of its process, Django included) is its
own; the contenders take turns for ``--repeat`` rounds and each keeps its fastest run, so that a load on the
machine in one moment does not decide the ratios. Usage::

    .venv/bin/python bench/import_residents.py                 # SQLite, 100,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/import_residents.py
    DATABASE_URL=... .venv/bin/python bench/import_residents.py --csv-rows 1000000   # Shequ alone, a streamed csv

The last line is machine-readable:
``RESULT rows=… vs_import_export_best=<x> vs_floor=<y> peak_mb=<z>`` (x, y: Shequ's rows/s over theirs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DEBUG", "0")  # as in production: no query log
sys.path.insert(0, str(ROOT))
HEADERS = ["姓名", "证件号码", "性别", "出生日期", "联系电话", "户号", "与户主关系", "小区", "楼栋", "单元"]
HEADERS += ["房号", "居住状态", "民族", "职业", "备注"]
STATUS_LABELS = {"huji": "户籍", "changzhu": "常住", "liudong": "流动", "jizhu": "寄住"}
RELATION_LABELS = {"02": "户主", "10": "配偶", "20": "儿子", "30": "女儿"}


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes): the machine is shared, the figures depend on it."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- preparation (parent process) ------------------------------------------------------------


def generated_rows(rows: int):
    from shequ.residents import fake

    n = 0
    for hh in fake.households(seed=2026, start_index=0, count=rows, area_code="110105", prefix="B"):
        for p in hh:
            yield [
                p.name,
                p.id_number,
                "男" if p.gender == "M" else "女",
                p.birth_date.isoformat(),
                p.phone,
                p.household,
                RELATION_LABELS[p.relation],
                p.estate,
                p.building,
                p.unit_no,
                p.room,
                STATUS_LABELS[p.residence_status],
                p.ethnicity,
                p.occupation,
                "",
            ]
            n += 1
            if n == rows:
                return


def write_file(path: Path, rows: int) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(HEADERS)
            out.writerows(generated_rows(rows))
        return
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("居民信息")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    for r, values in enumerate(generated_rows(rows), start=1):
        for c, v in enumerate(values):
            ws.write_string(r, c, v)
    wb.close()


def prepare_database() -> dict:
    """Migrate, then create the org tree and the importing user (a leader of the community)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shequ.accounts.models import Membership, User
    from shequ.accounts.roles import Role
    from shequ.orgs.models import Org, OrgKind, path_for

    def org(name, kind, parent, code):
        o, created = Org.objects.get_or_create(
            division_code=code, defaults={"name": name, "kind": kind, "parent": parent}
        )
        if created:
            o.path = path_for(o.pk, parent)
            o.depth = parent.depth + 1 if parent else 0
            o.save(update_fields=["path", "depth"])
        return o

    district = org("基准区", OrgKind.DISTRICT, None, "110105000000")
    street = org("基准街道", OrgKind.STREET, district, "110105001000")
    community = org("基准社区", OrgKind.COMMUNITY, street, "110105001001")
    user, _ = User.objects.get_or_create(username="bench_leader", defaults={"name": "基准书记"})
    Membership.objects.get_or_create(user=user, org=community, role=Role.LEADER)
    return {"org": community.pk, "user": user.pk}


def clear_tables() -> None:
    """Empty the registry's tables with plain DELETEs (no objects loaded into this process)."""
    from django.db import connection, transaction

    from shequ.residents.models import Household, Person

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE {Household._meta.db_table} SET head_id = NULL")
        cur.execute(f"DELETE FROM {Person._meta.db_table}")
        cur.execute(f"DELETE FROM {Household._meta.db_table}")
    if connection.vendor == "postgresql":
        # every contender starts from tables without dead rows, and autovacuum does not clean up the last one's
        # deletions while the next one runs
        with connection.cursor() as cur:
            cur.execute(f"VACUUM {Person._meta.db_table}, {Household._meta.db_table}")


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"


# --- contenders (each in its own process) ----------------------------------------------------


def run_shequ(file: Path, ids: dict) -> dict:
    from shequ.accounts.models import User
    from shequ.orgs.models import Org
    from shequ.residents.imports import run_import
    from shequ.residents.imports.headers import looks_like_roster
    from shequ.residents.imports.reading import open_table

    user, org = User.objects.get(pk=ids["user"]), Org.objects.get(pk=ids["org"])
    start, cpu = time.perf_counter(), time.process_time()
    with file.open("rb") as fh:
        table = open_table(fh, file.name, prefer=looks_like_roster)
        result = run_import(actor=user, org=org, table=table, commit=True, filename=file.name)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.committed, result.errors[:5]
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": result.added}


def dump_written_rows(path: Path) -> None:
    """The persons and households Shequ's import wrote, as the tuples of its writes (in id order: file order),
    for the floor that writes the same rows."""
    import pickle
    from datetime import date, datetime

    from django.db import connection

    from shequ.residents.bulk import insert_statement, person_columns
    from shequ.residents.models import Household, Person

    ops = connection.ops

    def adapted(value):
        if isinstance(value, datetime):
            return ops.adapt_datetimefield_value(value)
        return ops.adapt_datefield_value(value) if isinstance(value, date) else value

    out = {}
    for model, fields in ((Person, [Person._meta.pk, *person_columns()]), (Household, Household._meta.concrete_fields)):
        cols = ", ".join(ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cur:
            cur.execute(f"SELECT {cols} FROM {model._meta.db_table} ORDER BY id")
            rows = [tuple(adapted(v) for v in row) for row in cur.fetchall()]
        out[model.__name__] = (insert_statement(model, fields), [f.attname for f in fields], rows)
    with path.open("wb") as fh:
        pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)


def run_floor_same_rows(file: Path, ids: dict, dump: Path) -> dict:
    """python-calamine read of the file, then Shequ's write of the rows Shequ wrote: per batch of 2,000 persons the
    households they are the first to name, then the persons (each with its name as read from the file)."""
    import gc
    import pickle

    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from shequ.residents.bulk import BackgroundInserts, person_columns
    from shequ.residents.models import Person

    with dump.open("rb") as fh:
        written = pickle.load(fh)  # noqa: S301 - written by this benchmark's parent a moment ago  # nosec B301
    _person_sql, person_names, persons = written["Person"]  # written with Shequ's own statement below
    household_sql, household_names, households = written["Household"]
    i_pk = household_names.index("id")
    by_pk = {row[i_pk]: row for row in households}
    i_name, i_household = person_names.index("name"), person_names.index("household_id")
    gc.freeze()  # the handed rows are not the floor's work: no collector passes over them
    start = time.perf_counter()
    with CalamineWorkbook.from_path(str(file)) as wb:
        rows = wb.get_sheet_by_index(0).iter_rows()
        name_col = next(rows).index("姓名")
        total, batch, batch_households, written_households = 0, [], [], set()
        with transaction.atomic():
            inserts = BackgroundInserts(Person, [Person._meta.pk, *person_columns()])  # Shequ's statement
            for row, stored in zip(rows, persons, strict=True):
                person = list(stored)
                person[i_name] = row[name_col]
                household = person[i_household]
                if household is not None and household not in written_households:
                    written_households.add(household)
                    batch_households.append(by_pk[household])
                batch.append(tuple(person))
                if len(batch) == 2000:
                    inserts.add(batch, (household_sql, batch_households))
                    total += len(batch)
                    batch, batch_households = [], []
            inserts.add(batch, (household_sql, batch_households))
            total += len(batch)
            inserts.wait()
            inserts.close()
    return {"seconds": time.perf_counter() - start, "rows": total}


def run_floor(file: Path, ids: dict) -> dict:
    """python-calamine read, then the write method Shequ uses, of the file's values as they stand."""
    from datetime import date

    from django.db import transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from shequ.residents.bulk import BackgroundInserts, person_columns, tuples_of
    from shequ.residents.models import Person

    start = time.perf_counter()
    now = timezone.now()
    with CalamineWorkbook.from_path(str(file)) as wb:
        rows = wb.get_sheet_by_index(0).iter_rows()
        col = {h: i for i, h in enumerate(next(rows))}
        columns = person_columns()
        keys = {"姓名": "name", "联系电话": "phone_cipher", "小区": "estate", "楼栋": "building", "单元": "unit_no"}
        keys.update({"房号": "room", "民族": "ethnicity", "职业": "occupation", "备注": "notes"})
        total, batch = 0, []
        with transaction.atomic():
            inserts = BackgroundInserts(Person, columns)  # as Shequ writes its persons
            for row in rows:
                record = {key: row[col[header]] for header, key in keys.items()}
                record.update(
                    org_id=ids["org"],
                    id_hash=row[col["证件号码"]],
                    gender="M" if row[col["性别"]] == "男" else "F",
                    birth_date=date.fromisoformat(row[col["出生日期"]]),
                    created_at=now,
                    updated_at=now,
                )
                batch.append(record)
                if len(batch) == 2000:
                    inserts.add(tuples_of(columns, batch))
                    total += len(batch)
                    batch = []
            inserts.add(tuples_of(columns, batch))
            total += len(batch)
            inserts.wait()
            inserts.close()
    return {"seconds": time.perf_counter() - start, "rows": total}


PERSON_FIELDS = ("name", "id_hash", "birth_date", "phone", "estate", "building", "unit_no", "room", "ethnicity")
PERSON_FIELDS += ("occupation",)


def run_import_export(file: Path, ids: dict, limit: int | None, best: bool) -> dict:
    import tablib
    from import_export import fields, instance_loaders, resources, widgets

    from shequ.residents.models import Person

    tuning = {}
    if best:  # the tuning its documentation gives for bulk imports
        tuning = {
            "use_bulk": True,
            "skip_diff": True,
            "batch_size": 2000,
            "instance_loader_class": instance_loaders.CachedInstanceLoader,
        }
    meta = type(
        "Meta",
        (),
        {
            "model": Person,
            "fields": PERSON_FIELDS,
            "import_id_fields": ("id_hash",),
            **tuning,
        },
    )

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_hash = fields.Field(attribute="id_hash", column_name="证件号码")
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget("%Y-%m-%d"))
        phone = fields.Field(attribute="phone", column_name="联系电话")
        estate = fields.Field(attribute="estate", column_name="小区")
        building = fields.Field(attribute="building", column_name="楼栋")
        unit_no = fields.Field(attribute="unit_no", column_name="单元")
        room = fields.Field(attribute="room", column_name="房号")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        occupation = fields.Field(attribute="occupation", column_name="职业")
        Meta = meta

        def init_instance(self, row=None):
            return Person(org_id=ids["org"])

    start = time.perf_counter()
    dataset = tablib.Dataset().load(file.read_bytes(), format="xlsx")
    if limit and limit < dataset.height:
        del dataset[limit:]
    result = PersonResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    seconds = time.perf_counter() - start
    assert not result.has_errors()
    return {"seconds": seconds, "rows": dataset.height}


def worker(args) -> None:
    setup_django()
    ids = json.loads(args.ids)
    file = Path(args.file)
    if args.worker == "shequ":
        out = run_shequ(file, ids)
    elif args.worker == "floor":
        out = run_floor_same_rows(file, ids, Path(args.dump))
    elif args.worker == "floor_file_values":
        out = run_floor(file, ids)
    elif args.worker == "import_export_best":
        out = run_import_export(file, ids, None, best=True)
    else:
        out = run_import_export(file, ids, args.ie_default_rows, best=False)
    from shequ.residents.models import Person

    out["in_table"] = Person.objects.count()
    out["peak_mb"] = peak_mb()
    print("WORKER " + json.dumps(out))


LABELS = {
    "shequ": "Shequ import (stream, checked, encrypted, households)",
    "import_export_best": "django-import-export, best documented tuning",
    "import_export_default": "django-import-export, default configuration",
    "floor": "floor: calamine read + the same write of the same rows",
    "floor_file_values": "floor of the file's values as they stand",
}


def contend(name: str, file: Path, ids: dict, args) -> dict:
    clear_tables()
    cmd = [sys.executable, __file__, "--worker", name, "--file", str(file), "--ids", json.dumps(ids)]
    cmd += ["--dump", str(file.with_suffix(".written.pickle"))]
    if args.ie_default_rows:
        cmd += ["--ie-default-rows", str(args.ie_default_rows)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), check=False)  # noqa: S603
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WORKER ")), None)
    if proc.returncode or line is None:
        print(proc.stdout[-2000:], proc.stderr[-4000:])
        raise SystemExit(f"{name} failed")
    result = json.loads(line.removeprefix("WORKER "))
    print(f"  {name}: {result}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=0, help="import a csv of this many rows with Shequ alone")
    parser.add_argument("--ie-default-rows", type=int, default=0, help="also django-import-export's default, on N rows")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each contender's fastest counts")
    parser.add_argument("--worker", choices=sorted(LABELS))
    parser.add_argument("--file")
    parser.add_argument("--ids")
    parser.add_argument("--dump")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    print(f"load average at start: {load()} ({os.cpu_count()} cores)", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="shequ-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    setup_django()
    ids = prepare_database()
    db = database_label()
    if args.csv_rows:
        file = tmp / f"residents-{args.csv_rows}.csv"
        t0 = time.perf_counter()
        write_file(file, args.csv_rows)
        print(f"generated {file.name} ({file.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s")
        r = contend("shequ", file, ids, args)
        clear_tables()
        print(f"Import of {args.csv_rows:,} residents from one csv file (streamed) — database: {db}")
        rate = r["rows"] / r["seconds"]
        print(f"{r['rows']:,} rows in {r['seconds']:.0f} s ({rate:,.0f} rows/s), peak {r['peak_mb']:.0f} MB")
        # the import process's own CPU time: on a shared machine the wall time says more about the others
        print(f"load average at end: {load()}")
        per_row = r["cpu_seconds"] / r["rows"] * 1e6
        print(f"CPU time of the import process: {r['cpu_seconds']:.1f} s ({per_row:.0f} µs a row)")
        print(
            f"RESULT csv_rows={args.csv_rows} seconds={r['seconds']:.0f} cpu_seconds={r['cpu_seconds']:.1f} "
            f"peak_mb={r['peak_mb']:.0f}"
        )
        return

    file = tmp / f"residents-{args.rows}.xlsx"
    t0 = time.perf_counter()
    write_file(file, args.rows)
    print(f"generated {file.name} ({file.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    names = ["shequ", "import_export_best", "floor", "floor_file_values"]
    names += ["import_export_default"] if args.ie_default_rows else []
    results: dict[str, dict] = {}
    for _round in range(args.repeat):  # interleaved rounds; each contender keeps its fastest
        for name in names:
            r = contend(name, file, ids, args)
            if name == "shequ" and _round == 0:
                dump_written_rows(file.with_suffix(".written.pickle"))  # what the floor writes
            if name not in results or r["seconds"] < results[name]["seconds"]:
                results[name] = r
    clear_tables()

    print()
    print(f"Import of {args.rows:,} generated residents from one xlsx file, best of {args.repeat} — database: {db}")
    print(f"{'contender':<56}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
    speed = {}
    for name, r in results.items():
        speed[name] = r["rows"] / r["seconds"]
        print(f"{LABELS[name]:<56}{r['rows']:>9,}{r['seconds']:>10.1f}{speed[name]:>10,.0f}{r['peak_mb']:>10.0f}")
    print(f"load average at end: {load()}")
    vs_ie = speed["shequ"] / speed["import_export_best"]
    vs_floor = speed["shequ"] / speed["floor"]
    print(f"Shequ ÷ django-import-export (best): {vs_ie:.2f}×   Shequ ÷ floor (same rows): {vs_floor:.2f}×")
    print(f"Shequ ÷ floor of the file's values as they stand: {speed['shequ'] / speed['floor_file_values']:.2f}×")
    print(
        f"RESULT rows={args.rows} vs_import_export_best={vs_ie:.2f} vs_floor={vs_floor:.2f} "
        f"peak_mb={results['shequ']['peak_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
