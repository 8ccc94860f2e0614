"""Benchmark: building the annual dossiers of N communities in one job (a street's one click), through the real
service and task body: every ledger of each community's year in xlsx and PDF by the ledger layer, the photos, the
index. A fresh database (SQLite in a temporary folder, or with DATABASE_URL the PostgreSQL database
``<name>_dossier``, made again each run); each community gets a health plan with a monthly bulletin board target and
``--records`` records of the year (one in ten with a photo). The street's one click queues one build task per
community; ``--workers`` task workers (``manage.py db_worker --batch`` processes) build them side by side.

Usage::

    .venv/bin/python bench/dossier.py                      # 5 communities, 120 records each
    .venv/bin/python bench/dossier.py --communities 20 --records 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/dossier.py \
        --communities 200 --records 40 --workers 2

Last line: ``RESULT communities=… total_s=… per_community_s=… mean_mb=…``
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2025


def setup(tmp: Path) -> dict[str, str]:
    """A fresh database and media folder; the environment the task workers need to reach them."""
    env = {"MEDIA_ROOT": str(tmp / "media"), "DJANGO_SETTINGS_MODULE": "shequ.settings", "DEBUG": "0"}
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=parts.path + "_dossier"))
    else:
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.update(env)
    if not url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    import logging

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from django.db import connection

    if url:  # made again: the database of the URL with _dossier appended
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def run_workers(n: int, env: dict[str, str]) -> None:
    """``n`` task workers drain the queue side by side, each exiting when nothing is left."""
    cmd = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay", "--interval", "0.2"]
    log = Path(env["MEDIA_ROOT"]).parent / "workers.log"
    with log.open("ab") as out:
        procs = [
            subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=out)  # noqa: S603
            for _ in range(n)
        ]
        codes = [proc.wait() for proc in procs]
    if any(codes):
        print(log.read_text(errors="replace")[-4000:])
        raise SystemExit(f"a task worker exited with {codes}")


def prepare(n: int, records: int):
    from datetime import date

    from django.core.files.base import ContentFile
    from PIL import Image

    from shequ.accounts.roles import Role
    from shequ.orgs.models import OrgKind
    from shequ.plans.tests.helpers import plan, target
    from shequ.records.models import Record, RecordPhoto
    from shequ.records.tests.helpers import bulk_records
    from shequ.testing.factories import OrgFactory, member

    district = OrgFactory(name="明德区", kind=OrgKind.DISTRICT, division_code="420199000000")
    street = OrgFactory(name="和平街道", kind=OrgKind.STREET, parent=district, division_code="420199001000")
    leader = member(street, Role.LEADER, username="bench_leader", name="街道主任")
    buf = io.BytesIO()
    Image.effect_noise((1600, 1200), 64).convert("RGB").save(buf, format="JPEG", quality=85)
    for i in range(n):
        org = OrgFactory(name=f"社区{i + 1:03d}", kind=OrgKind.COMMUNITY, parent=street)
        p = plan(org, year=YEAR, title=f"{YEAR}年健康教育工作计划", status="published")
        target(p, title="每月更换健康教育宣传栏", kind="count", activity_codes=["health/board"], period="month",
               min_per_period=1, min_per_year=12)  # fmt: skip
        rows = bulk_records(org, records, by=leader, year=YEAR)
        Record.objects.filter(org=org).update(place="社区服务站", content="开展健康知识讲座，发放宣传资料。")
        for r in rows[::10]:
            RecordPhoto.objects.create(record=r, image=ContentFile(buf.getvalue(), name="photo.jpg"))
        assert date(YEAR, 1, 1) <= rows[0].date
    return leader, street


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=5)
    parser.add_argument("--records", type=int, default=120)
    parser.add_argument("--workers", type=int, default=1, help="task worker processes building side by side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = setup(Path(tmp))
        from django.db import connection

        from shequ.dossier import services

        where = f"{connection.vendor} {connection.settings_dict['NAME']}"
        print(f"{where}: {args.communities} communities, {args.records} records each, {args.workers} task workers; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        leader, street = prepare(args.communities, args.records)
        start = time.perf_counter()
        job = services.request_build(actor=leader, org=street, year=YEAR)
        connection.close()
        run_workers(args.workers, env)
        total = time.perf_counter() - start
        job.refresh_from_db()
        rows = list(job.dossiers.select_related("org").order_by("org__path"))
        for d in rows:
            print(
                f"{d.org.name}  {d.state:6} {d.files:4} files {d.size / 2**20:7.1f} MB {d.seconds:7.1f} s", flush=True
            )
        mean_mb = sum(d.size for d in rows) / len(rows) / 2**20
        built = sum(d.seconds for d in rows)
        print(f"job {job.state} {job.message}; load {os.getloadavg()[0]:.1f}; building one community took "
              f"{built / len(rows):.1f} s on average, all together {total:.0f} s of wall time "
              f"({args.workers} workers), {sum(d.size for d in rows) / 2**30:.2f} GB")  # fmt: skip
        print(
            f"RESULT communities={len(rows)} records={args.records} workers={args.workers} total_s={total:.1f} "
            f"per_community_s={total / len(rows):.1f} mean_mb={mean_mb:.1f}"
        )


if __name__ == "__main__":
    main()
