"""Run by test_import_killed in a process of its own: process one import job, or count the registry's rows.

``python killed_import.py process JOB [slow]``: with ``slow``, the process stops after its first batch of persons
is written (inside the import's transaction) and waits to be killed.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from shequ.residents import bulk  # noqa: E402
from shequ.residents.imports import jobs  # noqa: E402
from shequ.residents.models import Household, ImportJob, Person  # noqa: E402


def main() -> None:
    if sys.argv[1] == "count":
        job = ImportJob.objects.get(pk=int(sys.argv[2]))
        print(f"COUNT {Person.objects.count()} {Household.objects.count()} {job.status}", flush=True)
        return
    if len(sys.argv) > 3 and sys.argv[3] == "slow":
        real = bulk.BackgroundInserts.add

        def first_batch_then_wait(self, rows, *before):
            real(self, rows, *before)
            self.wait()  # the batch is in the table (inside the import's transaction)
            print("WRITING", flush=True)
            time.sleep(120)

        bulk.BackgroundInserts.add = first_batch_then_wait
    job = ImportJob.objects.get(pk=int(sys.argv[2]))
    if job.status != "pending":
        job = jobs.job_restart(actor=job.created_by, job=job)
    else:
        jobs.process(job.pk)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
