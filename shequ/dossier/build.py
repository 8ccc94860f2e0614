"""Building a dossier: every part written by the ledger layer into one zip, the photos, and the index last.

The zip is written into a local file (:func:`scratch`) and stored, whole, under a fresh random name in the dossier's
folder of the media storage (``dossiers/<id>/``) in one step (:func:`publish`): on a local disk the file is a hidden
``.part`` file in that folder, renamed into place; on an object store it is an anonymous temporary file, uploaded as
one object (which the store shows only once it is whole). Only then does the row point at it (:func:`record_done`).
A build killed at any point (SIGKILL: no handler runs) leaves the last whole dossier served as it was and at most a
``.part`` or an unreferenced zip, which the next build of the same dossier sweeps away before it starts and after
it ends. So a killed job is simply run again.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from shequ.core.media import local_path
from shequ.dossier import contents
from shequ.dossier.contents import Part
from shequ.dossier.ledgers import LEDGER as INDEX_LEDGER
from shequ.dossier.ledgers import index_for
from shequ.dossier.models import Dossier, DossierJob, JobState
from shequ.ledgers.declare import Context
from shequ.ledgers.services import ledger_write
from shequ.records.years import is_year_closed

FOLDER = "dossiers"
PHOTO_STEP = 50  # photos written between two progress updates


def folder_of(dossier_pk: int) -> str:
    """The dossier's folder in the media storage."""
    return f"{FOLDER}/{dossier_pk}"


def sweep(folder: str, keep: str) -> None:
    """Delete what killed builds left in the folder: ``.part`` files and zips the row does not point at."""
    try:
        _, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if name != PurePosixPath(keep).name:
            default_storage.delete(f"{folder}/{name}")


def _progress(dossier: Dossier, step: str, done: int, total: int) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(
        state=JobState.RUNNING, step=step[:120], parts_done=done, parts_total=total
    )
    if dossier.job_id:
        DossierJob.objects.filter(pk=dossier.job_id).update(heartbeat=timezone.now())


def _copy(src: IO[bytes], zf: zipfile.ZipFile, arcname: str, compress: int = zipfile.ZIP_DEFLATED) -> None:
    info = zipfile.ZipInfo(arcname, date_time=time.localtime()[:6])
    info.compress_type = compress
    with zf.open(info, "w", force_zip64=True) as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _unique(path: str, used: set[str]) -> str:
    """Two subjects of one title (two surveys both called 调查结果报告) get (2), (3) … before the extension."""
    stem, dot, ext = path.rpartition(".")
    n, out = 1, path
    while out in used:
        n += 1
        out = f"{stem}（{n}）{dot}{ext}"
    used.add(out)
    return out


def add_part(zf: zipfile.ZipFile, top: str, part: Part, ctx: Context, used: set[str]) -> None:
    """Write one ledger in one format into the archive (through the ledger layer), noting its rows and pages."""
    with tempfile.TemporaryFile() as tmp:
        name, rows = ledger_write(ledger=part.ledger, ctx=ctx, out=tmp)
        part.label = part.label or (part.ledger.title_for(ctx) if part.ledger.title_for else part.ledger.title)
        part.names[ctx.fmt] = _unique(f"{part.folder}/{name}", used)
        part.rows = rows
        if ctx.fmt == "pdf":
            from pypdf import PdfReader  # the dossier task's alone: web processes import this module too

            tmp.seek(0)
            part.pages = len(PdfReader(tmp).pages)
        tmp.seek(0)
        _copy(tmp, zf, f"{top}/{part.names[ctx.fmt]}")


def add_index(zf: zipfile.ZipFile, top: str, parts: list[Part], base: Context) -> None:
    index = index_for(base, parts)
    for fmt in ("docx", "pdf"):
        ctx = Context(actor=base.actor, org=base.org, year=base.year, fmt=fmt, today=base.today, subject=index)
        with tempfile.TemporaryFile() as tmp:
            ledger_write(ledger=INDEX_LEDGER, ctx=ctx, out=tmp)
            tmp.seek(0)
            _copy(tmp, zf, f"{top}/00-年度档案目录.{fmt}")


