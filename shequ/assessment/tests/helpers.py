"""Builders for the assessment tests: a community's plan of the year with one target a rubric item reads."""

from __future__ import annotations

from shequ.orgs.models import Org
from shequ.plans.models import PlanStatus, Target
from shequ.plans.tests.helpers import activity_type, plan, target


def plan_target(org: Org, year: int, area: str, code: str, types: list[str], **spec) -> Target:
    """A published plan of ``org``'s ``area`` for ``year`` holding a count target ``code`` over ``types``."""
    for t in types:
        activity_type(t)
    p = plan(org, year=year, area_code=area, status=PlanStatus.PUBLISHED)
    spec.setdefault("min_per_period", 1)
    return target(p, code=code, kind="count", activity_codes=types, **spec)
