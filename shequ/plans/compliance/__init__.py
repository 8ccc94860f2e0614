"""Compliance (达标情况): every target of every org in scope, every period, in a handful of queries.

Records are counted in SQL, grouped by (org, activity type, half month) — and by ISO week only when a
weekly target exists — for all targets at once; Python then folds those few buckets into each target's
periods (see :mod:`shequ.plans.periods`). A record counts for the plan of its own org and of every org
above it that has a plan (a grid's records count for its community), the same subtree the record list's
``org`` filter shows. Queries per evaluation, whatever the number of orgs and targets: activity types,
org paths, half-month counts, [week counts], [deadline records], [veto records], [rate entries],
[last year's entries], [tasks], [a kind of group's meetings] — at most ten; and for computed targets
(:mod:`.indicators`) the org paths, the orgs of their subtrees and one query per distinct measure of the indicator
catalogue (twice when a change needs last year's figure).

The parts: ``states`` (what a period shows and how periods combine), ``facts`` (what is loaded),
``counting`` (the records queries and count targets), ``deadlines``, ``vetoes`` and ``values`` (rates and
changes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from shequ.plans.compliance.counting import evaluate_count, load_records, load_terms
from shequ.plans.compliance.deadlines import evaluate_deadline, load_task_done
from shequ.plans.compliance.facts import Facts, VetoEvent
from shequ.plans.compliance.indicators import evaluate_indicator, load_indicators
from shequ.plans.compliance.meetings import load_meetings
from shequ.plans.compliance.states import Cell, Result, State, combine
from shequ.plans.compliance.values import evaluate_value, load_entries
from shequ.plans.compliance.vetoes import evaluate_veto
from shequ.plans.models import Target, TargetKind

__all__ = [
    "EVAL_FIELDS",
    "Cell",
    "Result",
    "State",
    "VetoEvent",
    "combine",
    "evaluate",
]

# The target columns an evaluation reads: ``Target.objects.select_related("plan").only(*EVAL_FIELDS)``
# loads a district's targets cheaply when only their states are wanted (dashboards, reminders).
EVAL_FIELDS = (
    "version",
    "code",
    "title",
    "kind",
    "activity_codes",
    "period",
    "months",
    "in_term",
    "min_per_period",
    "min_per_year",
    "threshold",
    "max_value",
    "due_month",
    "due_day",
    "window_days",
    "keywords",
    "extra_filter",
    "case_type_codes",
    "indicator",
    "population",
    "comparison",
    "min_sample",
    "unit",
    "baseline",
    "owner_id",
    "plan__year",
    "plan__org_id",
    "plan__area_id",
)


EVALUATORS = {
    TargetKind.COUNT: evaluate_count,
    TargetKind.RATE: evaluate_value,
    TargetKind.CHANGE: evaluate_value,
    TargetKind.DEADLINE: evaluate_deadline,
    TargetKind.VETO: evaluate_veto,
    TargetKind.INDICATOR: evaluate_indicator,
}


def evaluate(targets: Iterable[Target], *, today: date | None = None) -> dict[int, Result]:
    """Compliance of ``targets`` (with ``plan`` loaded), grouped by their plans' years."""
    today = today or timezone.localdate()
    by_year: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        by_year[t.plan.year].append(t)
    results: dict[int, Result] = {}
    for year, group in by_year.items():
        facts = Facts(group, year, today)
        load_records(facts)
        load_terms(facts)
        load_meetings(facts)
        load_entries(facts)
        load_task_done(facts)
        load_indicators(facts)
        for t in group:
            results[t.pk] = EVALUATORS[TargetKind(t.kind)](t, facts)
    return results
