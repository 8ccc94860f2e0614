"""Demo step: the groups of each demo plan, with their members (residents of the registry and staff accounts)
and terms, and their year of meetings with sign-in (some inquorate) and resolutions; the deliberation committee's
are carried out through plan tasks whose progress its residents read on the board. 幸福社区's committee is in its
second term, two members of the first having left at the renewal; 柳树村 has not formed its disability group, and
the villages have no education staff, so their plans show both 达标 and 未达标 from computed group targets.
The school's safety group, formed at the start of the school year, meets every month in term and at each term's
start and end, except that the autumn term ending in January had no end-of-term meeting (its January meeting came
early in the month). Each community's 居委会 holds staff meetings without a group, one sign-in corrected afterwards.
Idempotent: a group already there is left alone, and a group with meetings gets no more.
"""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from shequ.groups import meetings, services
from shequ.groups.models import Group, GroupKind, Presence
from shequ.plans import services as plan_services
from shequ.records.models import ActivityType
from shequ.residents.models import Person

COMMUNITIES = ["communityA", "communityB", "village1", "village2"]

# (org keys, area, kind, name, roles of the members in order (categories after "|"), staff user keys by org key)
COUNCIL = ["主任|居民代表", "副主任|党员", "委员|居民代表", "委员|驻区单位", "委员|物业", "委员|业委会", "委员|党员",
           "委员|居民代表", "委员|外来人员代表"]  # fmt: skip
SPECS: list[tuple] = [
    (COMMUNITIES, "health", "leading", "健康教育领导小组", ["组长", "副组长", "成员", "成员", "成员"], {}),
    (COMMUNITIES, "selfgov", "council", "社区协商议事委员会", COUNCIL, {}),
    (["communityA", "communityB", "village1"], "disability", "leading", "残疾人康复工作领导小组",
     ["组长", "成员", "成员", "联络员"], {}),
    (COMMUNITIES, "safety", "leading", "平安建设领导小组", ["组长", "副组长", "成员", "成员"], {}),
    (["communityA", "communityB"], "safety", "mediation", "人民调解委员会", ["主任", "委员", "委员", "调解员"], {}),
    (["communityA", "communityB"], "education", "office", "社区教育工作站", ["主任"],
     {"communityA": ["a_worker"], "communityB": ["b_worker"]}),
    (["health_center"], "health", "leading", "健康教育领导小组", ["组长", "副组长", "成员"], {}),
    (["health_center"], "health", "office", "健康教育领导小组办公室", ["主任", "工作人员", "工作人员"], {}),
    (["health_station"], "health", "office", "健康教育工作办公室", ["工作人员"], {}),
    (["school"], "school", "safety", "学校安全工作领导小组", ["组长", "副组长", "成员", "成员"],
     {"school": ["school_officer"]}),
]  # fmt: skip

# Where the members come from: a unit's staff live in the community around it.
HOME = {"health_center": "communityA", "health_station": "communityA", "school": "communityB"}


def _persons(ctx, key: str) -> list[Person]:
    community = ctx.orgs[HOME.get(key, key)]
    qs = Person.objects.filter(org=community, is_deceased=False, moved_out_on__isnull=True, birth_date__isnull=False)
    return list(qs.filter(birth_date__year__lte=ctx.year - 25).order_by("id")[:80])


def _group(ctx, actor, org, area, kind, name, roles, staff, pool, offset, founded, term) -> Group | None:
    if Group.objects.filter(org=org, name=name).exists():
        return None
    group = services.group_create(
        actor=actor, org=org, area=ctx.areas[area], kind=kind, name=name, founded_on=founded,
        term_start=term[0], term_end=term[1], duties=f"负责研究部署{ctx.areas[area].name}工作，督促检查各项任务落实。",
        rules="每半年至少召开一次全体会议，遇重要事项随时召开。",
    )  # fmt: skip
    users = [ctx.users[u] for u in staff if u in ctx.users]
    for n, spec in enumerate(roles):
        role, _bar, category = spec.partition("|")
        if n < len(users):
            services.member_add(actor=actor, group=group, user=users[n], role=role, joined_on=founded)
            continue
        if not pool:
            break
        person = pool[(offset + n * 7) % len(pool)]
        if group.members.filter(person=person).exists():
            continue
        services.member_add(
            actor=actor, group=group, person=person, role=role, category=category if kind.categories else "",
            unit="社区居民" if not kind.categories else "", joined_on=founded,
        )  # fmt: skip
    return group


