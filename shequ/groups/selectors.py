"""Every read of groups, starting from the models' ``visible_to``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from shequ.accounts import access
from shequ.accounts.models import Membership, User
from shequ.accounts.roles import STAFF_ROLES, Perm
from shequ.groups.models import Attendance, Group, GroupKind, GroupMember, GroupTerm, Meeting, Resolution
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans.models import Task, TaskNote, TaskStatus
from shequ.residents.models import Person


def current_q(day: date, prefix: str = "") -> Q:
    """Members in office on ``day``: joined by then and not yet left."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def group_list(actor: User, *, area: str = "", kind: str = "", today: date) -> QuerySet[Group]:
    qs = Group.objects.visible_to(actor).select_related("org", "area", "kind")
    if area:
        qs = qs.filter(area__code=area)
    if kind:
        qs = qs.filter(kind__code=kind)
    terms = Prefetch("terms", queryset=GroupTerm.objects.order_by("-number"), to_attr="term_list")
    return (
        qs.annotate(n_members=Count("members", filter=current_q(today, "members__"), distinct=True))
        .prefetch_related(terms)
        .order_by("org__path", "area__sort", "kind__sort", "id")
    )


def group_get(actor: User, pk: int) -> Group:
    """A group the actor may see, or 404 (also for another org's)."""
    group = Group.objects.visible_to(actor).select_related("org", "area", "kind", "created_by").filter(pk=pk).first()
    if group is None:
        raise Http404("没有这个组织机构。")
    return group


def group_terms(group: Group) -> list[GroupTerm]:
    return list(group.terms.order_by("-number"))


def group_members(actor: User, group: Group) -> list[GroupMember]:
    """Every member the group has had, those in office first; each with ``person_url`` where the actor may open
    the person's page (one query for all)."""
    members = list(group.members.select_related("person", "user"))
    person_ids = [m.person_id for m in members if m.person_id]
    visible = set(Person.objects.visible_to(actor).filter(pk__in=person_ids).values_list("pk", flat=True))
    for m in members:
        m.person_url = reverse("residents:detail", args=[m.person_id]) if m.person_id in visible else ""
    return members


def member_get(actor: User, pk: int) -> GroupMember:
    found = GroupMember.objects.visible_to(actor).select_related("group", "group__org", "group__kind").filter(pk=pk)
    member = found.first()
    if member is None:
        raise Http404("没有这个成员。")
    return member


def creatable_orgs(actor: User) -> QuerySet[Org]:
    """Orgs where the actor may found a group (not a grid)."""
    return access.work_orgs(actor)


def creatable_areas(actor: User) -> QuerySet[Area]:
    """Lines of work the actor records somewhere (a 专干 their own)."""
    return access.work_areas(actor)


def kinds() -> QuerySet[GroupKind]:
    return GroupKind.objects.order_by("sort", "id")


