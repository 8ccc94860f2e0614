"""Registered documents as a noun of the indicator catalogue, and the targets they answer: a line of work's annual
plan, assessment standards and reward rules adopted in time, its rules and its emergency plans in force."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from shequ.core.indicators import Condition, Indicator, Measure, Noun, RowColumn
from shequ.documents.models import DocKind, Document


def _by(value: str, period) -> Q:
    """Adopted by ``MM-DD`` of the period's year."""
    month, day = (int(x) for x in value.split("-"))
    return Q(adopted_on__lte=date(period.year, month, day))


def _kinds_text(v) -> str:
    return "类别：" + "、".join(DocKind(k).label for k in v)


DOCUMENTS = Noun(
    code="documents",
    name="制度文件",
    model=Document,
    org="org",
    date="adopted_on",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "kind": Condition("类别", lambda v, _p: Q(kind__in=list(v)), _kinds_text),
        "area": Condition("条线", lambda v, _p: Q(area__code__in=list(v))),
        "adopted_by": Condition("通过日期不晚于", _by, lambda v: f"{v.split('-')[0]}月{v.split('-')[1]}日前通过"),
        "in_force": Condition("现行有效", lambda _v, p: Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=p.as_of)),
    },
    distinct={"kind": ("类别", "kind")},
    columns=(
        RowColumn("名称", lambda d: d.title),
        RowColumn("类别", lambda d: d.get_kind_display()),
        RowColumn("版本", lambda d: f"第{d.version}版"),
        RowColumn("通过日期", lambda d: d.adopted_on),
    ),
    related=("org",),
    url=lambda d: reverse("documents:detail", args=[d.pk]),
    own_org=True,
)

NOUNS = (DOCUMENTS,)

INDICATORS = (
    Indicator(
        code="health_plan_documents",
        name="健康教育计划、考核标准、奖惩措施制订类别数",
        area="health",
        numerator=Measure(
            "documents",
            "一季度末前通过的健康教育计划、考核标准、奖惩措施（按类别计）",
            {"kind": ["plan", "standard", "reward"], "area": ["health"], "adopted_by": "03-31"},
            count="distinct:kind",
        ),
        denominator=None,
        unit="类",
        scale=1,
        needs=("制度文件：健康教育条线登记的年度计划、考核标准、奖惩措施及其通过日期",),
        note="计数：本年3月31日前通过的工作计划、考核标准、奖惩措施各算一类，三类齐全为3。",
    ),
    Indicator(
        code="disability_rules_documents",
        name="残疾人康复工作规章制度和工作计划类别数",
        area="disability",
        numerator=Measure(
            "documents",
            "本年通过的残疾人康复规章制度、工作计划（按类别计）",
            {"kind": ["rule", "plan"], "area": ["disability"], "in_force": True},
            count="distinct:kind",
        ),
        denominator=None,
        unit="类",
        scale=1,
        needs=("制度文件：残疾人康复条线登记的规章制度和年度工作计划",),
        note="计数：本年通过且现行有效的规章制度、工作计划各算一类，两类齐全为2。",
    ),
)