@contextmanager
def scratch(folder: str) -> Iterator[IO[bytes]]:
    """The local file the zip is written into: a hidden ``.part`` file in the dossier's folder when media is on a
    local disk (so that publishing it is a rename), else an anonymous temporary file (in ``TMPDIR``), of which
    nothing is left however the build ends."""
    local = local_path(default_storage, folder)
    if local is None:
        with tempfile.TemporaryFile() as tmp:
            yield tmp
        return
    local.mkdir(parents=True, exist_ok=True)
    part = local / f".{secrets.token_hex(8)}.zip.part"
    try:
        with part.open("w+b") as f:
            yield f
    finally:
        part.unlink(missing_ok=True)  # gone already once published


def publish(part: IO[bytes], name: str) -> str:
    """The whole zip takes its final name in one step: a rename within the folder on a local disk, one upload to
    an object store. The name it is stored under."""
    local = local_path(default_storage, name)
    if local is not None:
        part.flush()
        os.fsync(part.fileno())
        os.replace(str(part.name), local)
        return name
    part.seek(0)
    return default_storage.save(name, File(part))


def record_done(dossier: Dossier, name: str, *, files: int, seconds: float, frozen: bool) -> str:
    """Point the row at the new zip; the zip it pointed at before is deleted once the change is committed."""
    old = dossier.file
    with transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(
            state=JobState.DONE, file=name, size=default_storage.size(name), files=files, seconds=round(seconds, 2),
            built_at=timezone.now(), built_by=dossier.job.created_by if dossier.job else None, frozen=frozen,
            step="", message="", parts_done=dossier.parts_total,
        )  # fmt: skip
        if old and old != name:
            transaction.on_commit(lambda: default_storage.delete(old))
    return name


def _write(dossier: Dossier, out: IO[bytes], top: str, parts: list[Part], shots: list, total: int, today) -> None:
    actor, org, year = dossier.job.created_by, dossier.org, dossier.year
    done = 0
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for part in parts:
            for fmt in contents.FORMATS:
                if fmt == "pdf" and contents.print_skipped(part):
                    done += 1
                    continue
                _progress(dossier, f"{part.ledger.title}（{fmt}）", done, total)
                add_part(zf, top, part, part.context(actor, org, year, fmt, today), used)
                done += 1
        for n, (photo, name) in enumerate(shots):
            if n % PHOTO_STEP == 0:
                _progress(dossier, f"照片 {n + 1}/{len(shots)}", done, total)
                done += 1
            with photo.image.open("rb") as src:
                _copy(src, zf, f"{top}/{name}", zipfile.ZIP_STORED)  # already compressed
        _progress(dossier, "目录", done, total)
        add_index(zf, top, parts, Context(actor=actor, org=org, year=year, fmt="pdf", today=today))


def build(dossier_pk: int) -> Dossier:
    """Build (or build again) one dossier; a frozen one is left as it is."""
    dossier = Dossier.objects.select_related("org", "job", "job__created_by").get(pk=dossier_pk)
    if dossier.frozen and dossier.file:
        Dossier.objects.filter(pk=dossier.pk).update(state=JobState.DONE, message="已关账，保留原档案")
        return dossier
    actor, org, year = dossier.job.created_by, dossier.org, dossier.year
    frozen = is_year_closed(org, year)  # built after the close: this one is kept as it is
    folder = folder_of(dossier.pk)
    sweep(folder, keep=dossier.file)
    started = time.monotonic()
    today = timezone.localdate()
    parts = contents.parts(actor, org, year)
    shots = list(contents.photo_names(contents.photos(actor, org, year)))
    total = len(parts) * len(contents.FORMATS) + (len(shots) + PHOTO_STEP - 1) // PHOTO_STEP + 1
    top = f"{org.name}-{year}年度档案"
    with scratch(folder) as part:
        _write(dossier, part, top, parts, shots, total, today)
        name = publish(part, f"{folder}/{secrets.token_hex(16)}.zip")
    files = sum(len(part.names) for part in parts) + len(shots) + 2
    dossier.parts_total = total
    record_done(dossier, name, files=files, seconds=time.monotonic() - started, frozen=frozen)
    sweep(folder, keep=name)
    dossier.refresh_from_db()
    return dossier
