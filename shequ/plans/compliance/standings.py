"""Targets' last worked-out states (``plans.TargetStanding``), for the dashboards of large scopes.

:func:`standings` answers "what state is each of these targets in, and what does it lack this period" from the
stored rows that are still fresh (worked out today, for the target's current version, at most
``PLANS_STANDING_MAX_AGE`` seconds ago) and works out, and stores, only the rest. :func:`refresh` works out every
target of a year, a batch at a time: ``manage.py plans_standings`` (or the ``refresh_standings`` task) runs it
every few minutes, so that a street's or a district's workbench reads one row per target and never counts the
district's records while a leader waits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from shequ.plans.compliance import Result, State, evaluate, kept
from shequ.plans.models import PlanStatus, Target, TargetStanding

BATCH = 2000
# How long one request may hold the right to work out a set of aged standings before another may take it over.
WORKING_OUT_SECONDS = 120


@dataclass(frozen=True)
class Standing:
    """A target's overall state (``None``: nothing to judge yet), what it lacks now ("" when not at risk) and the
    year's done and expected: what the overview shows of a :class:`Result` (it reads ``total`` like one)."""

    target: Target
    state: str | None
    lacks: str
    done: str | None
    expected: str | None
    computed_at: datetime

    @property
    def total(self) -> Standing:
        return self

    @property
    def state_label(self) -> str:
        return State.LABELS.get(self.state, "—") if self.state else "—"

    @classmethod
    def of(cls, target: Target, result: Result, today: date, at: datetime) -> Standing:
        """A result as kept."""
        done, expected = result.total.done, result.total.expected
        return cls(
            target=target,
            state=result.state,
            lacks=at_risk(result, today)[:200],
            done=None if done is None else str(done)[:24],
            expected=None if expected is None else str(expected)[:24],
            computed_at=at,
        )


def _current(result: Result, today: date):
    """The period of a result that holds today (else the year)."""
    return next((c for c in result.periods if c.start and c.start <= today <= c.end), result.total)


def at_risk(result: Result, today: date) -> str:
    """What a target at risk lacks, as people say it: "11月还差1次"; "" when it is not at risk."""
    cell = _current(result, today)
    if cell.state == State.WARN:
        return f"{cell.label}{cell.note or cell.state_label}"
    if result.total.state == State.WARN:
        return f"全年{result.total.note or result.total.state_label}"
    return ""


def _store(targets: list[Target], results: dict[int, Result], today: date) -> dict[int, Standing]:
    now = timezone.now()
    made = {t.pk: Standing.of(t, results[t.pk], today, now) for t in targets}
    rows = [
        TargetStanding(
            target_id=t.pk,
            target_version=t.version,
            state=s.state or "",
            lacks=s.lacks,
            done="" if s.done is None else s.done,
            expected="" if s.expected is None else s.expected,
            computed_on=today,
            computed_at=now,
        )
        for t, s in ((t, made[t.pk]) for t in targets)
    ]
    TargetStanding.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["target"],
        update_fields=["target_version", "state", "lacks", "done", "expected", "computed_on", "computed_at"],
    )
    return made


def working_out_key(target_ids) -> str:
    """The cache key one request holds while it works out these targets' aged standings."""
    ids = ",".join(map(str, sorted(target_ids)))
    return "plans:standings:" + hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()


def standings(targets: list[Target], *, today: date | None = None) -> dict[int, Standing]:
    """The state of each target (loaded with ``plan`` and ``EVAL_FIELDS``): stored where fresh, else worked out
    now and stored. Two queries when all are fresh.

    Standings kept today for the target's version but older than ``PLANS_STANDING_MAX_AGE`` are worked out again
    by one request at a time: while one does (a street's targets can take seconds), the others asking for the
    same targets get the kept ones rather than each counting the street's records again."""
    today = today or timezone.localdate()
    if not targets:
        return {}
    oldest = timezone.now() - timedelta(seconds=settings.PLANS_STANDING_MAX_AGE)
    by_pk = {t.pk: t for t in targets}
    out: dict[int, Standing] = {}
    aged: dict[int, Standing] = {}
    stored = TargetStanding.objects.filter(target_id__in=list(by_pk), computed_on=today)
    for pk, version, state, lacks, done, expected, at in stored.values_list(
        "target_id", "target_version", "state", "lacks", "done", "expected", "computed_at"
    ):
        if by_pk[pk].version == version:
            (out if at >= oldest else aged)[pk] = Standing(
                by_pk[pk], state or None, lacks, done or None, expected or None, at
            )
    stale = [t for t in targets if t.pk not in out]
    if not stale:
        return out
    if len(aged) < len(stale):  # some have nothing usable kept: work them all out now
        out.update(_store(stale, evaluate(stale, today=today), today))
        return out
    key = working_out_key(aged)
    if not cache.add(key, 1, timeout=WORKING_OUT_SECONDS):
        out.update(aged)  # another request is working these out
        return out
    try:
        out.update(_store(stale, evaluate(stale, today=today), today))
    finally:
        cache.delete(key)
    return out


def refresh(year: int | None = None, *, today: date | None = None) -> int:
    """Work out and store every target of ``year``'s draft and published plans, a batch at a time (a batch's
    targets lie side by side in the tree, so its queries stay narrow); returns how many."""
    today = today or timezone.localdate()
    year = year or today.year
    wanted = Target.objects.filter(plan__year=year, plan__status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED]).order_by(
        "plan__org__path", "pk"
    )
    done = 0
    for batch in kept.batches(wanted, BATCH):
        _store(batch, evaluate(batch, today=today), today)
        done += len(batch)
    return done


def refresh_kept(today: date | None = None) -> dict[str, int]:
    """Every other figure kept for the dashboards of large scopes, worked out again: the sources apps declare as
    ``kept_figures`` on their AppConfig (callables of today returning how many figures they kept; care's
    本月未走访 per community). Returns how many each source kept, by app label."""
    today = today or timezone.localdate()
    done: dict[str, int] = {}
    for config in apps.get_app_configs():
        for source in getattr(config, "kept_figures", ()):
            done[config.label] = done.get(config.label, 0) + source(today)
    return done


@task()
def refresh_standings() -> int:
    """The job run every few minutes: the same code as ``manage.py plans_standings`` (targets' states, then the
    figures other apps keep)."""
    n = refresh()
    refresh_kept()
    return n
