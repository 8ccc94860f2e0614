"""Benchmark: exporting the activity ledger through the ledger layer (the real URL, view, selectors,
writers and audit row), in its own process per measurement so that each peak memory is its own.

1. xlsx of 10,000 and of 100,000 records: the file is streamed row by row (constant memory), so the
   peak should hardly move between the two.
2. A year's ledger of a community in every format: ``--year-rows`` records (default 300), a third of
   them with two photos each.

Usage::

    .venv/bin/python bench/ledger_export.py                     # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/ledger_export.py

Last line: ``RESULT xlsx_small_mb=… xlsx_large_mb=… year_docx_s=… year_pdf_s=…``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DEBUG", "0")
sys.path.insert(0, str(ROOT))
YEAR = 2025
CONTENT = "在社区服务站一楼大厅开展健康知识讲座，讲解高血压、糖尿病的预防与自我管理，发放宣传资料，现场解答居民提问。"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def prepare(rows: int, photo_rows: int) -> dict:
    """A fresh database with the test personas and ``rows`` health records of 社区A in one year."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.files.base import ContentFile
    from PIL import Image

    from shequ.records.models import Record, RecordPhoto
    from shequ.records.tests.helpers import bulk_records
    from shequ.testing.personas import build_personas

    p = build_personas()
    records = bulk_records(p.community_a, rows, by=p.worker_a, year=YEAR)
    Record.objects.filter(org=p.community_a).update(
        place="社区服务站一楼大厅", organiser="社区卫生服务站", content=CONTENT
    )
    buf = io.BytesIO()
    # Noise compresses like a real photo does (a plain colour would not).
    Image.effect_noise((1600, 1200), 64).convert("RGB").save(buf, format="JPEG", quality=85)
    for r in records[:photo_rows]:
        for _ in range(2):
            RecordPhoto.objects.create(record=r, image=ContentFile(buf.getvalue(), name="photo.jpg"))
    return {"org": p.community_a.pk, "user": p.leader_a.pk}


def export(ids: dict, fmt: str) -> dict:
    from django.conf import settings
    from django.test import Client

    from shequ.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(pk=ids["user"]))
    start = time.perf_counter()
    response = client.get(f"/ledgers/activities/{ids['org']}/{YEAR}.{fmt}?area=health")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return {"seconds": seconds, "kib": size / 1024, "peak_mb": peak_mb()}


def worker(args) -> None:
    setup_django()
    if args.prepare:
        print(json.dumps(prepare(args.rows, args.photo_rows)))
    else:
        print(json.dumps(export(json.loads(args.ids), args.fmt)))


def run(db: Path | None, *extra: str) -> dict:
    env = dict(os.environ)
    if db is not None:
        env["SQLITE_PATH"] = str(db)
        env["MEDIA_ROOT"] = str(db.parent / "media")
    out = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--worker", *extra], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--photo-rows", type=int, default=0)
    parser.add_argument("--ids", default="{}")
    parser.add_argument("--fmt", default="xlsx")
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--year-rows", type=int, default=300)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if os.environ.get("DATABASE_URL"):
        sys.exit("bench/ledger_export.py prepares fresh SQLite databases; run it without DATABASE_URL")
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for label, rows, photo_rows, formats in [
            ("small", args.small, 0, ["xlsx"]),
            ("large", args.large, 0, ["xlsx"]),
            ("year", args.year_rows, args.year_rows // 3, ["xlsx", "docx", "pdf"]),
        ]:
            db = Path(tmp) / label / "bench.sqlite3"
            db.parent.mkdir()
            ids = run(db, "--prepare", "--rows", str(rows), "--photo-rows", str(photo_rows))
            for fmt in formats:
                r = run(db, "--fmt", fmt, "--ids", json.dumps(ids))
                results[(label, fmt)] = r
                lines.append(
                    f"{label:6} {rows:>8,} rows {photo_rows * 2:>4} photos {fmt:5} "
                    f"{r['seconds']:7.2f} s {r['kib']:9.0f} KiB  peak {r['peak_mb']:6.0f} MB"
                )
                print(lines[-1], flush=True)
    print(
        f"RESULT xlsx_small_mb={results[('small', 'xlsx')]['peak_mb']:.0f} "
        f"xlsx_large_mb={results[('large', 'xlsx')]['peak_mb']:.0f} "
        f"xlsx_large_s={results[('large', 'xlsx')]['seconds']:.1f} "
        f"year_docx_s={results[('year', 'docx')]['seconds']:.1f} year_pdf_s={results[('year', 'pdf')]['seconds']:.1f}"
    )


if __name__ == "__main__":
    main()
