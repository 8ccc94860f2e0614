"""kill -9 at random points: a residents import, a year close and a case move, each killed ``--rounds`` times.

In a throwaway database (PostgreSQL ``<name of DATABASE_URL>_kill`` when DATABASE_URL is set, otherwise a SQLite
file in a temporary folder; never the development database), for each operation:

1. uninterrupted runs in a child process measure its duration (the fastest of three, from the fork to its end);
2. each round prepares the operation afresh (a new file of residents, a new case, the year reopened), runs it in
   a child process (forked) and sends SIGKILL after a delay drawn at random across the measured duration, until
   ``--rounds`` kills were made (a round whose process ended before its kill is checked alike and counted apart);
3. then reads what the killed process left: nothing partial (the import: none of the file's rows or all of them,
   with its audit row; the year close: closed with its audit row or not closed and no audit row; the case move:
   state, org, version, history entry and audit row all moved or none), the audit chain verifies;
4. and runs the operation again, here, to its end (or sees it refused as already done, when the kill came after
   the commit), then checks the same again.

    .venv/bin/python bench/kill.py --rounds 50 --seed 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench .venv/bin/python bench/kill.py --rounds 50

The last line is machine-readable: ``RESULT kills=<n> partial=<n> rerun_ok=<n>`` (partial must be 0 and rerun_ok
the number of rounds, kills and ended-first together). The exit status is 1 when anything partial was found or a
re-run failed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db import connection, connections  # noqa: E402

YEAR = 2024
NOTE = "需上级协调"


# --- the operations, as the parent prepares, reads and runs them again ------------------------------------------


class Operation:
    name = ""

    def __init__(self, p, rng: random.Random, rows: int):
        self.p, self.rng, self.rows = p, rng, rows

    def prepare(self) -> Callable[[], object]:
        """Make the operation possible again; the operation, for the child process to run."""
        raise NotImplementedError

    def state(self) -> dict:
        raise NotImplementedError

    def judge(self, before: dict, now: dict) -> str:
        """``none`` (as before), ``whole`` (all of it done) or ``partial``."""
        raise NotImplementedError

    def rerun(self, verdict: str) -> str:
        """Run the operation again here: ``done`` or ``refused`` (already done)."""
        raise NotImplementedError


class Import(Operation):
    name = "residents import"

    def prepare(self) -> Callable[[], object]:
        import xlsxwriter
        from django.core.files.base import ContentFile

        from shequ.residents.imports import jobs
        from shequ.residents.models import ImportJob, ImportStatus
        from shequ.residents.tests.helpers import new_id

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["姓名", "证件号码", "户号", "与户主关系"])
        tag = self.rng.randrange(10**9)
        for i in range(self.rows):
            ws.write_row(i + 1, 0, [f"居民{i}", new_id(), f"K{tag}-{i // 3}", "户主" if i % 3 == 0 else "子"])
        wb.close()
        upload = ContentFile(buf.getvalue(), name="名册.xlsx")
        job = jobs.job_start(actor=self.p.worker_a, org=self.p.community_a, upload=upload)  # the dry run
        job.refresh_from_db()
        if job.status == ImportStatus.PENDING:  # queued for the task worker: do its dry run here
            jobs.process(job.pk)
            job.refresh_from_db()
        assert job.status == ImportStatus.CHECKED and job.added == self.rows, (job.status, job.message)
        ImportJob.objects.filter(pk=job.pk).update(commit=True, status=ImportStatus.PENDING)  # confirmed
        self.job, self.again = job.pk, 0
        return lambda: jobs.process(job.pk)

    def state(self) -> dict:
        from shequ.audit.models import AuditLog
        from shequ.residents.models import Household, ImportJob, Person

        return {
            "persons": Person.objects.count(),
            "households": Household.objects.count(),
            "audit_rows": AuditLog._base_manager.filter(action="person.import").count(),
            "status": ImportJob.objects.get(pk=self.job).status,
        }

    def judge(self, before: dict, now: dict) -> str:
        moved = (now["persons"] - before["persons"], now["households"] - before["households"])
        audits = now["audit_rows"] - before["audit_rows"] - self.again  # a re-run of a whole import audits 0 added
        if moved == (0, 0) and audits == 0 and now["status"] != "done":
            return "none"
        if moved == (self.rows, -(-self.rows // 3)) and audits == 1:
            return "whole"
        return "partial"

    def rerun(self, verdict: str) -> str:
        from shequ.residents.imports import jobs
        from shequ.residents.models import ImportJob, ImportStatus

        job = ImportJob.objects.get(pk=self.job)
        if job.status == ImportStatus.DONE:
            return "refused"
        # The killed process left the job "running"; past the stale limit the worker may start it again.
        ImportJob.objects.filter(pk=job.pk).update(heartbeat=datetime(2020, 1, 1, tzinfo=UTC))
        caches["progress"].delete(jobs._cache_key(job.pk))  # the figures of its writing phase (SQLite) too
        self.again = int(verdict == "whole")  # committed, killed before the job was marked done: imports 0 new
        job = jobs.job_restart(actor=self.p.worker_a, job=ImportJob.objects.get(pk=job.pk))
        job.refresh_from_db()
        if job.status == ImportStatus.PENDING:
            jobs.process(job.pk)
            job.refresh_from_db()
        return "done" if job.status == ImportStatus.DONE and not job.file else f"failed {job.status} {job.message}"


class YearClose(Operation):
    name = "year close"

    def prepare(self) -> Callable[[], object]:
        from shequ.records import services
        from shequ.records.models import YearClosure

        for closure in YearClosure.objects.filter(org=self.p.community_a, year=YEAR):  # closed last round
            services.year_reopen(actor=self.p.admin, closure=closure, reason="再次测试")
        return lambda: services.year_close(actor=self.p.leader_a, org=self.p.community_a, year=YEAR)

    def state(self) -> dict:
        from shequ.audit.models import AuditLog
        from shequ.records.models import YearClosure

        pks = [
            str(pk) for pk in YearClosure.objects.filter(org=self.p.community_a, year=YEAR).values_list("pk", flat=True)
        ]
        return {
            "closures": len(pks),
            "audit_rows": AuditLog._base_manager.filter(action="year.close", object_id__in=pks).count(),
        }

    def judge(self, before: dict, now: dict) -> str:
        return {(0, 0): "none", (1, 1): "whole"}.get((now["closures"], now["audit_rows"]), "partial")

    def rerun(self, verdict: str) -> str:
        from shequ.records import services

        try:
            services.year_close(actor=self.p.leader_a, org=self.p.community_a, year=YEAR)
        except ValidationError:
            return "refused"
        return "done"


class CaseMove(Operation):
    name = "case move (上报)"

    def prepare(self) -> Callable[[], object]:
        from shequ.cases.models import Case
        from shequ.cases.services import case_move
        from shequ.cases.tests.helpers import make_case

        self.case = make_case(self.p.worker_a, self.p.community_a, "opinion")
        pk = self.case.pk
        return lambda: case_move(actor=self.p.worker_a, case=Case.objects.get(pk=pk), action="escalate", note=NOTE)

    def state(self) -> dict:
        from shequ.audit.models import AuditLog
        from shequ.cases.models import Case

        case = Case.objects.get(pk=self.case.pk)
        return {
            "state": case.state,
            "org": case.org_id,
            "version": case.version,
            "history": case.history.count(),
            "audit_rows": AuditLog._base_manager.filter(action__startswith="case.", object_id=str(case.pk)).count(),
        }

    def judge(self, before: dict, now: dict) -> str:
        if now == before:
            return "none"
        whole = {"org": self.p.street.pk, "version": before["version"] + 1, "history": before["history"] + 1}
        whole["audit_rows"] = before["audit_rows"] + 1
        if all(now[k] == v for k, v in whole.items()):
            return "whole"
        return "partial"

    def rerun(self, verdict: str) -> str:
        from shequ.cases.models import Case
        from shequ.cases.services import case_move

        try:
            case_move(actor=self.p.worker_a, case=Case.objects.get(pk=self.case.pk), action="escalate", note=NOTE)
        except (ValidationError, PermissionDenied):  # moved already: no longer the community's to move
            return "refused"
        return "done"


# --- the parent ---------------------------------------------------------------------------------------------------


def chain_ok() -> bool:
    from shequ.audit import chain

    return chain.verify().ok


def fork(run) -> tuple[int, int]:
    """``run`` in a child process (forked: Django is set up already, each process opens its own connection); its pid
    and the read end of a pipe that gets one byte when ``run`` has returned."""
    connections.close_all()  # no connection is shared with the child
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(done_r)
        status = 1
        try:
            run()
            os.write(done_w, b"D")
            status = 0
        finally:
            os._exit(status)
    os.close(done_w)
    return pid, done_r


def settle() -> None:
    """Wait until the killed process's server sessions have ended. A client killed after sending its COMMIT leaves
    a session that may still commit; read before it ends, one count could see the commit and the next not."""
    if connection.vendor != "postgresql":
        return  # SQLite: the writer was the process itself
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(sql)
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.02)
    raise RuntimeError("the killed process's database sessions did not end")


def measure(run) -> float:
    """Seconds of one uninterrupted run in a child process."""
    pid, done_r = fork(run)
    t0 = time.perf_counter()
    ended = os.read(done_r, 1)
    took = time.perf_counter() - t0
    os.close(done_r)
    _, status = os.waitpid(pid, 0)
    if ended != b"D" or status != 0:
        raise RuntimeError("the uninterrupted run did not reach its end")
    return took


def kill_after(run, delay: float) -> bool:
    """``run`` in a child process, SIGKILLed ``delay`` seconds after it started; false when it had ended first."""
    pid, done_r = fork(run)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    settle()
    ended = os.read(done_r, 1) == b"D"
    os.close(done_r)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and not ended


def run_operation(operation: Operation, kills: int, rng: random.Random) -> dict:
    """Kill the operation ``kills`` times. A round whose process ended before its kill is checked the same way but
    does not count as a kill (at most as many of those as kills): the duration is the fastest of three runs."""
    took = min(measure(operation.prepare()) for _ in range(3))
    row = {"name": operation.name, "seconds": took, "rounds": 0, "kills": 0, "ended": 0, "before": 0, "after": 0}
    row |= {"partial": 0, "rerun_ok": 0, "problems": []}
    while row["kills"] < kills and row["ended"] <= kills:
        n = row["rounds"]
        run = operation.prepare()
        before = operation.state()
        killed = kill_after(run, rng.uniform(0, took))
        now = operation.state()
        verdict = operation.judge(before, now)
        row["rounds"] += 1
        row["kills"] += killed
        row["ended"] += not killed
        if verdict == "partial" or not chain_ok():
            row["partial"] += 1
            row["problems"].append(f"round {n}: after the kill {json.dumps(before)} -> {json.dumps(now)}")
        else:
            row["before" if verdict == "none" else "after"] += killed
        again = operation.rerun(verdict)
        final = operation.state()
        expected = {"done"} if verdict == "none" else {"done", "refused"}  # after the commit: refused or a no-op
        if again in expected and operation.judge(before, final) == "whole" and chain_ok():
            row["rerun_ok"] += 1
        else:
            row["problems"].append(f"round {n}: run again: {again}, {json.dumps(final)}")
    return row


def open_database(path: Path, pg_name: str | None) -> str:
    """Create the throwaway database and point the connection at it; its name."""
    settings = connection.settings_dict
    settings.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        settings["TEST"]["NAME"] = pg_name or f"{settings['NAME']}_kill"
    else:
        settings["TEST"]["NAME"] = str(path / "kill.sqlite3")  # a file: the child processes share it
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50, help="kills per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--import-rows", type=int, default=3000, help="rows of each imported file")
    parser.add_argument("--database", help="name of the throwaway PostgreSQL database (default: <name>_kill)")
    parser.add_argument("--only", choices=["import", "year", "case"], action="append")
    opts = parser.parse_args()

    from django.conf import settings
    from django.test.utils import setup_test_environment

    from shequ.testing.personas import build_personas

    rng = random.Random(opts.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="shequ-kill-") as tmp:
        settings.MEDIA_ROOT = str(Path(tmp) / "media")
        setup_test_environment()
        if settings.CACHES["progress"]["BACKEND"].endswith("FileBasedCache"):
            settings.CACHES["progress"]["LOCATION"] = str(Path(tmp) / "progress")
        name = open_database(Path(tmp), opts.database)
        try:
            print(f"kill -9 at random points — {connection.vendor} {name}, seed {opts.seed}", flush=True)
            print(f"  database migrated in {time.perf_counter() - started:.0f} s", flush=True)
            personas = build_personas()
            ops = {"import": Import, "year": YearClose, "case": CaseMove}
            rows = []
            for key in opts.only or list(ops):
                operation = ops[key](personas, rng, opts.import_rows)
                row = run_operation(operation, opts.rounds, rng)
                rows.append(row)
                print(
                    f"  {row['name']}: {row['rounds']} rounds, {time.perf_counter() - started:.0f} s so far", flush=True
                )
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
    return report(rows, opts.import_rows)


def report(rows: list[dict], import_rows: int) -> int:
    head = ("run s", "rounds", "killed", "before commit", "after commit", "ended first", "partial", "rerun ok")
    print(f"\n{'operation':<28}" + "".join(f"{h:>14}" for h in head))
    for r in rows:
        name = f"residents import, {import_rows} rows" if r["name"] == "residents import" else r["name"]
        cells = (f"{r['seconds']:.2f}", r["rounds"], r["kills"], r["before"], r["after"], r["ended"], r["partial"])
        pad = 28 - sum(2 if ord(ch) > 0x2E80 else 1 for ch in name)  # CJK characters take two columns
        print(name + " " * pad + "".join(f"{c:>14}" for c in (*cells, r["rerun_ok"])))
        for problem in r["problems"]:
            print("    " + problem)
    kills, partial = sum(r["kills"] for r in rows), sum(r["partial"] for r in rows)
    rerun_ok, rounds = sum(r["rerun_ok"] for r in rows), sum(r["rounds"] for r in rows)
    print(f"RESULT kills={kills} partial={partial} rerun_ok={rerun_ok}", flush=True)
    return 0 if partial == 0 and rerun_ok == rounds else 1


if __name__ == "__main__":
    sys.exit(main())
