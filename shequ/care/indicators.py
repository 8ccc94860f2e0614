"""Care in the indicator catalogue: the visits due (``DueVisit``, one row per person, group and closed period of
their schedule) as a noun, and visit completion — visits done within their period ÷ visits due, leaving out people
who moved away or died — as an indicator per line of work, which targets read."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from shequ.care.catalogue import CATEGORY_NAMES
from shequ.care.models import DueVisit, NeedsAssessment, ServicePlan
from shequ.core.indicators import Condition, Conditions, Indicator, Measure, Noun, Period, RowColumn

REHAB_TARGETS = {"living": True, "rehab_target": True}
SPECIAL = [c for c in CATEGORY_NAMES if c != "disability"]


def _categories_text(value) -> str:
    return f"人群：{'、'.join(CATEGORY_NAMES.get(c, c) for c in value)}"


DUE = Noun(
    code="care_due",
    name="应走访（人·周期）",
    model=DueVisit,
    org="org",
    date="period_end",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "categories": Condition("人群", lambda v, _p: Q(category__in=list(v)), _categories_text),
        "visited": Condition("周期内已走访", lambda _v, _p: Q(visited_on__isnull=False)),
    },
    columns=(
        RowColumn("姓名", lambda d: d.person.name),
        RowColumn("人群", lambda d: d.get_category_display()),
        RowColumn("周期", lambda d: f"{d.period_start:%Y-%m-%d}至{d.period_end:%Y-%m-%d}"),
        RowColumn("走访日期", lambda d: d.visited_on or "未走访"),
        RowColumn("帮扶人", lambda d: (d.helper.name or d.helper.username) if d.helper else "未结对"),
    ),
    related=("person", "helper"),
    url=lambda d: reverse("care:person", args=[d.person_id]),
)


def _rate(code: str, name: str, area: str, categories: list[str], needs: str) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=area,
        numerator=Measure("care_due", "周期内已走访的应访人次", where={"categories": categories, "visited": True}),
        denominator=Measure("care_due", "应访人次", where={"categories": categories}),
        needs=(needs,),
        note="按走访周期（人群×等级）计算已结束的周期；迁出、死亡的对象只计其在册的完整周期。",
    )


def filed_q(_value, period: Period) -> Q:
    """建档立卡: a needs assessment (入户需求调查) by the period's ``as_of`` day and a service plan of its year, both in
    the disability group: what the 建档立卡 card prints."""
    assessed = NeedsAssessment.objects.filter(category="disability", surveyed_on__lte=period.as_of)
    planned = ServicePlan.objects.filter(category="disability", year=period.year)
    return Q(pk__in=assessed.values("person_id")) & Q(pk__in=planned.values("person_id"))


NOUNS = (DUE,)
NOUN_CONDITIONS = (
    Conditions(
        "persons",
        {"care_filed": Condition("已建档立卡（入户需求调查和本年服务计划）", filed_q, sensitive="disability")},
    ),
)
INDICATORS = (
    Indicator(
        code="care_disability_filed_rate",
        name="有康复需求的残疾人建档立卡率",
        area="disability",
        numerator=Measure("persons", "已建档立卡的康复对象", {**REHAB_TARGETS, "care_filed": True}),
        denominator=Measure("persons", "康复对象（持证残疾人与无证康复对象）", REHAB_TARGETS),
        needs=("残疾人档案（是否持证、康复需求）", "入户需求调查表", "本年服务计划"),
        note="建档立卡 = 有入户需求调查表，并有本年度的服务计划（建档立卡卡片所印内容）。",
    ),
    _rate("care_disability_visit_rate", "残疾人帮扶走访完成率", "disability", ["disability"],
          "残疾人档案、帮扶走访/康复服务记录（签到名单中的服务对象）"),
    _rate("care_special_visit_rate", "特殊人群帮教走访完成率", "safety", SPECIAL,
          "特殊人群档案（风险等级）、特殊人群帮教记录（签到名单中的对象）"),
)  # fmt: skip
