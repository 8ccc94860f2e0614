"""Helpers for the education tests: a 社区学校 under 社区A, a lecturer with a teacher account, a course, learners."""

from __future__ import annotations

from datetime import date, time

from shequ.accounts.roles import Role
from shequ.education import services
from shequ.education.models import Course, Lecturer
from shequ.orgs.models import OrgKind, UnitType
from shequ.residents.models import Person
from shequ.testing.factories import OrgFactory, member

_numbers = iter(range(1, 10_000_000))


def school(community, name: str = "社区A社区学校"):
    return OrgFactory(name=name, kind=OrgKind.UNIT, unit_type=UnitType.COMMUNITY_SCHOOL, parent=community)


def residents(org, n: int, *, born: date = date(1970, 1, 1), **kw) -> list[Person]:
    return [
        Person.objects.create(org=org, name=f"学员{next(_numbers)}", gender="F", birth_date=born, **kw)
        for _ in range(n)
    ]


def lecturer(actor, org, *, name: str = "马老师", with_account: bool = True) -> Lecturer:
    user = member(org, Role.TEACHER, username=f"t_{next(_numbers)}", name=name) if with_account else None
    return services.lecturer_create(actor=actor, org=org, name=name, unit="区老年大学", user=user)


def course(
    actor,
    org,
    *,
    teacher: Lecturer | None = None,
    title: str = "智能手机使用班",
    capacity: int = 20,
    days: list[date] | None = None,
    target_group: str = "elderly",
) -> Course:
    teacher = teacher or lecturer(actor, org)
    days = days or [date(2026, 3, 5), date(2026, 3, 12)]
    return services.course_create(
        actor=actor, org=org, title=title, target_group=target_group, teacher=teacher, place="社区活动室",
        capacity=capacity, sessions=[(d, time(19), time(21), "") for d in days],
    )  # fmt: skip
