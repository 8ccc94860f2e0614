"""Conditions the report forms' formulas put on the cases noun (mediated, succeeded, major disputes; rectified
and major hazards), added to the indicator catalogue's ``cases`` noun."""

from __future__ import annotations

from django.db.models import Q

from shequ.cases.choices import HazardLevel, MediationOutcome, RiskLevel
from shequ.core.indicators import Condition, Conditions

NOUN_CONDITIONS = (
    Conditions(
        "cases",
        {
            "mediated": Condition(
                "已调处（有调解结果）", lambda _v, _p: ~Q(dispute__outcome="") & Q(dispute__isnull=False)
            ),
            "mediation_succeeded": Condition("调解成功", lambda _v, _p: Q(dispute__outcome=MediationOutcome.SUCCESS)),
            "major_dispute": Condition(
                "重大纠纷（或高风险）", lambda _v, _p: Q(dispute__is_major=True) | Q(dispute__risk_level=RiskLevel.HIGH)
            ),
            "rectified": Condition("已整改", lambda _v, _p: Q(hazard__rectified_on__isnull=False)),
            "major_hazard": Condition("重大隐患", lambda _v, _p: Q(hazard__level=HazardLevel.MAJOR)),
        },
    ),
)
