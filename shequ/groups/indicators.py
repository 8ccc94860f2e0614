"""Groups and their members as nouns of the indicator catalogue, and the targets they answer: a group formed with
its head, the staff a line of work has, the liaisons of a network. All are counts (no denominator): read as of
the period's ``as_of`` day, like the registry, so a group founded in April counts from April on.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from shequ.core.indicators import Condition, Indicator, Measure, Noun, Period, RowColumn
from shequ.groups.models import Group, GroupMember, Meeting


def _in_office_q(day, prefix: str = "") -> Q:
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def _group_active_q(day, prefix: str = "") -> Q:
    return Q(**{f"{prefix}founded_on__lte": day}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def active_q(_value, period: Period) -> Q:
    """Founded by ``as_of`` and not dissolved."""
    return _group_active_q(period.as_of)


def headed_q(value, period: Period) -> Q:
    """With a member in office in one of the roles ``value`` (组长, 主任 …) at ``as_of``."""
    heads = GroupMember.objects.filter(_in_office_q(period.as_of), group=OuterRef("pk"), role__in=list(value))
    return Q(Exists(heads))


def _list_text(label: str):
    return lambda v: f"{label}：{'、'.join(str(x) for x in v)}"


GROUPS = Noun(
    code="groups",
    name="组织机构",
    model=Group,
    org="org",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "kind": Condition("类型", lambda v, _p: Q(kind__code__in=list(v)), _list_text("类型")),
        "area": Condition("条线", lambda v, _p: Q(area__code__in=list(v)), _list_text("条线")),
        "active": Condition("已成立（未撤销）", active_q),
        "headed": Condition("有在任负责人", headed_q, _list_text("在任负责人")),
    },
    columns=(
        RowColumn("名称", lambda g: g.name),
        RowColumn("单位", lambda g: g.org.name),
        RowColumn("类型", lambda g: g.kind.name),
        RowColumn("成立日期", lambda g: g.founded_on),
    ),
    related=("org", "kind"),
    url=lambda g: reverse("groups:detail", args=[g.pk]),
    own_org=True,
)

MEMBERS = Noun(
    code="group_members",
    name="组织机构成员",
    model=GroupMember,
    org="group__org",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "kind": Condition("组织机构类型", lambda v, _p: Q(group__kind__code__in=list(v)), _list_text("组织机构类型")),
        "area": Condition("条线", lambda v, _p: Q(group__area__code__in=list(v)), _list_text("条线")),
        "in_office": Condition(
            "在任（已加入、未退出，组织机构未撤销）",
            lambda _v, p: _in_office_q(p.as_of) & _group_active_q(p.as_of, "group__"),
        ),
        "role": Condition("职务", lambda v, _p: Q(role__in=list(v)), _list_text("职务")),
        "staff": Condition("工作人员", lambda _v, _p: Q(user__isnull=False)),
    },
    columns=(
        RowColumn("姓名", lambda m: m.name),
        RowColumn("组织机构", lambda m: m.group.name),
        RowColumn("单位", lambda m: m.group.org.name),
        RowColumn("职务", lambda m: m.role),
        RowColumn("加入日期", lambda m: m.joined_on),
    ),
    related=("group", "group__org"),
    url=lambda m: reverse("groups:detail", args=[m.group_id]),
    own_org=True,
)

MEETINGS = Noun(
    code="meetings",
    name="会议",
    model=Meeting,
    org="org",
    date="record__date",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "kind": Condition("组织机构类型", lambda v, _p: Q(group__kind__code__in=list(v)), _list_text("组织机构类型")),
        "area": Condition("条线", lambda v, _p: Q(area__code__in=list(v)), _list_text("条线")),
        "quorate": Condition("达到法定人数", lambda _v, _p: Q(quorate=True)),
    },
    columns=(
        RowColumn("日期", lambda m: m.record.date),
        RowColumn("会议", lambda m: m.record.title),
        RowColumn("组织机构", lambda m: m.convener),
        RowColumn("到会", lambda m: f"{m.present}/{m.expected}"),
    ),
    related=("record", "group", "org"),
    url=lambda m: reverse("groups:meeting", args=[m.pk]),
    own_org=True,
)

NOUNS = (GROUPS, MEMBERS, MEETINGS)


def meetings(code: str, name: str, area: str, kind: str, needs: str) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=area,
        numerator=Measure(
            "meetings",
            f"本年达到法定人数的{name.removesuffix('次数')}",
            {"kind": [kind], "area": [area], "quorate": True},
        ),
        denominator=None,
        unit="次",
        scale=1,
        needs=(needs,),
        note="计数：本年召开且达到法定人数的会议（未达到法定人数的会议不计）。",
    )


def formed(code: str, name: str, area: str, kind: str, heads: list[str], needs: str) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=area,
        numerator=Measure(
            "groups",
            f"已成立并有在任{heads[0]}的{name.removesuffix('数')}",
            {"kind": [kind], "area": [area], "active": True, "headed": heads},
        ),
        denominator=None,
        unit="个",
        scale=1,
        needs=(needs,),
        note=f"计数：本条线已成立、未撤销，且有在任{'或'.join(heads)}的{name.removesuffix('数')}（年底或今天）。",
    )


def staff(code: str, name: str, area: str, kinds: list[str], needs: str, where: dict | None = None) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=area,
        numerator=Measure(
            "group_members",
            f"在任的{name.removesuffix('数')}",
            {"kind": kinds, "area": [area], "in_office": True, **(where or {})},
        ),
        denominator=None,
        unit="人",
        scale=1,
        needs=(needs,),
        note="计数：年底（或今天）在任的成员。",
    )


INDICATORS = (
    meetings(
        "health_group_meetings", "健康教育领导小组会议次数", "health", "leading", "会议：健康教育领导小组的会议及签到"
    ),
    meetings(
        "selfgov_council_meetings", "协商议事委员会会议次数", "selfgov", "council", "会议：协商议事委员会的会议及签到"
    ),
    formed(
        "health_group_formed", "健康教育领导小组数", "health", "leading", ["组长"], "组织机构：健康教育领导小组及其组长"
    ),
    formed(
        "selfgov_council_formed", "协商议事委员会数", "selfgov", "council", ["主任"], "组织机构：协商议事委员会及其主任"
    ),
    formed(
        "disability_group_formed",
        "残疾人康复工作领导小组数",
        "disability",
        "leading",
        ["组长"],
        "组织机构：残疾人康复工作领导小组及其组长",
    ),
    staff(
        "health_staff_count", "专职健康教育宣传人员数", "health", ["office"], "组织机构：健康教育领导小组办公室的成员"
    ),
    staff(
        "disability_liaison_count",
        "残疾人专职联络员数",
        "disability",
        ["leading", "network", "office"],
        "组织机构：残疾人康复工作中职务为联络员的成员",
        {"role": ["联络员"]},
    ),
    staff(
        "education_staff_count",
        "社区教育专职人员数",
        "education",
        ["office", "leading"],
        "组织机构：社区教育工作机构中的工作人员",
        {"staff": True},
    ),
)
