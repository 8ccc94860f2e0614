"""The registry as a noun of the indicator catalogue (``persons``), and the indicators it alone answers.

Persons are a stock: conditions read the registry as of the period's ``as_of`` day (the year's end, or today
while the year runs). A person counts for their community (and the street and district above it).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shequ.core.indicators import Condition, Indicator, Measure, Noun, Period, RowColumn
from shequ.residents.models import Person, ResidenceStatus
from shequ.residents.visibility import profile_q

# 常住人口: those who live here, registered here or not (流动 and 寄住 residents are counted apart).
RESIDENT_STATUSES = [ResidenceStatus.HUJI, ResidenceStatus.CHANGZHU]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def living_q(_value, period: Period) -> Q:
    """On the register at ``as_of``: moved in by then, not moved out, not deceased."""
    day = period.as_of
    return (
        (Q(moved_in_on__isnull=True) | Q(moved_in_on__lte=day))
        & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=day))
        & (Q(is_deceased=False) | Q(deceased_on__gt=day))
    )


def age_q(value, period: Period) -> Q:
    """Aged ``[low, high]`` full years at ``as_of`` (either bound may be None)."""
    low, high = value
    day = period.as_of
    q = Q(birth_date__isnull=False)
    if low is not None:
        q &= Q(birth_date__lte=_years_before(day, low))
    if high is not None:
        q &= Q(birth_date__gt=_years_before(day, high + 1))
    return q


def _age_text(value) -> str:
    low, high = value
    if low is not None and high is not None:
        return f"{low}–{high}岁"
    return f"{low}岁以上" if low is not None else f"{high}岁以下"


def five_clear_q(_value, _period: Period) -> Q:
    """The 五清 filled in: family, economic, disability, rehabilitation situations and the needs."""
    return (
        Q(disability__isnull=False)
        & ~Q(disability__family_situation="")
        & ~Q(disability__economic_situation="")
        & ~Q(disability__disability_situation="")
        & ~Q(disability__rehabilitation_situation="")
        & ~Q(disability__needs=[])
    )


def rehab_target_q(_value, _period: Period) -> Q:
    """康复对象 (domain-formats §2.3): disabled residents with a card, and those without one who need
    rehabilitation (无证康复对象)."""
    return Q(disability__isnull=False) & (Q(disability__has_card=True) | Q(disability__needs__icontains='"rehab"'))


def visible_persons(actor, qs, sensitive: frozenset[str]):
    """Persons the actor may see; with a disability condition, only where they may see disability profiles."""
    qs = qs.visible_to(actor)
    for kind in sensitive:
        q = profile_q(actor, kind, field="org")
        qs = qs.none() if q is None else qs.filter(q)
    return qs


def _age(p: Person) -> str:
    if not p.birth_date:
        return ""
    today = timezone.localdate()
    return str(today.year - p.birth_date.year - ((today.month, today.day) < (p.birth_date.month, p.birth_date.day)))


PERSONS = Noun(
    code="persons",
    name="居民",
    model=Person,
    org="org",
    visible=visible_persons,
    conditions={
        "living": Condition("在册（未迁出、未故）", living_q),
        "status": Condition(
            "居住状态",
            lambda v, _p: Q(residence_status__in=list(v)),
            lambda v: "、".join(str(ResidenceStatus(s).label) for s in v),
        ),
        "age": Condition("年龄", age_q, _age_text),
        "disabled": Condition("残疾人", lambda _v, _p: Q(disability__isnull=False), sensitive="disability"),
        "five_clear": Condition("“五清”齐全", five_clear_q, sensitive="disability"),
        "rehab_target": Condition("康复对象（持证或有康复需求）", rehab_target_q, sensitive="disability"),
        "staff": Condition("工作人员", lambda _v, _p: Q(staff__isnull=False)),
    },
    distinct={"person": ("居民", "pk")},
    columns=(
        RowColumn("姓名", lambda p: p.name),
        RowColumn("社区/村", lambda p: p.org.name),
        RowColumn("网格", lambda p: p.grid.name if p.grid_id else ""),
        RowColumn("性别", lambda p: p.get_gender_display()),
        RowColumn("年龄", _age),
        RowColumn("居住状态", lambda p: p.get_residence_status_display()),
    ),
    related=("org", "grid"),
    url=lambda p: reverse("residents:detail", args=[p.pk]),
)

NOUNS = (PERSONS,)

DISABLED = {"living": True, "disabled": True}

INDICATORS = (
    Indicator(
        code="disability_five_clear",
        name="残疾人“五清”率",
        area="disability",
        numerator=Measure("persons", "“五清”齐全的残疾人", {**DISABLED, "five_clear": True}),
        denominator=Measure("persons", "在册残疾人", DISABLED),
        needs=("居民档案中的残疾人档案：家庭、经济、残疾、康复情况和基本需求",),
        note="五清：家庭状况、经济状况、残疾状况、康复状况、需求状况均已登记。",
    ),
)
