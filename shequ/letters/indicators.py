"""Responsibility letters as a noun of the indicator catalogue, and the 签订率 targets they answer: letters signed
÷ letters issued in the year, over the org's subtree (a street counts its own letter and its communities')."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from shequ.core.indicators import Condition, Indicator, Measure, Noun, RowColumn
from shequ.letters.models import Letter

LETTERS = Noun(
    code="letters",
    name="责任书",
    model=Letter,
    org="org",
    date="issued_on",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "kind": Condition("责任书", lambda v, _p: Q(kind__code__in=list(v))),
        "signed": Condition("已签订", lambda _v, p: Q(signed_on__isnull=False, signed_on__lte=p.as_of)),
    },
    columns=(
        RowColumn("责任书", lambda x: x.kind.name),
        RowColumn("责任单位/责任人", lambda x: x.holder_text),
        RowColumn("发出日期", lambda x: x.issued_on),
        RowColumn("签订日期", lambda x: x.signed_on or "未签订"),
    ),
    related=("kind", "holder_org"),
    url=lambda x: reverse("letters:detail", args=[x.pk]),
    own_org=True,
)

NOUNS = (LETTERS,)


def signed_rate(code: str, name: str, area: str, kind: str, kind_name: str) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=area,
        numerator=Measure("letters", f"已签订的{kind_name}", {"kind": [kind], "signed": True}),
        denominator=Measure("letters", f"本年发出的{kind_name}", {"kind": [kind]}),
        needs=(f"责任书：本年逐级发出的{kind_name}及其签订",),
        note="本年发出的责任书中已签订的比例（含下级单位、各级人员）；未发出责任书时分母为0。",
    )


INDICATORS = (
    signed_rate("school_letter_rate", "学校安全工作责任书签订率", "school", "school-safety", "学校安全工作责任书"),
    signed_rate("safety_letter_rate", "平安建设目标责任书签订率", "safety", "safety-goals", "平安建设目标责任书"),
)