def step(ctx, options) -> None:
    year = ctx.year
    actor = ctx.users["admin"]
    kinds = {k.code: k for k in GroupKind.objects.all()}
    founded, term = date(year, 1, 10), (date(year, 1, 10), date(year + 4, 12, 31))
    for offset, (keys, area, kind_code, name, roles, staff) in enumerate(SPECS):
        for key in keys:
            org = ctx.orgs.get(key)
            if org is None:
                continue
            pool = _persons(ctx, key)
            if kind_code == "council" and key == "communityA":
                _council_second_term(ctx, actor, org, kinds["council"], name, roles, pool)
                continue
            since, office = (founded, term) if kind_code != "safety" else _school_year(year)
            _group(ctx, actor, org, area, kinds[kind_code], name, roles, staff.get(key, []), pool, offset * 11,
                   since, office)  # fmt: skip
    for group in Group.objects.filter(meetings__isnull=True, dissolved_on__isnull=True).select_related(
        "org", "area", "kind"
    ):
        if group.org_id in {o.pk for o in ctx.orgs.values()}:
            if group.kind.code == "safety":
                _school_meetings(ctx, actor, group)
            else:
                _meetings(ctx, actor, group)
    for key in COMMUNITIES[:2]:
        if key in ctx.orgs:
            _org_meetings(ctx, actor, ctx.orgs[key])


def _council_second_term(ctx, actor, org, kind, name, roles, pool) -> None:
    """幸福社区's committee: founded three years ago; renewed this January, two members leaving, two joining."""
    year = ctx.year
    first = (date(year - 3, 1, 15), date(year, 1, 14))
    group = _group(ctx, actor, org, "selfgov", kind, name, roles, [], pool, 3, first[0], first)
    if group is None:
        return
    services.term_renew(actor=actor, group=group, start=date(year, 1, 15), end=date(year + 2, 1, 14))
    leaving = list(group.members.filter(role="委员").order_by("id")[:2])
    for m in leaving:
        services.member_leave(actor=actor, member=m, left_on=date(year, 1, 15), note="换届")
    taken = set(group.members.values_list("person_id", flat=True))
    fresh = [p for p in pool if p.pk not in taken][:2]
    for p, category in zip(fresh, ["居民代表", "党员"], strict=False):
        services.member_add(actor=actor, group=group, person=p, role="委员", category=category,
                            joined_on=date(year, 1, 15))  # fmt: skip


# The meeting days of the demo year; one in four has too few members to be quorate.
DAYS = [(3, 12), (6, 18), (9, 16), (11, 20)]
COUNCIL_MATTERS = [
    ("小区东门增设电动车充电桩", "增设电动车充电桩", "已与物业确定位置，设备采购中"),
    ("老旧楼道照明改造", "完成3个楼栋楼道照明改造", "1号、2号楼已完工"),
    ("规范小区停车秩序，划定临时停车位", "划定临时停车位并公示", "已完成划线并张贴公示"),
]
GROUP_MATTERS = ["研究部署本季度重点工作", "审议年度工作计划落实情况", "布置下一阶段宣传活动"]


def _school_year(year: int) -> tuple[date, tuple[date, date]]:
    """The school's safety group: formed as last autumn's term began, for three school years."""
    return date(year - 1, 8, 25), (date(year - 1, 8, 25), date(year + 2, 8, 24))


# The school safety group's meetings: each month in term, at each term's start (spring from 26 February, autumn
# from 1 September) and before the summer; the autumn term ending on 23 January had only an early-January meeting.
SCHOOL_DAYS = [(1, 6), (3, 2), (4, 8), (5, 13), (6, 24), (9, 2), (10, 14), (11, 11), (12, 9)]
SCHOOL_MATTERS = ["部署开学安全检查和安全教育", "研究防溺水和交通安全工作", "总结本学期安全工作，部署假期安全",
                  "研究校园周边治安和食品安全", "布置消防演练和隐患排查"]  # fmt: skip


def _school_meetings(ctx, actor, group: Group) -> None:
    today = timezone.localdate()
    kind = ActivityType.objects.filter(area=group.area, code="group_meeting", is_active=True).first()
    if kind is None:
        return
    for n, (month, day) in enumerate(SCHOOL_DAYS):
        on = date(ctx.year, month, day)
        if on > today or not group.active_on(on):
            continue
        members = meetings.in_office(group, on)
        if not members:
            continue
        # Everyone there, one member away now and then (excused): always quorate.
        attendance = {m.pk: Presence.PRESENT for m in members}
        if n % 3 == 1:
            attendance[members[-1].pk] = Presence.EXCUSED
        matter = SCHOOL_MATTERS[n % len(SCHOOL_MATTERS)]
        meeting = meetings.meeting_create(
            actor=actor, group=group, activity_type=kind, date=on, title=f"{month}月安全工作领导小组会议",
            attendance=attendance, place=f"{group.org.name}会议室", host=members[0].name, recorder=members[-1].name,
            agenda=[matter, "其他安全事项"], minutes=f"会议围绕“{matter}”进行了部署，明确了责任人和完成时限。",
        )  # fmt: skip
        meetings.resolution_add(actor=actor, meeting=meeting, text=matter, votes_for=meeting.present)


