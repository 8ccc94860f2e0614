from __future__ import annotations

import os
import subprocess  # nosec B404 - runs this project's own audit_verify with an argument list
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from shequ.audit import chain
from shequ.core.backup.archive import RestoreReport, restore_archive
from shequ.core.backup.databases import BackupError, Target
from shequ.site.management.commands.backup import local_media_root


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into the configured database (or --database-url) and media folder, "
        "then verify: every table's row count and checksum and every media file against the manifest, and the "
        "audit log's chain. Refuses a target that holds data unless --force; exits non-zero on any mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite a target that holds data")
        parser.add_argument(
            "--database-url", default="", help="restore into this database instead (a restore drill), e.g. postgres://…"
        )
        parser.add_argument("--media-root", default="", help="restore the media into this folder instead")
        parser.add_argument("--no-media", action="store_true", help="restore the database only")
        parser.add_argument("--jobs", type=int, default=1, help="pg_restore's parallel jobs (1: one transaction)")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"找不到备份文件 / no such archive: {archive}")
        url = options["database_url"]
        target = Target.from_url(url) if url else Target.from_settings(connection.settings_dict)
        if options["no_media"]:
            media_root = None
        elif options["media_root"]:
            media_root = Path(options["media_root"])
        else:
            media_root = local_media_root()
            if media_root is None:
                self.stdout.write(
                    "媒体文件在对象存储上，未恢复（请用存储自身的版本功能恢复，或用 --media-root 解到文件夹） / "
                    "media on an object store: not restored"
                )
        on_disk = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
        connection.close()
        started = time.monotonic()
        try:
            report = restore_archive(
                archive=archive,
                target=target,
                media_root=media_root,
                known_migrations=on_disk,
                force=options["force"],
                jobs=options["jobs"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        self._summary(report, archive, target, seconds, on_disk)
        audit_ok = self._audit(url)
        if not report.ok or not audit_ok:
            raise CommandError(f"恢复校验未通过：{len(report.problems)} 处不符 / restore verification failed")
        self.stdout.write("恢复校验通过 / restore verified.")

    def _summary(self, report: RestoreReport, archive: Path, target: Target, seconds: float, on_disk: set[str]) -> None:
        m = report.manifest
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"已恢复 / restored: {archive} ({m['created_at']}, Shequ {m['shequ_version']}) → {target.label} "
            f"({seconds:.1f} s)\n"
            f"  数据库 / database: {report.tables} 张表 tables, {report.rows} 行 rows "
            f"(清单 / manifest: {len(m['tables'])} 张表, {sum(t['rows'] for t in m['tables'].values())} 行)\n"
            f"  媒体 / media: {report.media_files} / {len(m['media']['files'])} 个文件一致 files match"
        )
        if missing := sorted(on_disk - set(m["migrations"])):
            self.stdout.write(
                f"  本程序有 {len(missing)} 个迁移未在备份中应用，请运行 manage.py migrate / "
                f"{len(missing)} migrations to apply: run manage.py migrate"
            )

    def _audit(self, url: str) -> bool:
        """The audit log's chain must verify in the restored database (``audit_verify``)."""
        if not url:
            report = chain.verify()
            for problem in report.problems:
                self.stderr.write(problem)
            self.stdout.write(f"  审计日志 / audit chain: {report.rows} 行 rows, head {report.head_hash}")
            return report.ok
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(  # noqa: S603  # nosec B603 - this interpreter, this project's manage.py
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "audit_verify"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for line in (done.stdout + done.stderr).strip().splitlines():
            self.stdout.write(f"  审计日志 / audit: {line}")
        return done.returncode == 0
