"""The figures behind a year's computed and veto items, for many orgs at once in a fixed number of queries: one
grouped query per distinct measure or indicator (the indicator catalogue's machinery) and one for the veto cases."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from shequ.assessment.models import Rubric
from shequ.assessment.scoring import kind_of
from shequ.cases.vetoes import cases_of_named_types
from shequ.core.indicators import Measure, Period
from shequ.orgs.models import Org, subtree_q
from shequ.plans.compliance import EVAL_FIELDS, Result, evaluate
from shequ.plans.indicators import registry
from shequ.plans.indicators.compute import Fold, compute, measures_by_org
from shequ.plans.models import PlanStatus, Target


def _is_target(item: dict) -> bool:
    return kind_of(item) == "computed" and "target" in item["source"]


def targets(rubrics: list[Rubric], orgs: list[Org], year: int) -> dict[tuple[int, str, str], tuple[Result | None, str]]:
    """``{(org id, rubric code, item code): (result, url)}`` for every item read from a target: the compliance of the
    target of that code in the org's plan of the year (published or draft), and its page (None, "": no such target).
    One query for the targets and compliance's own fixed number for all of them."""
    codes = {i["source"]["target"] for r in rubrics for i in r.items if _is_target(i)}
    ids = [o.pk for o in orgs]
    if not codes or not ids:
        return {}
    found = list(
        Target.objects.filter(
            plan__org_id__in=ids,
            plan__year=year,
            plan__status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED],
            code__in=codes,
        )
        .select_related("plan", "plan__org")
        .only(*EVAL_FIELDS, "plan__org__path")
    )
    results = evaluate(found)
    by_key = {(t.plan.org_id, t.code): t for t in found}
    out: dict[tuple[int, str, str], tuple[Result | None, str]] = {}
    for r in rubrics:
        for item in r.items:
            if not _is_target(item):
                continue
            for pk in ids:
                t = by_key.get((pk, item["source"]["target"]))
                out[(pk, r.code, item["code"])] = (
                    (results[t.pk], reverse("plans:target_detail", args=[t.pk])) if t else (None, "")
                )
    return out


def _measure(source: dict) -> Measure | None:
    spec = source.get("measure")
    if not spec:
        return None
    return Measure(spec["noun"], "", spec.get("where", {}), spec.get("count", "rows"), spec.get("sum", ""))


def figures(rubrics: list[Rubric], orgs: list[Org], year: int) -> dict[tuple[int, str, str], Decimal | None]:
    """``{(org id, rubric code, item code): figure}`` for every computed item (None: a rate without data)."""
    ids = [o.pk for o in orgs]
    if not ids:
        return {}
    period = Period(year, timezone.localdate())
    fold = Fold.load(ids)
    nouns = registry.nouns()
    measures: dict[tuple, Measure] = {}
    asks = []
    for r in rubrics:
        for item in r.items:
            if kind_of(item) != "computed" or _is_target(item):
                continue
            m = _measure(item["source"])
            if m is not None:
                measures.setdefault(m.key, m)
            else:
                asks += [(item["source"]["indicator"], "", pk) for pk in ids]
    by_measure = measures_by_org(measures, period, fold, nouns)
    found = compute(asks, period, fold=fold) if asks else {}
    out: dict[tuple[int, str, str], Decimal | None] = {}
    for r in rubrics:
        for item in r.items:
            if kind_of(item) != "computed" or _is_target(item):
                continue
            m = _measure(item["source"])
            for pk in ids:
                if m is not None:
                    out[(pk, r.code, item["code"])] = by_measure[m.key][pk]
                else:
                    fig = found.get((item["source"]["indicator"], "", pk))
                    out[(pk, r.code, item["code"])] = fig.value if fig is not None else None
    return out


def vetoes(rubrics: list[Rubric], orgs: list[Org], year: int) -> dict[tuple[int, str, str], list[tuple[str, str]]]:
    """``{(org id, rubric code, item code): [(title, url)]}``: the year's cases that trigger each veto item, in the
    org or anywhere below it (a grid's case counts for its community)."""
    codes = {c for r in rubrics for i in r.items if kind_of(i) == "veto" for c in i["veto"]["cases"]}
    if not codes or not orgs:
        return {}
    q = subtree_q(orgs[0].path)
    for o in orgs[1:]:
        q |= subtree_q(o.path)
    paths = dict(Org.objects.filter(q).values_list("pk", "path"))
    owner = {pk: next((o.pk for o in orgs if path.startswith(o.path)), None) for pk, path in paths.items()}
    events = cases_of_named_types(list(paths), year, codes)
    out: dict[tuple[int, str, str], list[tuple[str, str]]] = {}
    for e in events:
        org_id = owner.get(e.org_id)
        for r in rubrics:
            for i in r.items:
                if kind_of(i) == "veto" and e.code in i["veto"]["cases"] and org_id is not None:
                    out.setdefault((org_id, r.code, i["code"]), []).append((f"{e.date:%Y-%m-%d} {e.title}", e.url))
    return out
