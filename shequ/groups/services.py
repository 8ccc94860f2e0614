"""Every write to groups: found a group, start its next term (换届), add members and record their leaving.
Meetings and resolutions are written by :mod:`shequ.groups.meetings`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import STAFF_ROLES, Perm
from shequ.audit.services import audit
from shequ.groups.models import Group, GroupKind, GroupMember, GroupTerm
from shequ.orgs.models import Area, Org, OrgKind
from shequ.residents.models import Person

MAX_TERM_YEARS = 10


def check_manage(actor: User, group: Group) -> None:
    """Groups are kept by those who record the work of their line in their org."""
    access.check(actor, group.org, Perm.RECORD_WORK, group.area_id)


def _check_term(start: date, end: date) -> None:
    if end <= start:
        raise ValidationError({"term_end": "任期结束应晚于任期开始。"})
    if (end - start).days > MAX_TERM_YEARS * 366:
        raise ValidationError({"term_end": f"一届任期不超过{MAX_TERM_YEARS}年。"})


def group_create(
    *,
    actor: User,
    org: Org,
    area: Area,
    kind: GroupKind,
    name: str,
    founded_on: date,
    term_start: date,
    term_end: date,
    duties: str = "",
    rules: str = "",
) -> Group:
    """Found a group of ``org`` in ``area`` with its first term."""
    access.check(actor, org, Perm.RECORD_WORK, area)
    if org.kind == OrgKind.GRID or not org.is_active:
        raise ValidationError({"org": "组织机构应建在社区、街道、区或单位，且单位在用。"})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写组织机构名称。"})
    _check_term(term_start, term_end)
    group = Group(
        org=org,
        area=area,
        kind=kind,
        name=name,
        founded_on=founded_on,
        duties=duties.strip(),
        rules=rules.strip(),
        created_by=actor,
    )
    group.full_clean(exclude=["created_by"])
    if Group.objects.filter(org=org, name=name, dissolved_on__isnull=True).exists():
        raise ValidationError({"name": f"“{org.name}”已有名为“{name}”的组织机构。"})
    with transaction.atomic():
        group.save()
        term = GroupTerm.objects.create(group=group, number=1, start=term_start, end=term_end)
        audit(actor, "group.create", group, {"kind": kind.code, "area": area.code, "term": term.pk}, org=org)
    return group


def group_update(
    *,
    actor: User,
    group: Group,
    name: str,
    duties: str = "",
    rules: str = "",
    dissolved_on: date | None = None,
) -> Group:
    check_manage(actor, group)
    before = {"name": group.name, "duties": group.duties, "rules": group.rules, "dissolved_on": group.dissolved_on}
    group.name, group.duties, group.rules, group.dissolved_on = (
        name.strip(),
        duties.strip(),
        rules.strip(),
        dissolved_on,
    )
    if not group.name:
        raise ValidationError({"name": "请填写组织机构名称。"})
    group.full_clean(exclude=["created_by"])
    with transaction.atomic():
        group.save(update_fields=["name", "duties", "rules", "dissolved_on", "updated_at"])
        after = {"name": group.name, "duties": group.duties, "rules": group.rules, "dissolved_on": group.dissolved_on}
        changes = {k: [str(before[k]), str(after[k])] for k in after if before[k] != after[k]}
        audit(actor, "group.update", group, {"changes": changes}, org=group.org)
    return group


def term_renew(*, actor: User, group: Group, start: date, end: date) -> GroupTerm:
    """Start the group's next term (换届); it must begin once the last one has begun. Members stay until they
    leave: a renewal that changes members records those who leave and adds those who join."""
    check_manage(actor, group)
    _check_term(start, end)
    with transaction.atomic():
        last = GroupTerm.objects.select_for_update().filter(group=group).order_by("-number").first()
        if last is not None and start <= last.start:
            raise ValidationError({"start": f"新一届应在{last.label}开始之后开始。"})
        number = (GroupTerm.objects.filter(group=group).aggregate(n=Max("number"))["n"] or 0) + 1
        term = GroupTerm.objects.create(group=group, number=number, start=start, end=end)
        audit(actor, "group.term", group, {"term": number, "start": start.isoformat(), "end": end.isoformat()})
    return term


def _staff_in_org(user: User, org: Org) -> bool:
    """A staff account may sit in a group of an org its memberships cover (or lie under)."""
    return any(
        g.role in STAFF_ROLES and (org.path.startswith(g.path) or g.path.startswith(org.path))
        for g in access.grants(user)
    )


def member_add(
    *,
    actor: User,
    group: Group,
    role: str,
    joined_on: date,
    person: Person | None = None,
    user: User | None = None,
    category: str = "",
    unit: str = "",
) -> GroupMember:
    """Add a member: a person of the registry the actor may see, or a staff account of the group's org."""
    check_manage(actor, group)
    kind = group.kind
    if (person is None) == (user is None):
        raise ValidationError({"person": "请选择一位居民或一名工作人员。"})
    if role not in kind.roles:
        raise ValidationError({"role": f"“{kind.name}”的成员职务应为：{'、'.join(kind.roles)}。"})
    if kind.categories and category not in kind.categories:
        raise ValidationError({"category": f"请选择成员类别（{'、'.join(kind.categories)}）。"})
    if not kind.categories:
        category = ""
    if joined_on < group.founded_on:
        raise ValidationError({"joined_on": "加入日期不能早于成立日期。"})
    if person is not None:
        if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": "该居民不在您的管辖范围内。"})
        name = person.name
    else:
        assert user is not None
        if not _staff_in_org(user, group.org):
            raise ValidationError({"user": f"“{user.display_name}”不是“{group.org.name}”的工作人员。"})
        name = user.display_name
    current = GroupMember.objects.filter(group=group, left_on__isnull=True)
    if current.filter(person=person, user=user).exists():
        raise ValidationError({"person": f"“{name}”已是本组织机构的成员。"})
    member = GroupMember(
        group=group,
        person=person,
        user=user,
        name=name,
        role=role,
        category=category,
        unit=unit.strip(),
        joined_on=joined_on,
    )
    member.full_clean()
    with transaction.atomic():
        member.save()
        audit(
            actor,
            "group.member_add",
            group,
            {
                "member": member.pk,
                "person": getattr(person, "pk", None),
                "user": getattr(user, "pk", None),
                "role": role,
            },
            org=group.org,
        )
    return member


def member_leave(*, actor: User, member: GroupMember, left_on: date, note: str = "") -> GroupMember:
    """Record that a member left (the row stays, for the roster's history)."""
    check_manage(actor, member.group)
    if member.left_on is not None:
        raise ValidationError("该成员已经退出。")
    if left_on < member.joined_on:
        raise ValidationError({"left_on": "退出日期不能早于加入日期。"})
    with transaction.atomic():
        updated = GroupMember.objects.filter(pk=member.pk, left_on__isnull=True).update(
            left_on=left_on, leave_note=note.strip()[:100]
        )
        if not updated:
            raise ValidationError("该成员已经退出。")
        member.left_on, member.leave_note = left_on, note.strip()[:100]
        audit(actor, "group.member_leave", member.group, {"member": member.pk, "left_on": left_on.isoformat()})
    return member