def staff_choices(group: Group) -> QuerySet[User]:
    """Staff accounts of the group's org, the orgs above it and those under it, who may sit in it."""
    org = group.org
    above = [int(p) for p in org.path.strip("/").split("/") if p]
    under = Org.objects.filter(path__startswith=org.path).values("pk")
    memberships = Membership.objects.filter(is_active=True, role__in=STAFF_ROLES).filter(
        Q(org_id__in=above) | Q(org_id__in=under)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("name", "username")


def can_manage(actor: User, group: Group) -> bool:
    return access.can(actor, group.org, Perm.RECORD_WORK, group.area_id)


def can_create(actor: User) -> bool:
    return any(g.allows(Perm.RECORD_WORK) and g.kind != OrgKind.GRID for g in access.grants(actor))


def person_groups(actor: User, person_ids: list[int]) -> dict[int, list[dict]]:
    """The groups each person serves in (now or before), as the person page's panel shows them: one query."""
    if not person_ids:
        return {}
    rows = (
        GroupMember.objects.visible_to(actor)
        .filter(person_id__in=person_ids)
        .select_related("group", "group__org")
        .order_by(F("left_on").asc(nulls_first=True), "-joined_on", "id")
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for m in rows:
        when = f"{m.joined_on.year}年{m.joined_on.month}月起"
        if m.left_on:
            when = f"{m.joined_on.year}年{m.joined_on.month}月—{m.left_on.year}年{m.left_on.month}月（已退出）"
        note = "，".join(filter(None, [m.category, when]))
        out[m.person_id].append(
            {
                "text": f"{m.group.name} · {m.role}",
                "url": reverse("groups:detail", args=[m.group_id]),
                "note": f"{m.group.org.name}，{note}",
                "current": m.left_on is None,
            }
        )
    return dict(out)


# --- meetings ---------------------------------------------------------------------------------------------


def work_orgs(actor: User) -> QuerySet[Org]:
    """Orgs where the actor may record a meeting without a group (not a grid)."""
    return access.work_orgs(actor)


def can_keep_meeting(actor: User, meeting: Meeting) -> bool:
    return access.can(actor, meeting.org, Perm.RECORD_WORK, meeting.area_id)


def meeting_list(actor: User, group: Group | None = None, *, org_only: bool = False) -> QuerySet[Meeting]:
    """Meetings in scope: of ``group``, or with ``org_only`` those of orgs without a group."""
    qs = Meeting.objects.visible_to(actor)
    if group is not None:
        qs = qs.filter(group=group)
    if org_only:
        qs = qs.filter(group__isnull=True)
    return (
        qs.select_related("record", "record__activity_type", "group", "org", "area")
        .annotate(n_resolutions=Count("resolutions", distinct=True))
        .order_by("-record__date", "-pk")
    )


def meeting_dates(org_ids: list[int], start: date, end: date, kinds: list[str]) -> list[tuple[int, int, date]]:
    """(org id, activity type id, date) of the quorate meetings of groups of ``kinds`` held at ``org_ids`` from
    ``start`` to ``end``: what the plans' meeting targets count (one query, handed down on the AppConfig)."""
    rows = Meeting.objects.filter(
        org_id__in=org_ids,
        group__kind__code__in=kinds,
        quorate=True,
        record__date__gte=start,
        record__date__lte=end,
    ).values_list("org_id", "record__activity_type_id", "record__date")
    return list(rows)


def _tasks() -> Prefetch:
    notes = Prefetch("notes", queryset=TaskNote.objects.order_by("-created_at", "-id"))
    return Prefetch("tasks", queryset=Task.objects.select_related("lead_org").prefetch_related(notes).order_by("id"))


def _resolutions() -> QuerySet[Resolution]:
    qs: QuerySet[Resolution] = Resolution.objects.all()
    return qs.prefetch_related(_tasks()).order_by("number")


def meeting_get(actor: User, pk: int) -> Meeting:
    """A meeting the actor may see with its agenda, sign-in, guests, resolutions and their tasks; else 404."""
    found = (
        Meeting.objects.visible_to(actor)
        .select_related("record", "record__activity_type", "record__created_by", "group", "group__kind", "org", "area")
        .prefetch_related("agenda", "guests", "record__photos", "record__attachments")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member", "user").order_by("member_id", "user_id", "id"),
            )
        )
        .prefetch_related(Prefetch("resolutions", queryset=_resolutions()))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这次会议。")
    return found


def resolution_get(actor: User, pk: int) -> Resolution:
    found = (
        Resolution.objects.visible_to(actor)
        .select_related("meeting", "meeting__record", "meeting__org", "meeting__group")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这项决议。")
    return found


def progress(resolution: Resolution) -> dict:
    """The resolution's progress from its tasks (prefetched): how many, how many done, the latest note."""
    tasks = list(resolution.tasks.all())
    done = sum(t.status == TaskStatus.DONE for t in tasks)
    live = [t for t in tasks if t.status != TaskStatus.CANCELLED]
    notes = [n for t in tasks for n in t.notes.all()]
    latest = max(notes, key=lambda n: (n.created_at, n.id)) if notes else None
    if not resolution.passed:
        text, tone = "未通过", "muted"
    elif not live:
        text, tone = "待分解落实", "warn"
    elif done >= len(live):
        text, tone = "已落实", "ok"
    else:
        text, tone = f"落实中（{done}/{len(live)}项任务已完成）", "progress"
    return {
        "text": text,
        "tone": tone,
        "tasks": tasks,
        "done": done,
        "total": len(live),
        "percent": round(100 * done / len(live)) if live else 0,
        "latest": latest.text if latest else "",
        "latest_on": latest.created_at if latest else None,
    }


def board_items(community: Org) -> list[dict]:
    """The community's public resolutions and their progress for its board (公开栏): newest meeting first, the
    latest 20, in three queries."""
    rows = (
        Resolution.objects.filter(
            public=True, passed=True, meeting__org__in=Org.objects.subtree(community).values("pk")
        )
        .select_related("meeting", "meeting__record", "meeting__group", "meeting__org")
        .prefetch_related(_tasks())
        .order_by("-meeting__record__date", "-pk")[:20]
    )
    out = []
    for r in rows:
        p = progress(r)
        m = r.meeting
        out.append(
            {
                "title": r.text,
                "text": f"{m.convener}{m.record.date.year}年{m.record.date.month}月{m.record.date.day}日会议表决通过"
                f"（{r.votes_text}）",
                "progress": p["text"],
                "percent": p["percent"],
                "tone": p["tone"],
                "note": p["latest"],
            }
        )
    return out
