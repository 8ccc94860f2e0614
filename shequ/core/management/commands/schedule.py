from __future__ import annotations

import logging
import signal
import time
from datetime import datetime

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from shequ.core import periodic

log = logging.getLogger("shequ.periodic")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs on their cadence, each enqueued to the task queue. Start it on every worker machine: "
        "each job's slot is claimed once in the database, so each job runs once per deployment, not once per "
        "machine. --once: one pass and stop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass over the jobs, then stop")
        parser.add_argument("--interval", type=int, default=30, help="seconds between passes (default 30)")
        parser.add_argument("--at", help="the moment to schedule for (ISO 8601, a drill), instead of now")

    def handle(self, *args, once: bool = False, interval: int = 30, at: str | None = None, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        now = datetime.fromisoformat(at) if at else None
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        while True:
            try:
                for job, slot in periodic.tick(now):
                    self.stdout.write(f"enqueued {job} {slot}", ending="\n")
                    self.stdout.flush()
            except DatabaseError:
                if once:
                    raise
                log.exception("periodic pass failed")  # the database is away: the next pass tries again
            if once or stopping:
                return
            close_old_connections()
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
