"""Records as a noun of the indicator catalogue, the residents' sign-ins as a condition on persons, and the
indicators records answer: rehabilitation coverage, the needs survey, the training rate and funds per resident.

Meetings, visits, training sessions and funds are records: an indicator counts them by type (``"area/code"``,
as targets name them), by the values of their extra fields, and adds up the amounts of funds records; the
persons signed in to a record are its attendance.
"""

from __future__ import annotations

from django.db.models import DecimalField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse

from shequ.core.indicators import Condition, Conditions, Indicator, Measure, Noun, Period, Population, RowColumn
from shequ.records.catalogue import FUNDS_TYPE, SPENDING
from shequ.records.models import Record


def types_q(codes, prefix: str = "") -> Q:
    """Records of the activity types named "area/code"."""
    q = Q(pk__in=[])
    for code in codes:
        area_code, _, type_code = str(code).partition("/")
        q |= Q(**{f"{prefix}activity_type__area__code": area_code, f"{prefix}activity_type__code": type_code})
    return q


def _types_text(codes) -> str:
    return "类型：" + "、".join(str(c) for c in codes)


def extra_q(value, _period: Period) -> Q:
    """Extra fields with one of the given values: ``{"flow": ["支出"]}``."""
    q = Q()
    for name, allowed in value.items():
        q &= Q(**{f"extra__{name}__in": list(allowed)})
    return q


def _extra_text(value) -> str:
    return "；".join(f"{k}为{'或'.join(v)}" for k, v in value.items())


def amount():
    return Cast(KT("extra__amount"), DecimalField(max_digits=14, decimal_places=2))


def signed_in_q(codes, period: Period) -> Q:
    """Persons signed in to a record of these types in the period (a semi-join: a person counts once)."""
    through = Record.persons.through
    rows = through.objects.filter(
        types_q(codes, "record__"), record__date__gte=period.start, record__date__lte=period.end
    ).values("person_id")
    return Q(pk__in=rows)


RECORDS = Noun(
    code="records",
    name="工作记录",
    model=Record,
    org="org",
    date="date",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "types": Condition("活动类型", lambda v, _p: types_q(v), _types_text),
        "extra": Condition("附加信息", extra_q, _extra_text),
    },
    sums={"amount": ("金额（元）", amount)},
    columns=(
        RowColumn("日期", lambda r: r.date),
        RowColumn("单位", lambda r: r.org.name),
        RowColumn("类型", lambda r: r.activity_type.name),
        RowColumn("主题", lambda r: r.title),
        RowColumn("金额（元）", lambda r: r.extra.get("amount", "")),
    ),
    related=("org", "activity_type"),
    url=lambda r: reverse("records:detail", args=[r.pk]),
)

NOUNS = (RECORDS,)
NOUN_CONDITIONS = (
    Conditions(
        "persons",
        {"signed_in": Condition("签到参加", signed_in_q, lambda v: "签到参加：" + "、".join(str(c) for c in v))},
    ),
)

REHAB_TARGETS = {"living": True, "rehab_target": True}
TRAINING_TYPES = ["education/training", "education/lecture", "education/remote"]
LIVING_RESIDENTS = {"living": True, "status": ["huji", "changzhu"]}
MIGRANT_WORKERS = {"living": True, "status": ["liudong", "jizhu"], "age": [16, 60]}

INDICATORS = (
    Indicator(
        code="disability_rehab_coverage",
        name="残疾人康复服务覆盖率",
        area="disability",
        numerator=Measure(
            "persons", "本年接受康复服务的康复对象", {**REHAB_TARGETS, "signed_in": ["disability/rehab_service"]}
        ),
        denominator=Measure("persons", "康复对象（持证残疾人与无证康复对象）", REHAB_TARGETS),
        needs=("残疾人档案（是否持证、基本需求）", "康复服务记录及其服务对象（签到名单）"),
        note="康复覆盖率 = 康复服务总人数 ÷ （持证残疾人总数 + 无证康复对象）（深圳社区康复需求汇总表口径）。",
    ),
    Indicator(
        code="disability_needs_survey",
        name="康复需求入户调查登记率",
        area="disability",
        numerator=Measure(
            "persons",
            "本年已入户调查的残疾人",
            {"living": True, "disabled": True, "signed_in": ["disability/needs_survey"]},
        ),
        denominator=Measure("persons", "在册残疾人", {"living": True, "disabled": True}),
        needs=("残疾人档案", "康复需求入户调查记录及其调查对象（签到名单）"),
    ),
    Indicator(
        code="education_training_rate",
        name="社区居民教育培训率",
        area="education",
        numerator=Measure("persons", "本年参加培训的居民（不重复）", {"signed_in": TRAINING_TYPES}),
        denominator=Measure("persons", "居民"),
        populations={
            "adults": Population("常住人口（18–60岁）", {**LIVING_RESIDENTS, "age": [18, 60]}),
            "residents": Population("常住人口", LIVING_RESIDENTS),
            "elderly": Population("常住老年人（60岁以上）", {**LIVING_RESIDENTS, "age": [60, None]}),
            # Target groups of the courses, sized from the registry.
            "migrants": Population("外来务工人员（流动、寄住，16–60岁）", MIGRANT_WORKERS),
            "disabled": Population("在册残疾人", {"living": True, "disabled": True}),
        },
        needs=("社区教育培训班、讲座、远程教育记录的签到名单", "居民档案（居住状态、出生日期）"),
        note="分子为签到名单中属于分母人群的不重复居民。",
    ),
    Indicator(
        code="education_funds_per_resident",
        name="社区教育经费（按常住人口人均）",
        area="education",
        numerator=Measure(
            "records",
            "本年社区教育经费支出",
            {"types": [f"education/{FUNDS_TYPE}"], "extra": {"flow": [SPENDING]}},
            sum="amount",
        ),
        denominator=Measure("persons", "常住人口", LIVING_RESIDENTS),
        unit="元/人",
        scale=1,
        needs=("经费收支记录（社区教育条线，支出，附凭证）", "居民档案（常住人口）"),
    ),
)
