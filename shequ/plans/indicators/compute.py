"""Computing indicators for many orgs at once: one grouped query per distinct measure, whatever the number
of orgs.

Each measure (a noun, its conditions, what is counted) is aggregated in SQL by the org its rows are filed
under, over the subtrees of the orgs asked for; Python then adds each org's figure into every asked org at or
above it (a grid's residents count for its community, its street and its district). Distinct counts are added
the same way, so a distinct field must belong to one org (a resident to their community): it does for the
nouns Shequ declares.

Queries per computation: the asked orgs' paths, the orgs of their subtrees, one per distinct measure, and
one per indicator that declares a ``source`` — plus those a condition makes to resolve its value (a survey
condition finds each org's latest closed survey).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum
from django.db.models.constants import LOOKUP_SEP

from shequ.core.indicators import ROWS, Indicator, Measure, Noun, Period
from shequ.core.stats import wilson
from shequ.orgs.models import Org, served_path, subtree_q
from shequ.plans.indicators import registry

MAX_ROOTS = 12
# A few measures read together keep to the rows one of them counts (``OR`` of their conditions), so that the index
# of a narrow one serves (two kinds of records of ten million); more than this read the noun's rows once: the OR of
# the registry's fifteen conditions made PostgreSQL's read of a million residents 2.5 times slower.
NARROW_GROUP = 3
ZERO = Decimal(0)
ONE = Decimal(1)  # the denominator of a count


def coarsen(paths: list[str], limit: int = MAX_ROOTS) -> list[str]:
    """The minimal subtrees that cover ``paths``; when there are many (a district's 200 communities),
    their parents instead, level by level, so that rows are filtered by a few index ranges. Rows of orgs
    this lets in that no asked org is above are dropped when they are added up."""
    roots: list[str] = []
    for p in sorted(paths):
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    while len(roots) > limit:
        parents = sorted({r[: r.rstrip("/").rfind("/") + 1] or r for r in roots})
        if parents == roots:
            break
        roots = [p for p in parents if not any(p.startswith(q) and p != q for q in parents)]
    return roots


@dataclass
class Fold:
    """Which asked orgs each org of their subtrees counts for: itself and every asked org above it, and a
    serving unit (a 卫生服务站) for the org it serves rather than for its own subtree. ``own`` is the plain fold,
    for nouns that belong to an org itself (a unit's own groups and staff), where a serving unit counts its own."""

    owners: dict[int, list[int]] = field(default_factory=dict)
    own: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, org_ids: Iterable[int]) -> Fold:
        asked = set(org_ids)
        fold = cls()
        if not asked:
            return fold
        paths = []
        serving: dict[int, list[int]] = defaultdict(list)  # the org a serving unit serves -> those units
        for pk, path, kind, unit_type in Org.objects.filter(pk__in=asked).values_list(
            "pk", "path", "kind", "unit_type"
        ):
            served = served_path(path, kind, unit_type)
            paths.append(served)
            if served != path:
                serving[_last_id(served)].append(pk)
        units = {u for us in serving.values() for u in us}
        q = Q()
        for root in coarsen(sorted(paths)):
            q |= subtree_q(root)
        for pk, path in Org.objects.filter(q).values_list("pk", "path"):
            above = [int(p) for p in path.strip("/").split("/")]
            owners = [i for i in above if i in asked and i not in units]
            owners += [u for i in above for u in serving.get(i, ())]
            if owners:
                fold.owners[pk] = owners
            own = [i for i in above if i in asked]
            if own:
                fold.own[pk] = own
        return fold

    @property
    def counted(self) -> list[int]:
        return sorted(self.owners.keys() | self.own.keys())


def _last_id(path: str) -> int:
    return int(path.strip("/").rsplit("/", 1)[-1])


def conditions(noun: Noun, m: Measure, period: Period) -> list[Q]:
    """A measure's conditions in ``period`` (a condition may read the database to resolve its value)."""
    return [noun.conditions[name].q(value, period) for name, value in m.where.items()]


def measure_queryset(
    noun: Noun, m: Measure, period: Period, qs: QuerySet | None = None, *, where: list[Q] | None = None
) -> QuerySet:
    """The rows of a measure in ``period`` (all orgs): the noun's date in the year, and every condition (``where``:
    the measure's :func:`conditions`, when the caller has them already)."""
    qs = noun.model._default_manager.all() if qs is None else qs
    if noun.date:
        qs = qs.filter(**{f"{noun.date}__gte": period.start, f"{noun.date}__lte": period.end})
    for q in conditions(noun, m, period) if where is None else where:
        qs = qs.filter(q)  # one filter each: a multi-valued relation's conditions may hold on different rows
    return qs


def _aggregate(m: Measure, noun: Noun, where: Q | None = None):
    if m.sum:
        return Sum(noun.sums[m.sum][1](), filter=where)
    if m.count != ROWS:
        return Count(noun.distinct[m.count.removeprefix("distinct:")][1], distinct=True, filter=where)
    return Count("pk", filter=where)


def _paths(q: Q) -> Iterator[str | None]:
    """The field paths ``q`` follows (None for an expression it cannot see into; a subquery joins nothing here)."""
    for child in q.children:
        if isinstance(child, Q):
            yield from _paths(child)
        elif isinstance(child, Subquery):
            continue
        elif isinstance(child, tuple):
            lookup, value = cast(tuple[str, Any], child)
            yield lookup
            if isinstance(value, F):
                yield value.name
        else:
            yield None


def _single_valued(model, q: Q | None) -> bool:
    """Whether ``q`` follows only relations with one row at the far end (a foreign key, a one-to-one): then it can
    be a filter of its own aggregate in a query shared with other measures, whose rows it does not multiply."""
    for path in _paths(q or Q()):
        if path is None:
            return False
        opts = model._meta
        for name in path.split(LOOKUP_SEP):
            try:
                f = opts.get_field(name)
            except FieldDoesNotExist:
                break  # a lookup or a transform: the path's fields end here
            if not f.is_relation:
                break
            if f.many_to_many or f.one_to_many:
                return False
            opts = f.related_model._meta
    return True


def measures_by_org(
    measures: Mapping[tuple, Measure], period: Period, fold: Fold, nouns: dict[str, Noun]
) -> dict[tuple, dict[int, Decimal]]:
    """Every measure for every asked org. The measures of one noun whose conditions follow only single-valued
    relations share one grouped query, each its own filtered aggregate (``COUNT(*) FILTER (WHERE …)``): the
    registry's fifteen measures are one read of the residents, not fifteen. The others are a query each."""
    out: dict[tuple, dict[int, Decimal]] = {}
    shared: dict[str, list[tuple[tuple, Measure, Q | None]]] = defaultdict(list)
    for key, m in measures.items():
        noun = nouns[m.noun]
        where = conditions(noun, m, period)
        both = reduce(operator.and_, where) if where else None
        if len(where) > 0 and not _single_valued(noun.model, both):
            out[key] = measure_by_org(m, period, fold, nouns, where=where)
        else:
            shared[m.noun].append((key, m, both))
    for code, group in shared.items():
        out.update(_together(nouns[code], group, period, fold))
    return out


def _together(noun: Noun, group: list[tuple[tuple, Measure, Q | None]], period: Period, fold: Fold) -> dict:
    """The measures of ``group`` (key, measure, its conditions as one) in one grouped query."""
    counted = fold.counted
    if not counted:
        return {key: defaultdict(lambda: ZERO) for key, _, _ in group}
    qs = measure_queryset(noun, Measure(noun.code, ""), period).filter(**{f"{noun.org}__in": counted})
    wheres = [where for _, _, where in group]
    if len(group) <= NARROW_GROUP and all(w is not None for w in wheres):
        qs = qs.filter(reduce(operator.or_, cast(list[Q], wheres)))
    return _by_org(noun, qs, {key: _aggregate(m, noun, where) for key, m, where in group}, fold)


def _by_org(noun: Noun, qs: QuerySet, aggregates: dict[tuple, Any], fold: Fold) -> dict[tuple, dict[int, Decimal]]:
    """Each of ``aggregates`` over ``qs`` grouped by the rows' org, every org's figure added into each asked org it
    counts for."""
    out: dict[tuple, dict[int, Decimal]] = {key: defaultdict(lambda: ZERO) for key in aggregates}
    names = {f"m{i}": aggregate for i, aggregate in enumerate(aggregates.values())}
    owners = fold.own if noun.own_org else fold.owners
    for org_id, *figures in qs.order_by().values_list(noun.org).annotate(**names).values_list(noun.org, *names):
        for key, n in zip(aggregates, figures, strict=True):
            if n:
                for owner in owners.get(org_id, ()):
                    out[key][owner] += Decimal(n)
    return out


def measure_by_org(
    m: Measure, period: Period, fold: Fold, nouns: dict[str, Noun], *, where: list[Q] | None = None
) -> dict[int, Decimal]:
    """The measure for every asked org: one grouped query, folded up the tree."""
    noun = nouns[m.noun]
    counted = fold.counted
    if not counted:
        return defaultdict(lambda: ZERO)
    qs = measure_queryset(noun, m, period, where=where).filter(**{f"{noun.org}__in": counted})
    return _by_org(noun, qs, {m.key: _aggregate(m, noun)}, fold)[m.key]


@dataclass
class Figure:
    """One indicator for one org and period: its numerator, denominator and what follows from them."""

    indicator: Indicator
    org_id: int
    period: Period
    numerator: Decimal
    denominator: Decimal
    sample: int | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        """A count always has its figure (0 is a figure); a rate has none while its denominator is 0."""
        return self.indicator.is_count or self.denominator > 0

    @property
    def value(self) -> Decimal | None:
        """numerator ÷ denominator × scale, to two decimals; None when the denominator is zero (无数据)."""
        if not self.has_data:
            return None
        v = self.numerator / self.denominator * self.indicator.scale
        return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """The 95% Wilson interval, on the indicator's scale, for sample indicators. With a sample size (the
        respondents of a survey whose rate counts their answers), the interval is the rate's over the
        respondents: answers of one person are not independent draws, so their count would overstate the
        precision."""
        if not self.indicator.interval or not self.has_data:
            return None
        n = float(self.denominator)
        p = float(self.numerator) / n
        if self.sample:
            n = float(self.sample)
        found = wilson(p * n, n)
        if found is None:
            return None
        q = Decimal("0.1")
        low, high = (Decimal(str(v * self.indicator.scale)).quantize(q, rounding=ROUND_HALF_UP) for v in found)
        return low, high

    @property
    def text(self) -> str:
        v = self.value
        if v is None:
            return "无数据"
        return f"{v.normalize():f}{self.indicator.unit}"


Ask = tuple[str, str, int]  # (indicator code, population, org id)


def compute(asks: Iterable[Ask], period: Period, *, fold: Fold | None = None) -> dict[Ask, Figure]:
    """Every asked indicator for every asked org in ``period``, in a fixed number of queries (``fold``: the
    orgs' subtrees when the caller has them already)."""
    asks = list(dict.fromkeys(asks))
    catalogue = registry.indicators()
    nouns = registry.nouns()
    asks = [a for a in asks if a[0] in catalogue]
    if fold is None:
        fold = Fold.load({org_id for _c, _p, org_id in asks})
    measures: dict[tuple, Measure] = {}
    computed: dict[str, Mapping[int, tuple]] = {}
    for code in {a[0] for a in asks}:
        ind = catalogue[code]
        if ind.figures is not None:
            computed[code] = ind.figures(sorted({a[2] for a in asks if a[0] == code}), period)
    for code, population, _org in asks:
        ind = catalogue[code]
        if code in computed:
            continue
        for m in (*ind.sides(population), ind.sample):
            if m is not None:
                measures.setdefault(m.key, m)
    values = measures_by_org(measures, period, fold, nouns)
    sources: dict[str, dict] = {}
    for code in {a[0] for a in asks}:
        ind = catalogue[code]
        if ind.source is not None:
            sources[code] = dict(ind.source(sorted({a[2] for a in asks if a[0] == code}), period))
    out: dict[Ask, Figure] = {}
    for ask in asks:
        code, population, org_id = ask
        ind = catalogue[code]
        if code in computed:
            top, bottom = computed[code].get(org_id, (ZERO, ZERO))
            out[ask] = Figure(indicator=ind, org_id=org_id, period=period, numerator=top, denominator=bottom)
            continue
        num, den = ind.sides(population)
        sample = int(values[ind.sample.key][org_id]) if ind.sample is not None else None
        out[ask] = Figure(
            indicator=ind,
            org_id=org_id,
            period=period,
            numerator=values[num.key][org_id],
            denominator=values[den.key][org_id] if den is not None else ONE,
            sample=sample,
            sources=list(sources.get(code, {}).get(org_id, ())),
        )
    return out


def this_and_last(asks: Iterable[Ask], period: Period) -> tuple[dict[Ask, Figure], dict[Ask, Figure]]:
    """The asked figures in ``period`` and in the year before (a "较上年" page), the orgs' subtrees loaded once."""
    asks = list(asks)
    fold = Fold.load({org_id for _c, _p, org_id in asks})
    return compute(asks, period, fold=fold), compute(asks, period.previous(), fold=fold)


def rows(actor, ind: Indicator, population: str, side: str, org: Org, period: Period) -> tuple[Measure, QuerySet]:
    """The rows behind one side of an indicator for ``org``'s subtree, as far as the actor may see them."""
    num, den = ind.sides(population)
    found = {"numerator": num, "denominator": den}[side]
    if found is None:
        raise LookupError(f"{ind.code} is a count: it has no denominator")
    m = found
    noun = registry.nouns()[m.noun]
    sensitive = frozenset(noun.conditions[name].sensitive for name in m.where if noun.conditions[name].sensitive)
    served = org.path if noun.own_org else served_path(org.path, org.kind, org.unit_type)
    org_ids = list(Org.objects.filter(subtree_q(served)).values_list("pk", flat=True))
    qs = noun.visible(actor, noun.model._default_manager.all(), sensitive)
    qs = measure_queryset(noun, m, period, qs).filter(**{f"{noun.org}__in": org_ids})
    if noun.related:
        qs = qs.select_related(*noun.related)
    return m, qs


def describe(m: Measure) -> str:
    """The measure in words: 居民（残疾人；“五清”齐全）的数量."""
    noun = registry.nouns().get(m.noun)
    if noun is None:
        return m.label
    parts = [noun.conditions[k].describe(v) for k, v in m.where.items() if k in noun.conditions]
    what = noun.name + (f"（{'；'.join(parts)}）" if parts else "")
    if m.sum:
        return f"{what}的{noun.sums[m.sum][0]}合计"
    if m.count != ROWS:
        return f"{what}的{noun.distinct[m.count.removeprefix('distinct:')][0]}数（不重复）"
    return f"{what}的数量"
