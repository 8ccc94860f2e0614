"""The README's production steps run clean, in order, with production settings, on a fresh database."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from shequ.core.crypto import new_key

ROOT = Path(__file__).resolve().parents[3]


def _readme_steps() -> list[list[str]]:
    """The ``manage.py`` commands of the README's production block, in order (not the long-running ones)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    steps = []
    for line in block.splitlines():
        command = line.split("#", 1)[0].strip()
        if re.match(r"^\.venv/bin/python manage\.py ", command) and command.split()[2] not in ("db_worker", "schedule"):
            steps.append(shlex.split(command)[2:])
    return steps


def test_the_readme_production_steps_run_clean_in_order(tmp_path):
    steps = _readme_steps()
    assert [s[0] for s in steps] == ["migrate", "collectstatic", "check"]
    assert "--deploy" in steps[-1] and "WARNING" in steps[-1]
    unset = ("DATABASE_URL", "DEBUG", "SECURE_HSTS_PRELOAD", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the test run's own
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {
        "SHEQU_ENV": "production",
        "SECRET_KEY": new_key() + new_key(),
        "FIELD_ENCRYPTION_KEYS": new_key(),
        "AUDIT_KEY": new_key(),
        "ALLOWED_HOSTS": "shequ.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://shequ.example.gov.cn",
        "SQLITE_PATH": str(tmp_path / "production.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PROGRESS_CACHE_DIR": str(tmp_path / "progress"),
        "REDIS_URL": "redis://127.0.0.1:6379/7",  # named only: the steps never reach it
    }
    for step in steps:
        done = subprocess.run(  # noqa: S603 - our own manage.py with arguments from our README
            [sys.executable, str(ROOT / "manage.py"), *step],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(step)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert (tmp_path / "static" / "staticfiles.json").exists()
