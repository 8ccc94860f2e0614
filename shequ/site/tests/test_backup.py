"""The restore drill: back up a small district with files and audit rows, restore it into a fresh database (another
PostgreSQL database, or another SQLite file), and check that it verifies; a tampered archive is caught."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shequ.audit.models import AuditLog
from shequ.audit.services import audit
from shequ.core.backup import databases

pytestmark = pytest.mark.django_db(transaction=True)
PHOTO = b"\xff\xd8\xff\xe0 a photo of the bulletin board"


@pytest.fixture
def district(personas, settings, tmp_path):
    """The personas' district, some audit rows (sealed into the chain) and two uploaded files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "records" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "records" / "2026" / "board.jpg").write_bytes(PHOTO)
    (settings.MEDIA_ROOT / "cases" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cases" / "2026" / "scan.pdf").write_bytes(b"%PDF-1.4 a signed letter")
    for n in range(5):
        audit(personas.worker_a, "org.update", personas.community_a, {"n": n})
    return personas


@pytest.fixture
def target(tmp_path):
    """A fresh, empty database of the test database's kind: its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def backup(tmp_path: Path) -> Path:
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    return archive


def restore(archive: Path, url: str, media: Path, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "restore", str(archive), "--database-url", url, "--media-root", str(media), *extra, stdout=out, stderr=err
        )
    except CommandError as exc:
        raise AssertionError(f"{exc}\n{out.getvalue()}\n{err.getvalue()}") from exc
    return out.getvalue()


def rewrite(archive: Path, name: str, change) -> None:
    """Replace one member of the archive with ``change(its bytes)``: a tampered copy."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            if member.name == name:
                data = change(data)
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_restore_drill_gives_back_every_row_file_and_the_audit_chain(district, tmp_path, target):
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["audit_auditlog"]["rows"] == AuditLog.objects.count() >= 5
    assert manifest["tables"]["accounts_user"]["rows"] > 0
    assert set(manifest["media"]["files"]) == {"records/2026/board.jpg", "cases/2026/scan.pdf"}

    out = restore(archive, target, tmp_path / "restored-media")

    assert "restore verified" in out
    assert "审计日志完整" in out  # audit_verify ran against the restored database
    assert (tmp_path / "restored-media" / "records" / "2026" / "board.jpg").read_bytes() == PHOTO
    restored = databases.table_stats(databases.Target.from_url(target))
    assert {name: s.rows for name, s in restored.items()} == {n: t["rows"] for n, t in manifest["tables"].items()}


def test_restore_refuses_a_target_holding_data_unless_forced(district, tmp_path, target):
    archive = backup(tmp_path)
    restore(archive, target, tmp_path / "m")
    with pytest.raises(AssertionError, match="--force"):
        restore(archive, target, tmp_path / "m")
    assert "restore verified" in restore(archive, target, tmp_path / "m", "--force")


def test_a_tampered_archive_is_caught(district, tmp_path, target):
    archive = backup(tmp_path)
    original = archive.read_bytes()

    # The database file: refused before the target is touched.
    name = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    # The last bytes flipped (a file ending in zeros changes too).
    rewrite(archive, name, lambda data: data[:-10] + bytes(b ^ 0xFF for b in data[-10:]))
    with pytest.raises(AssertionError, match="数据库文件与清单不符"):
        restore(archive, target, tmp_path / "m")
    assert databases.tables_with_rows(databases.Target.from_url(target)) == (0, [])

    # A row count of the manifest: the restored table does not match it.
    def fewer_users(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["tables"]["accounts_user"]["rows"] -= 1
        return json.dumps(manifest).encode()

    archive.write_bytes(original)
    rewrite(archive, "manifest.json", fewer_users)
    with pytest.raises(AssertionError, match="accounts_user"):
        restore(archive, target, tmp_path / "m", "--force")

    # A media file.
    archive.write_bytes(original)
    rewrite(archive, "media/records/2026/board.jpg", lambda data: data + b"!")
    with pytest.raises(AssertionError, match=r"records/2026/board\.jpg"):
        restore(archive, target, tmp_path / "m", "--force")
