"""The kinds of group the reference plans name, loaded as data (a data migration and the demo).

Quorum and majority follow the usual rules of each kind (组织法 and the common 议事规则): more than half of the
members present, a resolution carried by more than half of those present; the deliberation committee
(协商议事委员会) meets with two thirds of its members and carries a matter with more than half of all members,
and its resolutions go on the residents' board. Every number is a default an administrator may change.
"""

from __future__ import annotations

LEADING_ROLES = ["组长", "副组长", "成员", "联络员"]
COMMITTEE_ROLES = ["主任", "副主任", "委员"]
TEAM_ROLES = ["队长", "副队长", "队员", "联络员"]

# (code, name, description, roles, categories, quorum (num, den, strict), pass (num, den, strict, base), public)
KINDS: list[tuple] = [
    ("leading", "领导小组", "条线工作的领导小组：组长、副组长、成员，研究部署工作。", LEADING_ROLES, [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("office", "办公室", "领导小组下设的办公室：配备专职工作人员，承办日常工作。", ["主任", "副主任", "工作人员"], [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("committee", "委员会", "专门委员会（如社区教育专家咨询委员会）。", COMMITTEE_ROLES, [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("council", "协商议事委员会", "社区协商议事委员会：评议监督居委会工作，讨论决定社区重要事项。",
     ["主任", "副主任", "委员"], ["居民代表", "党员", "驻区单位", "物业", "业委会", "外来人员代表"],
     (2, 3, False), (1, 2, True, "members"), True),
    ("network", "网络/队伍", "服务网络和队伍：助残志愿者队伍、联络员网络、宣传员队伍。", TEAM_ROLES, [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("mediation", "调解委员会", "人民调解委员会：调解矛盾纠纷。", ["主任", "副主任", "委员", "调解员"], [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("safety", "安全工作小组", "安全工作领导小组：开学、期末和每月召开安全工作会议。", LEADING_ROLES, [],
     (1, 2, True), (1, 2, True, "present"), False),
    ("learning", "学习型组织", "学习型家庭、学习型单位等学习型组织。", ["负责人", "成员"], [],
     (1, 2, True), (1, 2, True, "present"), False),
]  # fmt: skip


def load(GroupKind) -> int:
    """Create the missing kinds; returns how many were created. Kinds already there are left as kept."""
    created = 0
    for sort, (code, name, description, roles, categories, quorum, passing, public) in enumerate(KINDS, start=1):
        _kind, was_created = GroupKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "roles": roles,
                "categories": categories,
                "quorum_num": quorum[0],
                "quorum_den": quorum[1],
                "quorum_strict": quorum[2],
                "pass_num": passing[0],
                "pass_den": passing[1],
                "pass_strict": passing[2],
                "pass_base": passing[3],
                "public": public,
                "sort": sort * 10,
            },
        )
        created += was_created
    return created
