"""Writing a backup archive and restoring one, with the manifest that a restore is verified against."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils import timezone

from shequ.core.backup import databases
from shequ.core.backup.databases import BackupError, TableStat, Target

FORMAT = "shequ-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media"
DB_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


def shequ_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path | None) -> list[Path]:
    if root is None or not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


# -- backup --------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


def write_backup(
    *, source: Target, out: Path, media_root: Path | None, sqlite_conn: sqlite3.Connection | None = None
) -> BackupResult:
    """Back up ``source`` and the media folder (None: no media) into the tar archive ``out``.

    On SQLite ``sqlite_conn`` is the open connection to copy from (the configured database's, which may live in
    memory); the manifest's figures are read from the copy itself. On PostgreSQL they are read in the snapshot
    pg_dump dumps.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp:
        db_file = Path(tmp) / DB_FILES[source.vendor]
        if source.vendor == "sqlite":
            conn = sqlite_conn or sqlite3.connect(source.params["path"])
            databases.sqlite_copy(conn, db_file)
            tables = databases.sqlite_table_stats(db_file)
            copy = sqlite3.connect(str(db_file))
            try:
                migrations = databases.applied_migrations(copy)
                server = sqlite3.sqlite_version
            finally:
                copy.close()
        else:
            with databases.pg_connect(source) as pg:
                pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
                # pg_dump reads the exported snapshot while this transaction, open until both are done, reads
                # the same rows for the manifest.
                dump = databases.pg_dump(source, db_file, snapshot=snapshot)
                try:
                    tables = databases.pg_table_stats(pg)
                    migrations = databases.applied_migrations(pg)
                    server = pg.execute("SHOW server_version").fetchone()[0]
                finally:
                    databases.pg_dump_wait(dump)
        media = {
            str(PurePosixPath(*p.relative_to(media_root).parts)): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "shequ_version": shequ_version(),
            "vendor": source.vendor,
            "server_version": server,
            "database": {"file": db_file.name, "sha256": sha256_file(db_file), "bytes": db_file.stat().st_size},
            "migrations": migrations,
            "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in tables.items()},
            "media": {"included": media_root is not None, "files": media},
        }
        part = out.with_name(out.name + ".part")
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name, recursive=False)
            for rel in media:
                tar.add(media_root / rel, arcname=f"{MEDIA}/{rel}", recursive=False)  # type: ignore[operator]
        part.replace(out)
    return BackupResult(out, manifest)


# -- restore -------------------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("归档中没有清单 manifest.json / the archive has no manifest")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式 / unknown backup format: {manifest.get('format')!r}")
    return manifest


def _safe_media_path(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.parts[:1] != (MEDIA,) or len(path.parts) < 2 or path.is_absolute() or ".." in path.parts:
        return None
    return PurePosixPath(*path.parts[1:])


def refusal(target: Target, media_root: Path | None) -> str | None:
    """Why a restore into this target needs ``--force`` (it holds rows or files), or None."""
    _count, full = databases.tables_with_rows(target)
    files = media_files(media_root)
    if not full and not files:
        return None
    return (
        f"目标不是空的：{len(full)} 张表有数据，媒体目录有 {len(files)} 个文件；确认覆盖请加 --force。 / "
        f"the target is not empty ({len(full)} tables with rows, {len(files)} media files): use --force to overwrite"
    )


def restore_archive(
    *,
    archive: Path,
    target: Target,
    media_root: Path | None,
    known_migrations: set[str],
    force: bool = False,
    jobs: int = 1,
) -> RestoreReport:
    """Restore ``archive`` into ``target`` (and the media folder), then verify both against the manifest.

    Refuses before touching the target: an archive of another kind of database, one whose schema has migrations
    this code does not know (the code is older than the backup), a target holding data (unless ``force``), and a
    database file that does not match the manifest.
    """
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        if unknown := sorted(set(manifest["migrations"]) - known_migrations):
            raise BackupError(
                f"备份中有 {len(unknown)} 个迁移本程序没有，请先升级程序 / the backup has {len(unknown)} migrations "
                f"this code does not know (upgrade first): {', '.join(unknown[:5])}"
            )
        if manifest["vendor"] != target.vendor:
            raise BackupError(
                f"备份来自 {manifest['vendor']}，目标是 {target.vendor} / "
                f"the backup is of {manifest['vendor']}, the target is {target.vendor}"
            )
        if not force and (why := refusal(target, media_root)):
            raise BackupError(why)
        report = RestoreReport(manifest)
        with tempfile.TemporaryDirectory(prefix="shequ-restore-") as tmp:
            db_file = Path(tmp) / manifest["database"]["file"]
            member = tar.extractfile(manifest["database"]["file"])
            if member is None:
                raise BackupError("归档中没有数据库文件 / the archive has no database file")
            with open(db_file, "wb") as f:
                while chunk := member.read(CHUNK):
                    f.write(chunk)
            if sha256_file(db_file) != manifest["database"]["sha256"]:
                raise BackupError(
                    "数据库文件与清单不符，归档已损坏或被改动 / the database file does not match the manifest"
                )
            if target.vendor == "sqlite":
                databases.sqlite_restore(db_file, target)
            else:
                databases.pg_clear(target)
                databases.pg_restore(target, db_file, jobs=jobs)
        if media_root is not None and manifest["media"]["included"]:
            _extract_media(tar, media_root)
    _verify_tables(report, databases.table_stats(target))
    if media_root is not None and manifest["media"]["included"]:
        _verify_media(report, media_root)
    return report


def _extract_media(tar: tarfile.TarFile, media_root: Path) -> None:
    for member in tar:
        rel = _safe_media_path(member.name)
        if rel is None or not member.isfile():
            continue
        dest = media_root.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:
            continue
        with open(dest, "wb") as f:
            while chunk := source.read(CHUNK):
                f.write(chunk)


def _verify_tables(report: RestoreReport, restored: dict[str, TableStat]) -> None:
    expected = report.manifest["tables"]
    for name in sorted(set(expected) | set(restored)):
        want, got = expected.get(name), restored.get(name)
        if want is None:
            report.problems.append(f"表 {name} 不在清单中 / table {name} is not in the manifest")
        elif got is None:
            report.problems.append(f"表 {name} 没有恢复 / table {name} is missing")
        elif got.rows != want["rows"]:
            report.problems.append(
                f"表 {name} 行数不符：清单 {want['rows']}，恢复后 {got.rows} / row count differs: "
                f"{want['rows']} expected, {got.rows} restored"
            )
        elif got.sha256 != want["sha256"]:
            report.problems.append(f"表 {name} 校验和不符 / table {name}: checksum differs")
    report.tables = len(restored)
    report.rows = sum(s.rows for s in restored.values())


def _verify_media(report: RestoreReport, media_root: Path) -> None:
    for rel, want in sorted(report.manifest["media"]["files"].items()):
        path = media_root.joinpath(*PurePosixPath(rel).parts)
        if not path.is_file():
            report.problems.append(f"媒体文件缺失 / media file missing: {rel}")
        elif sha256_file(path) != want["sha256"]:
            report.problems.append(f"媒体文件内容不符 / media file differs: {rel}")
        else:
            report.media_files += 1
