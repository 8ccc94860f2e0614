"""The facts an evaluation reads, loaded once per year for all its targets (see :mod:`.counting`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from shequ.plans.models import Target


@dataclass(frozen=True)
class VetoEvent:
    org_id: int
    date: date
    title: str
    code: str
    url: str = ""


class Facts:
    """Everything the evaluation needs, loaded in a fixed number of queries."""

    def __init__(self, targets: Sequence[Target], year: int, today: date):
        self.year = year
        self.today = today
        self.targets = targets
        self.type_ids: dict[str, int] = {}
        self.plan_org_ids = {t.plan.org_id for t in targets}
        self.halves: dict[tuple[int, int], list[int]] = {}
        self.weeks: dict[tuple[int, int], list[int]] = {}
        self.deadline_done: dict[int, date] = {}
        self.vetoes: dict[int, list[VetoEvent]] = defaultdict(list)  # target id -> events
        self.latest: dict[int, tuple[Decimal, date]] = {}
        self.last_year: dict[tuple[int, str], Decimal] = {}
        self.task_done: dict[int, date] = {}
        self.fold: Any = None  # the plan orgs' subtrees (shequ.plans.indicators.compute.Fold), once loaded
        self.owners: dict[int, list[int]] = {}
        self.figures: dict[int, Any] = {}  # target id -> this year's computed Figure
        self.last_figures: dict[int, Any] = {}  # target id -> last year's, for a change without a baseline

    def ids_of(self, codes: Iterable[str]) -> list[int]:
        return [self.type_ids[c] for c in codes if c in self.type_ids]
