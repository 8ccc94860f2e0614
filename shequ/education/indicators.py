"""The register of learning organisations as a noun of the indicator catalogue, and the share recognised.

``education_learning_org_share``: the families, buildings and units on a community's register in the year
(listed by the year's end, not left before it) that were evaluated 优秀 or 达标 that year ÷ all of them; the
plan's target holds it against last year's figure, computed the same way (较上年提高). A template may name one
kind (学习型家庭、楼组、单位) as its population.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from shequ.core.indicators import Condition, Indicator, Measure, Noun, Period, Population, RowColumn
from shequ.education.learning_models import RECOGNISED, LearningEvaluation, LearningKind, LearningOrg


def listed_q(_value, period: Period) -> Q:
    """On the register in the period: listed by its end, not left before its start."""
    return Q(listed_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))


def recognised_q(_value, period: Period) -> Q:
    rows = LearningEvaluation.objects.filter(year=period.year, result__in=RECOGNISED).values("candidate_id")
    return Q(pk__in=rows)


def kinds_q(value, _period: Period) -> Q:
    return Q(kind__in=list(value))


LEARNING_ORGS = Noun(
    code="learning_orgs",
    name="学习型组织名册",
    model=LearningOrg,
    org="org",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "listed": Condition("本年在册", listed_q),
        "recognised": Condition("本年评为优秀或达标", recognised_q),
        "kinds": Condition("类别", kinds_q, lambda v: "类别：" + "、".join(LearningKind(k).label for k in v)),
    },
    columns=(
        RowColumn("社区", lambda r: r.org.name),
        RowColumn("类别", lambda r: r.get_kind_display()),
        RowColumn("名称", lambda r: r.name),
        RowColumn("列入名册", lambda r: r.listed_on),
    ),
    related=("org",),
    url=lambda r: reverse("education:learning_org", args=[r.pk]),
    own_org=True,
)

INDICATORS = (
    Indicator(
        code="education_learning_org_share",
        name="学习型组织占各类组织的比例",
        area="education",
        numerator=Measure("learning_orgs", "本年评为学习型组织的（优秀、达标）", {"listed": True, "recognised": True}),
        denominator=Measure("learning_orgs", "本年名册中的家庭、楼组、单位", {"listed": True}),
        populations={
            "all": Population("各类组织", {}),
            **{k.value: Population(k.label.removeprefix("学习型"), {"kinds": [k.value]}) for k in LearningKind},
        },
        needs=("学习型组织名册（家庭、楼组、单位）", "每年的评估及逐项得分"),
        note="按各类别的评分标准逐项打分，90分以上为优秀，70分以上为达标；达标即计为学习型组织。",
    ),
)
NOUNS = (LEARNING_ORGS,)
