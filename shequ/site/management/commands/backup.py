from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from shequ.core.backup.archive import write_backup
from shequ.core.backup.databases import BackupError, Target
from shequ.core.media import local_path


class Command(BaseCommand):
    help = (
        "Back up the database and the media folder into one tar archive with a manifest (per-table row counts and "
        "checksums, media files with their SHA-256, the migrations applied): pg_dump's custom format on "
        "PostgreSQL, SQLite's backup API on SQLite. `manage.py restore` restores and verifies it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", help="where to write the archive (default: BACKUP_DIR/shequ-<date>-<time>.tar)"
        )
        parser.add_argument("--no-media", action="store_true", help="leave the media folder out")

    def handle(self, *args, archive=None, no_media=False, **options):
        out = Path(archive) if archive else self._default_path()
        media_root = None if no_media else local_media_root()
        if media_root is None and not no_media:
            self.stdout.write(
                "媒体文件在对象存储上，未包含（请用存储自身的版本功能备份） / media on an object store: not included"
            )
        source = Target.from_settings(connection.settings_dict)
        started = time.monotonic()
        try:
            if source.vendor == "sqlite":
                connection.ensure_connection()
                result = write_backup(source=source, out=out, media_root=media_root, sqlite_conn=connection.connection)
            else:
                result = write_backup(source=source, out=out, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        m = result.manifest
        self.stdout.write(
            f"备份完成 / backup written: {result.path} ({result.path.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)\n"
            f"  数据库 / database ({m['vendor']} {m['server_version']}): {len(m['tables'])} 张表 tables, "
            f"{result.rows} 行 rows\n"
            f"  媒体 / media: {len(m['media']['files'])} 个文件 files\n"
            f"  迁移 / migrations: {len(m['migrations'])}; Shequ {m['shequ_version']}"
        )

    @staticmethod
    def _default_path() -> Path:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return Path(settings.BACKUP_DIR) / f"shequ-{stamp}.tar"


def local_media_root() -> Path | None:
    """The media folder when media is stored locally; None when it lives on an object store."""
    return local_path(default_storage, "")
