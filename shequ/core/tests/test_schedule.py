"""The periodic jobs run once per deployment: ``manage.py schedule`` on every machine enqueues each job's slot (its
day, or its few minutes) once, whoever claims it first; the task worker runs the job's command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shequ.core import periodic
from shequ.core.models import PeriodicRun
from shequ.testing.killed import child_env

ROOT = Path(__file__).resolve().parents[3]
DAILY = [j.name for j in periodic.schedule() if j.at]


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))  # TIME_ZONE (Asia/Shanghai)


def test_a_daily_job_is_due_from_its_time_to_the_end_of_the_day_and_a_frequent_one_each_few_minutes():
    daily = periodic.Job("plans_reminders", at=time(6, 30))
    assert daily.slot(at("2026-03-02T06:29")) is None
    assert daily.slot(at("2026-03-02T06:30")) == daily.slot(at("2026-03-02T23:59")) == "2026-03-02"
    assert daily.slot(at("2026-03-03T07:00")) == "2026-03-03"
    frequent = periodic.Job("plans_standings", every_minutes=5)
    assert frequent.slot(at("2026-03-02T10:00")) == frequent.slot(at("2026-03-02T10:04")) == "2026-03-02T10:00"
    assert frequent.slot(at("2026-03-02T10:05")) == "2026-03-02T10:05"


def test_the_jobs_are_the_periodic_commands(settings):
    assert [j.name for j in periodic.schedule()] == [
        "plans_standings",
        "cases_supervise",
        "care_tally",
        "plans_campaigns",
        "anonymise_persons",
        "purge_import_files",
        "audit_verify",
        "plans_reminders",
    ]
    settings.AUDIT_PRUNE_DAYS = 400
    assert periodic.schedule()[-1] == periodic.Job("prune_audit", at=time(3, 0), args=("--days", "400"))


@pytest.mark.django_db
def test_each_slot_is_enqueued_once_however_often_the_scheduler_passes():
    first = periodic.tick(at("2026-03-02T07:00"))
    assert sorted(first) == sorted([("plans_standings", "2026-03-02T07:00")] + [(n, "2026-03-02") for n in DAILY])
    assert periodic.tick(at("2026-03-02T07:01")) == []  # the same slots: nothing again
    assert periodic.tick(at("2026-03-02T07:05")) == [("plans_standings", "2026-03-02T07:05")]
    assert periodic.tick(at("2026-03-03T00:10")) == [("plans_standings", "2026-03-03T00:10")]  # before 00:30
    tasks = DBTaskResult.objects.filter(task_path="shequ.core.periodic.run_periodic")
    assert tasks.count() == PeriodicRun.objects.count() == len(first) + 2
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted([*DAILY, *["plans_standings"] * 3])
    assert {str(t.pk) for t in tasks} == set(PeriodicRun.objects.values_list("task_id", flat=True))


@pytest.mark.django_db
def test_the_worker_runs_the_jobs_command():
    out = periodic.run_periodic.call("audit_verify")
    assert out.strip().endswith("审计日志完整。")


@pytest.mark.django_db(transaction=True)  # the schedulers are processes of their own, on the test's database
def test_two_schedulers_started_at_once_enqueue_each_due_job_once(tmp_path):
    env = child_env(tmp_path)
    started = [
        subprocess.Popen(  # noqa: S603 - this interpreter, our manage.py, fixed arguments
            [sys.executable, "manage.py", "schedule", "--once", "--at", moment],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for moment in ["2026-03-02T07:00", "2026-03-02T07:02"] * 2  # two machines, twice each
    ]
    outputs = [p.communicate(timeout=120) for p in started]
    assert all(p.returncode == 0 for p in started), [err[-2000:] for _, err in outputs]
    enqueued = [line.split()[1:] for out, _ in outputs for line in out.splitlines() if line.startswith("enqueued ")]
    expected = sorted([["plans_standings", "2026-03-02T07:00"]] + [[n, "2026-03-02"] for n in DAILY])
    assert sorted(enqueued) == expected  # every due job, by one scheduler or another, none by two
    if connection.vendor == "sqlite":
        with sqlite3.connect(env["SQLITE_PATH"]) as db:
            claims = db.execute("SELECT job, slot FROM core_periodicrun").fetchall()
            paths = db.execute("SELECT task_path FROM django_tasks_database_dbtaskresult").fetchall()
    else:
        claims = list(PeriodicRun.objects.values_list("job", "slot"))
        paths = list(DBTaskResult.objects.values_list("task_path"))
    assert sorted(map(list, claims)) == expected
    assert paths == [("shequ.core.periodic.run_periodic",)] * len(expected)
