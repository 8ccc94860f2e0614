"""Pre-filling a report: each field's formula computed for many orgs and one period in a fixed number of
queries (one grouped query per distinct measure, through the indicator catalogue's machinery)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from shequ.core.indicators import Measure, Period
from shequ.plans.indicators import registry
from shequ.plans.indicators.compute import Fold, compute, measures_by_org
from shequ.reports.models import ReportForm
from shequ.reports.periods import ReportPeriod


def measure_of(formula: dict) -> Measure | None:
    spec = formula.get("measure")
    if not spec:
        return None
    return Measure(spec["noun"], "", spec.get("where", {}), spec.get("count", "rows"), spec.get("sum", ""))


def formula_problems(form: ReportForm) -> list[str]:
    """Names a form's formulas use that the catalogue does not know (shown to the administrator)."""
    nouns, catalogue, out = registry.nouns(), registry.indicators(), []
    for f in form.fields:
        formula = f.get("formula") or {}
        m = measure_of(formula)
        if m is not None:
            noun = nouns.get(m.noun)
            if noun is None:
                out.append(f"{f['label']}：未知的统计对象 {m.noun}")
            else:
                out += [f"{f['label']}：未知的条件 {c}" for c in m.where if c not in noun.conditions]
        code = formula.get("indicator")
        if code and code not in catalogue:
            out.append(f"{f['label']}：未知的指标 {code}")
    return out


def _number(value: Decimal | None, kind: str):
    if value is None:
        return None
    if kind == "int":
        return int(value)
    return str(value.quantize(Decimal("0.01")))


def prefill(form: ReportForm, period: ReportPeriod, org_ids: list[int]) -> dict[int, dict]:
    """``{org_id: {field code: computed value}}`` for the fields with a formula; a rate without data is None."""
    if not org_ids or formula_problems(form):
        return {pk: {} for pk in org_ids}
    span = Period(period.year, timezone.localdate(), period.first_month, period.last_month)
    fold = Fold.load(org_ids)
    nouns = registry.nouns()
    out: dict[int, dict] = {pk: {} for pk in org_ids}
    measures: dict[tuple, Measure] = {}
    asks = []
    for f in form.fields:
        formula = f.get("formula") or {}
        m = measure_of(formula)
        if m is not None:
            measures.setdefault(m.key, m)
        elif formula.get("indicator"):
            asks += [(formula["indicator"], "", pk) for pk in org_ids]
    by_measure = measures_by_org(measures, span, fold, nouns)
    figures = compute(asks, span, fold=fold) if asks else {}
    for f in form.fields:
        formula = f.get("formula") or {}
        kind = f.get("kind", "int")
        m = measure_of(formula)
        for pk in org_ids:
            if m is not None:
                out[pk][f["code"]] = _number(by_measure[m.key][pk], kind)
            elif formula.get("indicator"):
                fig = figures.get((formula["indicator"], "", pk))
                value = None if fig is None else (fig.numerator if fig.indicator.is_count else fig.value)
                out[pk][f["code"]] = _number(value, kind)
    return out
