"""Benchmark: import N generated residents from one xlsx file, three ways, side by side.

1. Shequ's import (``shequ.residents.imports``): python-calamine read, every row checked (GB 11643
   check digit, dates, choices), ID numbers hashed and encrypted in batches, households created,
   bulk inserts, all in one transaction.
2. A bare baseline: openpyxl read-only, no checks, plaintext key, ``bulk_create`` of the persons.
3. django-import-export configured for the same model (ModelResource, ``use_bulk``, ``skip_diff``,
   keyed by the ID column so that it is idempotent like Shequ's).

Each contender runs in its own process against an empty table, so the peak memory (max RSS of
that process, Django included) is its own. Usage::

    .venv/bin/python bench/import_residents.py                 # SQLite, 100,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/import_residents.py

The last line is machine-readable:
``RESULT rows=… vs_import_export=… vs_baseline=… peak_mb=…``
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
RELATION_LABELS = {"head": "户主", "spouse": "配偶", "child": "子女"}


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


def write_file(path: Path, rows: int) -> None:
    import xlsxwriter

    from shequ.residents import fake

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("居民信息")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h)
    r = 1
    for hh in fake.households(seed=2026, start_index=0, count=rows, area_code="110105", prefix="B"):
        for p in hh:
            values = [
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
            for c, v in enumerate(values):
                ws.write_string(r, c, v)
            r += 1
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
    from shequ.residents.imports import read_table, run_import

    user, org = User.objects.get(pk=ids["user"]), Org.objects.get(pk=ids["org"])
    start = time.perf_counter()
    rows = read_table(file.read_bytes(), file.name)
    result = run_import(actor=user, org=org, rows=rows, commit=True, filename=file.name)
    seconds = time.perf_counter() - start
    assert result.committed, result.errors[:5]
    return {"seconds": seconds, "rows": result.added}


def run_baseline(file: Path, ids: dict) -> dict:
    import openpyxl
    from django.db import transaction

    from shequ.residents.models import Person

    start = time.perf_counter()
    wb = openpyxl.load_workbook(file, read_only=True)
    ws = wb.active
    it = ws.iter_rows(values_only=True)
    header = list(next(it))
    col = {h: i for i, h in enumerate(header)}
    batch, total = [], 0
    with transaction.atomic():
        for row in it:
            batch.append(
                Person(
                    org_id=ids["org"],
                    name=row[col["姓名"]],
                    id_hash=row[col["证件号码"]],
                    gender="M" if row[col["性别"]] == "男" else "F",
                    birth_date=row[col["出生日期"]],
                    phone=row[col["联系电话"]],
                    estate=row[col["小区"]] or "",
                    building=row[col["楼栋"]] or "",
                    unit_no=row[col["单元"]] or "",
                    room=row[col["房号"]] or "",
                    ethnicity=row[col["民族"]] or "",
                    occupation=row[col["职业"]] or "",
                )
            )
            if len(batch) == 2000:
                Person.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Person.objects.bulk_create(batch)
        total += len(batch)
    wb.close()
    return {"seconds": time.perf_counter() - start, "rows": total}


def run_import_export(file: Path, ids: dict, limit: int | None) -> dict:
    import tablib
    from import_export import fields, resources, widgets

    from shequ.residents.models import Person

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

        class Meta:
            model = Person
            fields = ("name", "id_hash", "birth_date", "phone", "estate", "building", "unit_no", "room")
            fields += ("ethnicity", "occupation")
            import_id_fields = ("id_hash",)
            use_bulk = True
            batch_size = 2000
            skip_diff = True

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
    elif args.worker == "baseline":
        out = run_baseline(file, ids)
    else:
        out = run_import_export(file, ids, args.ie_rows)
    from shequ.residents.models import Person

    out["in_table"] = Person.objects.count()
    out["peak_mb"] = peak_mb()
    print("WORKER " + json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ie-rows", type=int, default=None, help="rows for django-import-export (default: all)")
    parser.add_argument("--worker", choices=["shequ", "baseline", "import_export"])
    parser.add_argument("--file")
    parser.add_argument("--ids")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    tmp = Path(tempfile.mkdtemp(prefix="shequ-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    setup_django()
    ids = prepare_database()
    clear_tables()
    file = tmp / f"residents-{args.rows}.xlsx"
    t0 = time.perf_counter()
    write_file(file, args.rows)
    print(f"generated {file.name} ({file.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    db = database_label()

    results = {}
    for name in ("shequ", "baseline", "import_export"):
        clear_tables()
        cmd = [sys.executable, __file__, "--worker", name, "--file", str(file), "--ids", json.dumps(ids)]
        if args.ie_rows:
            cmd += ["--ie-rows", str(args.ie_rows)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), check=False)  # noqa: S603
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WORKER ")), None)
        if proc.returncode or line is None:
            print(proc.stdout[-2000:], proc.stderr[-4000:])
            raise SystemExit(f"{name} failed")
        results[name] = json.loads(line.removeprefix("WORKER "))
        print(f"  {name}: {results[name]}")
    clear_tables()

    labels = {
        "shequ": "Shequ import (calamine, checked, encrypted, households)",
        "baseline": "bare baseline (openpyxl read-only + bulk_create)",
        "import_export": "django-import-export (ModelResource, use_bulk)",
    }
    print()
    print(f"Import of {args.rows:,} generated residents from one xlsx file — database: {db}")
    print(f"{'contender':<58}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
    speed = {}
    for name, r in results.items():
        speed[name] = r["rows"] / r["seconds"]
        print(f"{labels[name]:<58}{r['rows']:>9,}{r['seconds']:>10.1f}{speed[name]:>10,.0f}{r['peak_mb']:>10.0f}")
    vs_ie = speed["shequ"] / speed["import_export"]
    vs_base = speed["shequ"] / speed["baseline"]
    print(f"Shequ ÷ django-import-export: {vs_ie:.1f}×   Shequ ÷ baseline: {vs_base:.2f}×")
    print(
        f"RESULT rows={args.rows} vs_import_export={vs_ie:.2f} vs_baseline={vs_base:.2f} "
        f"peak_mb={results['shequ']['peak_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
