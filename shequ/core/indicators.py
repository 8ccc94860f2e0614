"""What an app declares to the indicator catalogue (指标口径): nouns and indicators.

A **noun** is a model whose rows are counted per org: residents, records, cases, survey responses … The app
that owns the model declares it once, with the field that files each row under an org, the field that files
it in a period, and the named conditions (``Condition``) that indicators may put on its rows.

An **indicator** is a numerator ÷ denominator written as data over the nouns: each side is a
:class:`Measure` — a noun, conditions by name with plain values, and what is counted (rows, distinct values,
or a sum). Nothing in an indicator is code, so a line of work adds one by declaration::

    Indicator(
        code="opinion_reply_rate",
        name="民情民意答复率",
        area="selfgov",
        numerator=Measure("cases", "按时答复的民情民意", where={"types": ["opinion"], "answered_in_time": True}),
        denominator=Measure("cases", "到期或已答复的民情民意", where={"types": ["opinion"], "due": True}),
        needs=("民情民意事项的登记、受理和答复",),
    )

Each app lists its declarations on its ``AppConfig`` in ``ready()``: ``self.nouns = (...)``,
``self.indicators = (...)`` and, to add conditions to a noun of an app below it,
``self.noun_conditions``. ``shequ.plans.indicators`` reads them (and checks every name an indicator uses),
computes them for any set of orgs in a fixed number of queries, and lets rate targets read them.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    """The period an indicator is computed for: a year, read as of ``today`` while it runs; or the months
    ``first_month``…``last_month`` of it (an upward report's month or quarter)."""

    year: int
    today: date
    first_month: int = 1
    last_month: int = 12

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def as_of(self) -> date:
        """The day stocks (the registry) are read at: the year's end, or today while the year runs."""
        return min(self.end, max(self.today, self.start))

    def previous(self) -> Period:
        return Period(self.year - 1, self.today, self.first_month, self.last_month)


@dataclass(frozen=True)
class Condition:
    """A named filter on a noun's rows. ``q(value, period)`` gives the filter for the value an indicator
    wrote (``True`` for a plain yes/no condition); ``text(value)`` says it in Chinese for the formula.

    ``sensitive`` names the kind of profile the condition reveals (``"disability"``): the rows behind a
    measure that uses it are listed only to those who may see that kind of profile."""

    label: str
    q: Callable[[Any, Period], Q]
    text: Callable[[Any], str] | None = None
    sensitive: str = ""

    def describe(self, value: Any) -> str:
        if self.text is not None:
            return self.text(value)
        if value is True:
            return self.label
        if isinstance(value, list | tuple):
            return f"{self.label}：{'、'.join(str(v) for v in value)}"
        return f"{self.label}：{value}"


@dataclass(frozen=True)
class RowColumn:
    """A column of the page that lists the rows behind a measure."""

    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Noun:
    """A model whose rows indicators count.

    - ``org``: the field that files a row under an org (its subtree's orgs above count it too);
    - ``date``: the date field that files a row in a period; ``None`` for a stock (the registry), which
      conditions read as of the period's ``as_of`` day;
    - ``sums``: named numeric expressions that a measure may add up (an amount);
    - ``distinct``: named fields whose distinct values a measure may count (persons);
    - ``visible``: ``visible(actor, queryset)`` narrows rows to those the actor may see (the model's
      ``visible_to``); ``columns``, ``related`` and ``url`` make the page of rows behind a measure;
    - ``own_org``: rows count for the org they belong to even where it is a unit serving the residents of the org
      above it (a 卫生服务站's own staff and groups), not for the residents it serves.
    """

    code: str
    name: str
    model: Any
    org: str
    visible: Callable[[Any, Any], Any]
    date: str | None = None
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    sums: Mapping[str, tuple[str, Callable[[], Any]]] = field(default_factory=dict)
    distinct: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    columns: tuple[RowColumn, ...] = ()
    related: tuple[str, ...] = ()
    url: Callable[[Any], str] | None = None
    own_org: bool = False


@dataclass(frozen=True)
class Conditions:
    """Further conditions an app adds to another app's noun (the records app lets indicators ask which
    residents signed in to which records): merged into the noun by the catalogue."""

    noun: str
    conditions: Mapping[str, Condition]


ROWS = "rows"


@dataclass(frozen=True)
class Measure:
    """One side of an indicator, as data: rows of ``noun`` meeting every condition of ``where``, counted
    (``count="rows"``), counted by distinct ``count="distinct:<name>"``, or added up (``sum="<name>"``)."""

    noun: str
    label: str
    where: Mapping[str, Any] = field(default_factory=dict)
    count: str = ROWS
    sum: str = ""

    def with_where(self, more: Mapping[str, Any]) -> Measure:
        return Measure(self.noun, self.label, {**self.where, **more}, self.count, self.sum)

    @functools.cached_property
    def key(self) -> tuple:
        """Measures with the same key are computed once."""
        return (self.noun, _frozen(self.where), self.count, self.sum)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class Population:
    """A population a template may name for an indicator (常住人口18–60岁): conditions added to both sides."""

    label: str
    where: Mapping[str, Any]


@dataclass(frozen=True)
class Indicator:
    """numerator ÷ denominator × ``scale``, per org and ``period`` (a year: everything is filed under the year
    of its own date). Without a denominator the indicator is a count (``scale`` 1, a unit such as 个, 人 or 次):
    the groups a community has formed, the staff a centre has, the meetings a group held.

    - ``populations``: the denominators a template may choose between (the first is the default); their
      conditions are added to both sides, so the numerator counts within the same population;
    - ``sample``: what counts as the sample size when a template sets a minimum (样本不足 below it);
    - ``interval``: a sample survey: the value gets a 95% Wilson interval;
    - ``measured``: the value is a measurement made once (a closed survey): a value below the target fails
      at once; otherwise the value accumulates through the year and fails only when the year is over;
    - ``source``: ``source(org_ids, period)`` → ``{org_id: [(label, url)]}``, links to where the figures come
      from (the surveys behind a 知晓率), read in one query;
    - ``needs``: the data the indicator needs, in words (shown in the catalogue);
    - ``figures``: ``figures(org_ids, period)`` → ``{org_id: (numerator, denominator)}``, for a figure no measure
      over one noun can count (the eight key prevention items per term, which read each school's calendar): the
      declaring app computes it in a fixed number of queries; the measures then only name the sides, and the
      rows behind the numerator are listed from its measure.
    """

    code: str
    name: str
    area: str
    numerator: Measure
    denominator: Measure | None
    unit: str = "%"
    scale: int = 100
    period: str = "year"
    needs: tuple[str, ...] = ()
    note: str = ""
    populations: Mapping[str, Population] = field(default_factory=dict)
    sample: Measure | None = None
    interval: bool = False
    measured: bool = False
    source: Callable[[list[int], Period], Mapping[int, list[tuple[str, str]]]] | None = None
    figures: Callable[[list[int], Period], Mapping[int, tuple[Any, Any]]] | None = None

    def population(self, key: str = "") -> Population | None:
        if not self.populations:
            return None
        return self.populations.get(key) or next(iter(self.populations.values()))

    @property
    def is_count(self) -> bool:
        return self.denominator is None

    def sides(self, population: str = "") -> tuple[Measure, Measure | None]:
        pop = self.population(population)
        if pop is None:
            return self.numerator, self.denominator
        den = self.denominator.with_where(pop.where) if self.denominator is not None else None
        return self.numerator.with_where(pop.where), den