# The 居委会's own staff meetings (no group): the first and third quarter's, and one sign-in corrected afterwards.
ORG_DAYS = [(2, 6), (5, 8), (8, 7), (11, 6)]


def _org_meetings(ctx, actor, org) -> None:
    from shequ.groups import signin
    from shequ.groups.models import Meeting

    if Meeting.objects.filter(org=org, group__isnull=True).exists():
        return
    kind = ActivityType.objects.filter(area=ctx.areas["selfgov"], code="committee_meeting", is_active=True).first()
    staff = meetings.org_staff(org)
    if kind is None or not staff:
        return
    today = timezone.localdate()
    for n, (month, day) in enumerate(ORG_DAYS):
        on = date(ctx.year, month, day)
        if on > today:
            continue
        attendance = {u.pk: Presence.PRESENT for u in staff}
        if n == 1 and len(staff) > 1:
            attendance[staff[-1].pk] = Presence.EXCUSED
        meeting = meetings.org_meeting_create(
            actor=actor, org=org, activity_type=kind, date=on, title=f"{org.name}{month}月居委会工作会议",
            attendance=attendance, place=f"{org.name}会议室", host=staff[0].name, recorder=staff[-1].name,
            agenda=["通报上月工作", "部署本月重点工作"], guests=[("片区民警", "辖区派出所")],
            minutes="会议通报了上月工作情况，部署了本月网格走访、矛盾排查和宣传活动。",
        )  # fmt: skip
        if n == 1 and len(staff) > 1:  # the excused member came after all: the sign-in is corrected
            rows = signin.rows(meeting)
            meeting = signin.signin_update(actor=actor, meeting=meeting, guests=[("片区民警", "辖区派出所")],
                                           attendance={a.pk: Presence.PRESENT for a in rows})  # fmt: skip
        meetings.resolution_add(actor=actor, meeting=meeting, text="按分工落实本月重点工作", votes_for=meeting.present)


def _meetings(ctx, actor, group: Group) -> None:
    today = timezone.localdate()
    year = ctx.year
    rng = random.Random(f"meetings-{group.org.name}-{group.name}-{year}")  # the same whatever the ids
    types = ActivityType.objects.filter(area=group.area, code__in=meetings.MEETING_TYPES, is_active=True)
    kind = types.filter(code="council").first() or types.filter(code="group_meeting").first() or types.first()
    if kind is None:
        return
    is_council = group.kind.code == "council"
    for n, (month, day) in enumerate(DAYS):
        on = date(year, month, day)
        if on > today or not group.active_on(on):
            continue
        members = meetings.in_office(group, on)
        if not members:
            continue
        inquorate = n == 2 and rng.random() < 0.6
        share = 0.4 if inquorate else 0.85
        attendance = {}
        for m in members:
            here = rng.random() < share
            attendance[m.pk] = Presence.PRESENT if here else rng.choice([Presence.EXCUSED, Presence.ABSENT])
        matter = COUNCIL_MATTERS[n % len(COUNCIL_MATTERS)] if is_council else (GROUP_MATTERS[n % 3], "", "")
        meeting = meetings.meeting_create(
            actor=actor, group=group, activity_type=kind, date=on, title=f"{group.name}{month}月会议",
            attendance=attendance, place=f"{group.org.name}会议室", host=members[0].name,
            recorder=members[-1].name, agenda=[matter[0], "其他事项"],
            minutes=f"会议由{members[0].name}主持，围绕“{matter[0]}”进行了讨论，与会成员充分发表意见。",
            guests=[("社区民警", "辖区派出所")] if is_council else [],
        )  # fmt: skip
        votes = max(meeting.present - rng.randint(0, 1), 0)
        resolution = meetings.resolution_add(
            actor=actor, meeting=meeting, text=matter[0], votes_for=votes,
            votes_against=meeting.present - votes,
        )  # fmt: skip
        if is_council and resolution.passed and matter[1]:
            due = date(year, min(month + 3, 12), 28)
            task = meetings.resolution_task(
                actor=actor, resolution=resolution, title=matter[1], due=due, lead_org=group.org,
                owner_name=members[0].name, leader_name="社区书记",
            )  # fmt: skip
            plan_services.task_add_note(actor=actor, task=task, text=matter[2])
            if month < 6:
                plan_services.task_set_status(
                    actor=actor, task=task, status="done", completed_on=min(due, today), note="已完成"
                )
