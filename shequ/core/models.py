from django.db import models


class PeriodicRun(models.Model):
    """One slot of a periodic job, claimed by the scheduler that enqueued it (``shequ/core/periodic.py``): the
    unique (job, slot) pair makes a second scheduler's claim of the same slot fail, so each runs once."""

    job = models.CharField(max_length=64)
    slot = models.CharField(max_length=32)
    claimed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    host = models.CharField(max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_periodic_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"
