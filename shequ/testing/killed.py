"""kill -9 in the middle of an operation: the operation runs in a process of its own (``killed_child.py``) against the
test's database, pauses at a named point, and is killed there with SIGKILL; the tests then read what it left.

On SQLite the child uses a copy of the migrated test database (the test reads the state through the child too); on
PostgreSQL the test database itself (the tests are ``transaction=True``, so the child sees their rows).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

SCRIPT = Path(__file__).with_name("killed_child.py")
TIMEOUT = 600


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env["PROGRESS_CACHE_DIR"] = str(tmp_path / "progress")
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)  # the migrated test database with the test's rows
        target.close()
        env["SQLITE_PATH"] = str(path)
    else:
        settings = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return env


def run(env: dict[str, str], *args: object) -> str:
    """Run one operation to its end; its output."""
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script, arguments from the test
        [sys.executable, str(SCRIPT), *map(str, args)], env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def state(env: dict[str, str], *args: object) -> dict:
    """What the database holds now, as the child reports it."""
    line = next(x for x in run(env, *args).splitlines() if x.startswith("STATE "))
    return json.loads(line.removeprefix("STATE "))


def kill_at(env: dict[str, str], pause: str, *args: object) -> None:
    """Start the operation, wait until it reaches ``pause`` (``module:function:before|after``, a module of
    ``killed_child.MODULES``), SIGKILL it."""
    child = subprocess.Popen(  # noqa: S603 - as above
        [sys.executable, str(SCRIPT), *map(str, args), pause],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline().strip() if child.stdout else ""
    finally:
        child.kill()  # SIGKILL: no handler, no cleanup, no rollback in the process
        child.wait(timeout=60)
    errors = child.stderr.read()[-2000:] if child.stderr else ""
    assert line == "PAUSED", f"the operation did not reach {pause}: {line!r} {errors}"
    assert child.returncode == -signal.SIGKILL
