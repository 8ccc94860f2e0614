"""The facts an evaluation reads, loaded once per year for all its targets (see :mod:`.counting`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shequ.plans.models import Target

# A fact an event's source has not settled yet (a liability still to be determined): the veto warns.
UNSETTLED = "待认定"


@dataclass(frozen=True)
class VetoEvent:
    """Something that breaks a veto target: on ``date`` (when it happened), at ``org_id``. ``facts`` are what
    the source knows of it (a case's ``level`` and ``liable``), read by the target's ``extra_filter``."""

    org_id: int
    date: date
    title: str
    code: str
    url: str = ""
    facts: dict = field(default_factory=dict)
    pending: bool = False  # a fact the filter reads is 待认定: it may break the veto once settled

    def matches(self, extra_filter: dict | None) -> bool | None:
        """Whether the target's filter admits this event: True, False, or None while a fact it reads is
        unsettled. A fact the source does not know is not filtered on."""
        unsettled = False
        for key, allowed in (extra_filter or {}).items():
            if key not in self.facts:
                continue
            if self.facts[key] == UNSETTLED:
                unsettled = True
            elif self.facts[key] not in allowed:
                return False
        return None if unsettled else True


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
        self.term_months: dict[int, tuple[int, ...]] = {}  # plan org id -> its months in term (school calendar)
        self.terms: dict[int, tuple[tuple[date, date], ...]] = {}  # plan org id -> its terms (first, last day)
        # (plan org id, group kinds) -> (activity type id, date) of the groups' meetings (compliance.meetings)
        self.meetings: dict[tuple[int, tuple[str, ...]], list[tuple[int, date]]] = {}
        # (period kind, months, months in term) -> a count target's periods as of today (compliance.counting)
        self.windows: dict[tuple, Any] = {}

    def ids_of(self, codes: Iterable[str]) -> list[int]:
        return [self.type_ids[c] for c in codes if c in self.type_ids]
