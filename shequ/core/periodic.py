"""The periodic jobs, run once per deployment: ``manage.py schedule`` may run on every machine, each job's slot
(its day, or its few minutes) is claimed in the database before the job is enqueued, and the unique (job, slot)
row lets only one scheduler have it. The task queue's workers then run the job's management command.

A daily job is due from its time of day (``TIME_ZONE``) to the end of that day: a scheduler started late in the
day still runs a job that no scheduler ran that day; a job every N minutes has one slot each N minutes.
"""

from __future__ import annotations

import io
import logging
import socket
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from shequ.core.models import PeriodicRun

log = logging.getLogger("shequ.periodic")
KEEP_CLAIMS_DAYS = 30


@dataclass(frozen=True)
class Job:
    name: str  # the management command
    at: time | None = None  # daily at this local time
    every_minutes: int = 0  # or every N minutes
    args: tuple[str, ...] = field(default=())

    def slot(self, now: datetime) -> str | None:
        """The slot ``now`` falls in, or None while the job is not due (a daily job before its time)."""
        local = timezone.localtime(now)
        if self.every_minutes:
            minutes = (local.hour * 60 + local.minute) // self.every_minutes * self.every_minutes
            return f"{local.date().isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}"
        assert self.at is not None
        return local.date().isoformat() if local.time() >= self.at else None


def schedule() -> list[Job]:
    """The periodic jobs (README's table), in the order a day runs them."""
    jobs = [
        Job("plans_standings", every_minutes=5),  # more often than PLANS_STANDING_MAX_AGE
        Job("cases_supervise", at=time(0, 30)),
        Job("care_tally", at=time(1, 0)),
        Job("plans_campaigns", at=time(1, 30)),
        Job("anonymise_persons", at=time(2, 0)),
        Job("purge_import_files", at=time(2, 30)),
        Job("audit_verify", at=time(4, 0)),
        Job("plans_reminders", at=time(6, 30)),  # the bell, before the offices open: tasks due, reports owed
    ]
    if settings.AUDIT_PRUNE_DAYS:
        jobs.append(Job("prune_audit", at=time(3, 0), args=("--days", str(settings.AUDIT_PRUNE_DAYS))))
    return jobs


def tick(now: datetime | None = None) -> list[tuple[str, str]]:
    """Claim and enqueue every job due at ``now`` that no scheduler has claimed; the (job, slot) pairs claimed."""
    now = now or timezone.now()
    host = socket.gethostname()
    claimed = []
    for job in schedule():
        slot = job.slot(now)
        if slot is None:
            continue
        try:
            # The claim and the enqueue commit together (the database queue's row is in the same transaction): a
            # scheduler that fails between them leaves the slot to the next pass. On RQ the job is in Redis before
            # the claim commits: a commit that fails then (the database lost mid-pass) lets a later pass enqueue
            # the slot again.
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, slot=slot, host=host)
                result = run_periodic.enqueue(job.name)
                PeriodicRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        except IntegrityError:
            continue  # another scheduler has it
        log.info("periodic job enqueued", extra={"task": job.name, "task_id": str(result.id)})
        claimed.append((job.name, slot))
    PeriodicRun.objects.filter(claimed_at__lt=now - timedelta(days=KEEP_CLAIMS_DAYS)).delete()
    return claimed


@task()
def run_periodic(name: str) -> str:
    """Run one periodic job's command in the task worker; what it printed (its last 2,000 characters)."""
    [job] = [j for j in schedule() if j.name == name]
    out = io.StringIO()
    call_command(job.name, *job.args, stdout=out, stderr=out)
    return out.getvalue()[-2000:]
