"""Small builders for the plans tests: activity types by "area/code", records, plans with targets."""

from __future__ import annotations

from datetime import date

from shequ.orgs.models import Area, Org
from shequ.plans.models import Plan, Target
from shequ.records.models import ActivityType, Record


def area(code: str) -> Area:
    return Area.objects.get_or_create(code=code, defaults={"name": code})[0]


def activity_type(code: str) -> ActivityType:
    area_code, _, type_code = code.partition("/")
    return ActivityType.objects.get_or_create(area=area(area_code), code=type_code, defaults={"name": type_code})[0]


def record(org: Org, code: str, d: date, title: str = "活动", **kw) -> Record:
    at = activity_type(code)
    return Record.objects.create(org=org, area=at.area, activity_type=at, date=d, title=title, **kw)


def plan(org: Org, year: int = 2025, area_code: str = "health", **kw) -> Plan:
    return Plan.objects.create(org=org, year=year, area=area(area_code), title=kw.pop("title", "测试计划"), **kw)


def target(p: Plan, **kw) -> Target:
    kw.setdefault("code", f"t{Target.objects.filter(plan=p).count() + 1}")
    kw.setdefault("title", "指标")
    return Target.objects.create(plan=p, **kw)
