"""Helpers for the groups' tests: a group of 社区A with residents for members."""

from __future__ import annotations

from datetime import date

from shequ.groups import services
from shequ.groups.models import Group, GroupKind
from shequ.orgs.models import Area
from shequ.residents.models import Person

_numbers = iter(range(1, 10_000_000))


def residents(org, n: int, grid=None) -> list[Person]:
    return [
        Person.objects.create(org=org, grid=grid, name=f"成员{next(_numbers)}", gender="M", birth_date=date(1970, 1, 1))
        for _ in range(n)
    ]


def kind(code: str) -> GroupKind:
    return GroupKind.objects.get(code=code)


def group(
    actor,
    org,
    *,
    area: str = "health",
    kind_code: str = "leading",
    name: str = "健康教育领导小组",
    members: int = 0,
    founded: date = date(2026, 1, 10),
    roles: list[str] | None = None,
    categories: list[str] | None = None,
) -> Group:
    """A group with ``members`` residents: the first with the kind's head role, the rest with ``roles`` or
    the kind's last role."""
    g = services.group_create(
        actor=actor,
        org=org,
        area=Area.objects.get(code=area),
        kind=kind(kind_code),
        name=name,
        founded_on=founded,
        term_start=founded,
        term_end=date(founded.year + 3, 12, 31),
    )
    for i, person in enumerate(residents(org, members)):
        role = (roles[i] if roles and i < len(roles) else None) or (g.kind.roles[0] if i == 0 else g.kind.roles[-1])
        category = (categories[i % len(categories)] if categories else "") if g.kind.categories else ""
        services.member_add(actor=actor, group=g, person=person, role=role, category=category, joined_on=founded)
    return g


def meeting(
    actor, g: Group, *, present: int | None = None, excused: int = 0, day: date = date(2026, 3, 1), code: str = ""
):
    """A meeting of ``g`` with the first ``present`` members present (all by default), the next ``excused``
    excused and the rest absent."""
    from shequ.groups import meetings
    from shequ.records.models import ActivityType

    members = meetings.in_office(g, day)
    n = len(members) if present is None else present
    statuses = ["present"] * n + ["excused"] * excused
    attendance = {m.pk: (statuses[i] if i < len(statuses) else "absent") for i, m in enumerate(members)}
    kind = ActivityType.objects.get(
        area=g.area, code=code or ("council" if g.area.code == "selfgov" else "group_meeting")
    )
    return meetings.meeting_create(
        actor=actor, group=g, activity_type=kind, date=day, title=f"{g.name}会议", attendance=attendance,
        agenda=["研究年度计划"], minutes="会议研究了年度工作。",
    )  # fmt: skip
