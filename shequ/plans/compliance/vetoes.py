"""Veto targets (一票否决): the year fails when a matching record exists or when another app reports an event
(e.g. a case of a named case type)."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from django.apps import apps

from shequ.plans.compliance.facts import Facts, VetoEvent
from shequ.plans.compliance.states import Cell, Result, State, year_span
from shequ.plans.models import Target, TargetKind

VetoSource = Callable[[list[int], int, set[str]], Iterable[VetoEvent]]


def veto_sources() -> list[VetoSource]:
    """The sources of veto events that other apps declare in their ``AppConfig.veto_sources`` (e.g. cases of
    named case types): ``fn(org_ids, year, codes) -> Iterable[VetoEvent]``, called once per evaluation."""
    return [source for config in apps.get_app_configs() for source in getattr(config, "veto_sources", ())]


def veto_key(type_ids: tuple, t: Target) -> tuple:
    """Vetoes with the same key share one aggregate in the records query."""
    return (type_ids, tuple(sorted((k, tuple(v)) for k, v in (t.extra_filter or {}).items())))


def collect_events(facts: Facts, veto_specs: dict, veto_found: dict) -> None:
    """Each veto target's events: its matching records, counted per plan org, and the events of the
    registered sources for its case types."""
    vetoes = [t for t in facts.targets if t.kind == TargetKind.VETO]
    case_codes = {c for t in vetoes for c in t.case_type_codes}
    case_events: dict[tuple[int, str], list[VetoEvent]] = defaultdict(list)
    sources = veto_sources() if case_codes else []
    if sources:
        org_ids = list(facts.owners)
        for source in sources:
            for ev in source(org_ids, facts.year, case_codes):
                for owner in facts.owners.get(ev.org_id, ()):
                    case_events[(owner, ev.code)].append(ev)
    for t in vetoes:
        org_id = t.plan.org_id
        type_ids = tuple(sorted(facts.ids_of(t.activity_codes)))
        if type_ids:
            found = veto_found.get((org_id, veto_specs[veto_key(type_ids, t)]))
            if found:
                n, first = found
                facts.vetoes[t.pk].append(VetoEvent(org_id, first, f"{n}条记录", "records"))
        for code in t.case_type_codes:
            for ev in case_events.get((org_id, code), ()):
                admitted = ev.matches(t.extra_filter)
                if admitted is not False:  # a sprain with no fault does not break "no 责任事故"
                    facts.vetoes[t.pk].append(ev if admitted else replace(ev, pending=True))


def evaluate_veto(t: Target, facts: Facts) -> Result:
    ys = year_span(facts.year)
    found = facts.vetoes.get(t.pk, ())
    events = [e for e in found if not e.pending]
    pending = [e for e in found if e.pending]
    if events:
        state = State.FAIL
        note = "一票否决:" + ";".join(f"{e.date:%m-%d} {e.title}" for e in _first(events))
    elif pending:
        state = State.WARN
        note = "待认定责任:" + ";".join(f"{e.date:%m-%d} {e.title}" for e in _first(pending))
    else:
        state = State.OK if facts.today > ys.end else State.PROGRESS
        note = "未发生"
    cell = Cell("全年", ys.start, ys.end, "不发生", len(events), state, None if events else True, note)
    failed = {e.date.month for e in events}
    unsettled = {e.date.month for e in pending}
    months: list[str | None] = []
    for m in range(1, 13):
        if m in failed:
            months.append(State.FAIL)
        elif m in unsettled:
            months.append(State.WARN)
        elif date(facts.year, m, 1) > facts.today:
            months.append(State.FUTURE)
        else:
            months.append(State.OK)
    return Result(t, facts.year, [cell], cell, months)


def _first(events: list[VetoEvent], n: int = 3) -> list[VetoEvent]:
    """The earliest ``n`` events, in date order (a district's year can hold thousands)."""
    return heapq.nsmallest(n, events, key=lambda e: e.date)
