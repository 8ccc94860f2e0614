"""kill -9 at random points (``bench/kill.py``, a few rounds): a residents import, a year close and a case move,
each killed at random moments of its run, leave nothing partial, the audit chain verifies, and each runs again to
its end or is refused as already done."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 5


@pytest.mark.slow
def test_operations_killed_at_random_points_leave_nothing_partial_and_run_again():
    args = ["--rounds", str(ROUNDS), "--import-rows", "1500", "--seed", "11"]
    if connection.vendor == "postgresql":  # a throwaway database of its own, beside the test database
        args += ["--database", f"test_{connection.settings_dict['NAME'].removeprefix('test_')}_kill"]
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script, fixed arguments
        [sys.executable, str(ROOT / "bench" / "kill.py"), *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    result = re.search(r"^RESULT kills=(\d+) partial=(\d+) rerun_ok=(\d+)$", done.stdout, re.M)
    assert result, done.stdout[-3000:] + done.stderr[-3000:]
    kills, partial, rerun_ok = map(int, result.groups())
    assert kills == 3 * ROUNDS and partial == 0, done.stdout
    assert done.returncode == 0 and rerun_ok >= kills, done.stdout  # every round (killed or ended first) ran again
